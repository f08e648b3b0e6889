#pragma once

// The manager <-> worker protocol (docs/wire.md), compiled into both ends.
// A frame is a 4-byte big-endian length followed by one CBOR map whose key
// "t" names the message.

#include <QtCore/QBuffer>
#include <QtCore/QByteArray>
#include <QtCore/QCborMap>
#include <QtCore/QCborValue>
#include <QtCore/QCborStreamWriter>
#include <QtCore/QString>

class QIODevice;

namespace Drover::Internal::Wire {

inline constexpr int ProtocolVersion = 2;
inline constexpr qint64 DefaultMaxFrameSize = 64LL * 1024 * 1024;
inline constexpr int LengthPrefixSize = 4;

// Environment variables through which the manager hands a worker what it
// must not see on its command line.
inline constexpr char EnvServer[] = "DROVER_SERVER";
//! The descriptor of a pipe that holds the secret (the worker reads it
//! to its end and closes it).
inline constexpr char EnvSecretFd[] = "DROVER_SECRET_FD";
inline constexpr char EnvWorkerId[] = "DROVER_WORKER_ID";
inline constexpr char EnvKind[] = "DROVER_KIND";
inline constexpr char EnvPlugin[] = "DROVER_PLUGIN";
//! A make-style jobserver fifo of the token server and its number of slots
//! (docs/jobserver.md): the worker opens it and passes it on to what its
//! tasks start as MAKEFLAGS' --jobserver-auth=R,W.
inline constexpr char EnvJobserverFifo[] = "DROVER_JOBSERVER_FIFO";
inline constexpr char EnvJobserverSlots[] = "DROVER_JOBSERVER_SLOTS";
//! A remote worker's secret; only ever read from its setup on stdin
//! (docs/remote.md), never from its environment.
inline constexpr char EnvSecret[] = "DROVER_SECRET";
//! A remote worker's trust: the SHA-256 fingerprint (hex) of the manager's
//! TLS certificate, the only one it talks to.
inline constexpr char EnvTrust[] = "DROVER_TRUST";
//! A remote worker's argument: its setup (KEY=VALUE lines, then an empty
//! line) comes on stdin, and the end of stdin means its master is gone.
inline constexpr char SetupOnStdinOption[] = "--setup-on-stdin";

//! The exit code of a worker whose memory ran out (an allocation failed,
//! typically at its address-space limit): the manager says so in the status.
inline constexpr int OutOfMemoryExitCode = 86;

//! In a worker: reads the secret from the pipe DROVER_SECRET_FD names and
//! closes it (so nothing the worker starts inherits it). Empty, with
//! *error set, when there is none or it cannot be read (secret.cpp).
QByteArray takeSecret(QString *error);

//! DROVER_SERVER names an abstract socket (Linux) when it starts with this.
inline const QString AbstractPrefix = QStringLiteral("@");
//! DROVER_SERVER names a TCP address, HOST:PORT, spoken over TLS, when it
//! starts with this (docs/wire.md, "Workers on other hosts").
inline const QString TlsPrefix = QStringLiteral("tls:");
//! The same without TLS: only for a manager listening on loopback
//! (Manager::setTlsOnLoopback()); the challenge-response still proves both
//! ends.
inline const QString TcpPrefix = QStringLiteral("tcp:");

//! Connects a QLocalSocket to the server DROVER_SERVER names. A template
//! so that this file needs no QtNetwork: drover-worker, which compiles it
//! too, has its own plain socket (workerproc/managerlink.h).
template<typename LocalSocket>
void connectToManager(LocalSocket *socket, const QString &server)
{
    if (server.startsWith(AbstractPrefix)) {
        socket->setSocketOptions(LocalSocket::AbstractNamespaceOption);
        socket->connectToServer(server.mid(AbstractPrefix.size()));
    } else {
        socket->connectToServer(server);
    }
}

enum class Type {
    Unknown,
    // worker -> manager
    Hello, Response, Error, Feedback, Pong, Ask, Withdrawn,
    // manager -> worker
    Welcome, Request, Broadcast, Cancel, Ping, Quit, Answer, Challenge, Proof, Withdraw,
    // both ways
    Message,
};

QString typeName(Type type);

//! An integer field of a message: its value when it is a CBOR integer, else
//! fallback. Never QCborValue::toInteger() on what a peer sent, which casts
//! a double (NaN, 1e300) to qint64: undefined behaviour (found by the fuzzer).
inline qint64 integerOf(const QCborValue &value, qint64 fallback = 0)
{
    return value.isInteger() ? value.toInteger() : fallback;
}
Type typeOf(const QCborMap &message);

//! Keys of the message maps; short because they are on every frame.
namespace Key {
inline constexpr QLatin1StringView Type("t");
inline constexpr QLatin1StringView Version("v");
inline constexpr QLatin1StringView Kind("kind");
inline constexpr QLatin1StringView WorkerId("id");
inline constexpr QLatin1StringView Secret("secret");
inline constexpr QLatin1StringView Pid("pid");
inline constexpr QLatin1StringView Task("task");
inline constexpr QLatin1StringView Body("body");
inline constexpr QLatin1StringView Message("msg");
inline constexpr QLatin1StringView ErrorKind("err");
inline constexpr QLatin1StringView MaxFrame("maxFrame");
inline constexpr QLatin1StringView Feedback("feedback");
inline constexpr QLatin1StringView Clear("clear");
inline constexpr QLatin1StringView Serial("n");
inline constexpr QLatin1StringView Init("init");
inline constexpr QLatin1StringView Batch("batch");
inline constexpr QLatin1StringView Nonce("nonce");
inline constexpr QLatin1StringView Proof("proof");
inline constexpr QLatin1StringView Build("build");
inline constexpr QLatin1StringView PluginBuild("pbuild");
inline constexpr QLatin1StringView Taken("taken");
} // namespace Key

//! Values of Key::ErrorKind in an Error message.
inline constexpr QLatin1StringView ErrorFailed("failed");
inline constexpr QLatin1StringView ErrorMarshal("marshal");

QCborMap message(Type type);

//! Encodes one frame. Returns an empty array when the encoded map exceeds
//! maxFrameSize (the caller reports a marshal error).
QByteArray encodeFrame(const QCborMap &message, qint64 maxFrameSize = DefaultMaxFrameSize);

//! Encodes frames into one buffer that it keeps, so that once the buffer has
//! grown to a connection's usual frame no frame costs an allocation: the
//! CBOR is written straight after the length prefix, which is filled in at
//! the end. One per connection and thread; not copyable.
class FrameWriter
{
public:
    FrameWriter();
    FrameWriter(const FrameWriter &) = delete;
    FrameWriter &operator=(const FrameWriter &) = delete;

