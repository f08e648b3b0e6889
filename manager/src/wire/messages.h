#pragma once

// The messages of the wire protocol (docs/wire.md), one struct each, with
// the one encoding both ends use: toMap() builds what is sent, fromMap()
// reads what arrived (a field of the wrong CBOR type reads as its default,
// never as undefined behaviour), and frameOf() encodes a message into a
// FrameWriter's buffer (the envelope {t, task, body} without a map).
//
// No other file builds or reads a message map by hand.

#include "wire/wire.h"

#include <QtCore/QCborArray>

namespace Drover::Internal::Wire {

// ---- worker -> manager -------------------------------------------------

struct Hello
{
    static constexpr Type type = Type::Hello;
    qint64 version = -1;
    QString kind;
    int workerId = -1;
    QByteArray secret;   //!< local workers only
    qint64 pid = 0;
    // Over TCP (docs/wire.md, "Workers on other hosts") instead of the secret:
    QByteArray nonce;    //!< the worker's
    QByteArray proof;    //!< Auth::proof(Auth::Worker, ...)
    QString build;       //!< the build id of drover-worker
    QString pluginBuild; //!< the build id of the kind's plugin
    QCborMap toMap() const;
    static Hello fromMap(const QCborMap &map);
};

//! A task's answer: Response, and the envelope Feedback and Message share.
template<Type T>
struct Envelope
{
    static constexpr Type type = T;
    qint64 task = 0;
    QCborValue body;
    QCborMap toMap() const;
    static Envelope fromMap(const QCborMap &map);
    static Envelope fromEnvelope(qint64 task, QCborValue body) { return {task, std::move(body)}; }
};
using Response = Envelope<Type::Response>;
using Feedback = Envelope<Type::Feedback>;
//! Both ways: a worker's message about its task (or none: task 0), or the
//! master's message to the task a worker runs.
using Message = Envelope<Type::Message>;

struct Error
{
    static constexpr Type type = Type::Error;
    enum class Kind { Failed, Marshal };
    qint64 task = 0;
    Kind kind = Kind::Failed;
    QString message;
    QCborMap toMap() const;
    static Error fromMap(const QCborMap &map);
};

struct Ask
{
    static constexpr Type type = Type::Ask;
    qint64 task = 0;
    qint64 serial = 0;
    QCborValue body;
    QCborMap toMap() const;
    static Ask fromMap(const QCborMap &map);
};

//! The answer to a Withdraw: `taken` when the held request was given back
//! before it started (it never runs there), false when it had started (or
//! was not held: it runs, or ran, as any task).
struct Withdrawn
{
    static constexpr Type type = Type::Withdrawn;
    qint64 task = 0;
    bool taken = false;
    QCborMap toMap() const;
    static Withdrawn fromMap(const QCborMap &map);
};

struct Pong
{
    static constexpr Type type = Type::Pong;
    qint64 serial = 0;
    QCborMap toMap() const;
    static Pong fromMap(const QCborMap &map);
};

// ---- manager -> worker -------------------------------------------------

struct Welcome
{
    static constexpr Type type = Type::Welcome;
    qint64 maxFrame = DefaultMaxFrameSize;
    QCborArray feedback; //!< what forwardFeedback() has broadcast so far
    QCborValue init;     //!< TaskQueue::setWorkerEnvironment()
    QCborMap toMap() const;
    static Welcome fromMap(const QCborMap &map);
};

struct Request
{
    static constexpr Type type = Type::Request;
    qint64 task = 0;
    QCborValue body;
    bool batch = false; //!< a map() chunk: the body is run element by element
    QCborMap toMap() const;
    static Request fromMap(const QCborMap &map);
    static Request fromEnvelope(qint64 task, QCborValue body) { return {task, std::move(body), false}; }
};

struct Cancel
{
    static constexpr Type type = Type::Cancel;
    qint64 task = 0;
    QCborMap toMap() const;
    static Cancel fromMap(const QCborMap &map);
};

//! Asks a worker to give back a request it holds and has not started
//! (prefetch, docs/wire.md); it answers Withdrawn.
struct Withdraw
{
    static constexpr Type type = Type::Withdraw;
    qint64 task = 0;
    QCborMap toMap() const;
    static Withdraw fromMap(const QCborMap &map);
};

//! forwardFeedback() (a body) or clearForwardedFeedback() (clear).
struct Broadcast
{
    static constexpr Type type = Type::Broadcast;
    QCborValue body;
    bool clear = false;
    QCborMap toMap() const;
    static Broadcast fromMap(const QCborMap &map);
};

struct Ping
{
    static constexpr Type type = Type::Ping;
    qint64 serial = 0;
    QCborMap toMap() const;
    static Ping fromMap(const QCborMap &map);
};

struct Quit
{
    static constexpr Type type = Type::Quit;
    QCborMap toMap() const;
    static Quit fromMap(const QCborMap &) { return {}; }
};

//! Over TCP, the manager's first frame: its nonce for the worker's proof.
struct Challenge
{
    static constexpr Type type = Type::Challenge;
    QByteArray nonce;
    QCborMap toMap() const;
    static Challenge fromMap(const QCborMap &map);
};

//! Over TCP, the manager's answer to an accepted hello: it knows the secret
//! too. The worker takes nothing else before it.
struct Proof
{
    static constexpr Type type = Type::Proof;
    QByteArray proof;
    QCborMap toMap() const;
    static Proof fromMap(const QCborMap &map);
};

//! The master's answer to an Ask: a body, or an error when it failed.
struct Answer
{
    static constexpr Type type = Type::Answer;
    qint64 serial = 0;
    QCborValue body;
    QString error;
    QCborMap toMap() const;
    static Answer fromMap(const QCborMap &map);
};

// ---- received ----------------------------------------------------------

//! A received message as type M: an envelope straight from its task and
//! body (no map), anything else from its map.
template<typename M>
M decode(const Received &received)
{
    if constexpr (requires { M::fromEnvelope(qint64(), QCborValue()); }) {
        if (received.isEnvelope)
            return M::fromEnvelope(received.task, received.body);
    }
    return M::fromMap(received.isEnvelope ? received.toMap() : received.map);
}

// ---- frames ------------------------------------------------------------

//! The frame of a message in the writer's buffer, valid until its next use;
//! empty when it exceeds maxFrameSize (then nothing is to be sent).
template<typename M>
QByteArrayView frameOf(FrameWriter &writer, const M &message, qint64 maxFrameSize)
{
    return writer.encode(message.toMap(), maxFrameSize);
}
template<Type T>
QByteArrayView frameOf(FrameWriter &writer, const Envelope<T> &message, qint64 maxFrameSize)
{
    return writer.encode(T, message.task, message.body, maxFrameSize);
}
QByteArrayView frameOf(FrameWriter &writer, const Request &message, qint64 maxFrameSize);

extern template struct Envelope<Type::Response>;
extern template struct Envelope<Type::Feedback>;
extern template struct Envelope<Type::Message>;

} // namespace Drover::Internal::Wire