    //! The frame of a message, valid until the next call; empty when it
    //! exceeds maxFrameSize (then nothing is to be sent).
    QByteArrayView encode(const QCborMap &message, qint64 maxFrameSize);
    //! The same for the common envelope {t, task, body}, without building a
    //! map first.
    QByteArrayView encode(Type type, qint64 task, const QCborValue &body, qint64 maxFrameSize);

private:
    void begin();
    QByteArrayView finish(qint64 maxFrameSize);

    QByteArray m_frame;
    QBuffer m_device;
    QCborStreamWriter m_writer;
};

//! A message as the reader hands it over. The envelope {t, task, body}
//! that carries most traffic (requests, responses, feedback, messages) is
//! read without building a map: its task, and its body decoded on its own.
//! Any other message is its map. The typed decoders (messages.h) take
//! either.
struct Received
{
    Type type = Type::Unknown;
    bool isEnvelope = false;
    qint64 task = 0;   //!< envelope only
    QCborValue body;   //!< envelope only
    //! Envelope only: why its body could not be decoded, the frame being
    //! whole and its head read (empty when it was). The receiver decides:
    //! the manager ends a response's task MarshalError; anything else is a
    //! protocol error. next(QCborMap *) refuses such a frame.
    QString bodyError;
    QCborMap map;      //!< not an envelope
    //! The message as a map, either way (one is built for an envelope).
    QCborMap toMap() const;
};

//! Splits a byte stream into messages. Feed it what arrives (addData) and
//! take whole messages (next); any violation is final and leaves the reader
//! in the error state, with errorString() saying what was wrong.
class FrameReader
{
public:
    explicit FrameReader(qint64 maxFrameSize = DefaultMaxFrameSize);

    enum class Status { NeedMore, Message, Error };

    void addData(const QByteArray &data);
    //! Appends what the device has ready straight to the buffer (no copy
    //! through a temporary array). Returns the bytes read.
    qint64 readFrom(QIODevice *device);
    //! Appends what a socket has ready, reading until it would block
    //! (without blocking): the bytes read, or -1 on an error (errno says
    //! which). *atEnd is set when the peer has closed its end.
    qint64 readFrom(int fd, bool *atEnd);
    //! The next whole message; *type (if given) says which it is.
    Status next(QCborMap *message, Type *type = nullptr);
    //! The same, with an envelope read without a map (Received).
    Status next(Received *message);
    //! The loop every receiver runs: hands each whole message to
    //! onMessage(const Received &), which returns false to stop early. True when
    //! it wants more bytes (or was stopped), false once the stream is
    //! broken (errorString() says how).
    template<typename OnMessage>
    bool drain(OnMessage &&onMessage)
    {
        Received message;
        for (;;) {
            switch (next(&message)) {
            case Status::NeedMore:
                return true;
            case Status::Error:
                return false;
            case Status::Message:
                if (!onMessage(std::as_const(message)))
                    return true;
                break;
            }
        }
    }

    //! Changes the limit for the frames not read yet (a connection's limit
    //! is small until its hello is accepted).
    void setMaxFrameSize(qint64 bytes) { m_maxFrameSize = bytes; }

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qint64 bufferedBytes() const { return m_buffer.size() - m_offset; }

private:
    Status fail(const QString &reason);
    //! Room for at least `bytes` more at the end, dropping what was consumed.
    char *reserve(qsizetype bytes);

    QByteArray m_buffer;
    qsizetype m_offset = 0;
    qint64 m_maxFrameSize;
    QString m_error;
};

} // namespace Drover::Internal::Wire
