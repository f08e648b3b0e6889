#pragma once

#include "transport/handshakegate.h"
#include "wire/wire.h"
#include "transport/workerlistener.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>

class QLocalSocket;

namespace Drover::Internal {

//! The way in for workers: it listens, keeps strangers cheap (HandshakeGate),
//! checks each hello (secret, worker id, the peer's pid, protocol version,
//! kind) and hands the connection of a worker it was told to expect to
//! whoever expects it. Nothing else accepts or authenticates a connection,
//! and it knows nothing of queues or processes: a pool tells it what to
//! expect and gets a ready connection back.
//!
//! The local socket is the one transport today; a TCP transport (workers
//! on other hosts) is the next one behind the same expect()/forget().
class WorkerAdmission : public QObject
{
    Q_OBJECT
public:
    explicit WorkerAdmission(QObject *parent = nullptr);
    ~WorkerAdmission() override;

    //! Opens the socket; false with *error set if it cannot.
    bool listen(QString *error);
    bool isListening() const { return m_listener.isListening(); }
    //! What a worker passes to Wire::connectToManager() (DROVER_SERVER).
    QString serverName() const { return m_serverName; }
    //! The per-manager secret a worker proves itself with.
    QByteArray secret() const { return m_secret; }
    //! Frames after the hello may be this large.
    void setMaxFrameSize(qint64 bytes) { m_maxFrameSize = bytes; }

    struct Expectation
    {
        QString kind;
        //! The pid of the process started for it (-1: gone).
        std::function<qint64()> pid;
        //! Its hello checked out: the connection, and what came after the hello.
        std::function<void(QLocalSocket *socket, Wire::FrameReader rest)> admit;
        //! Its own process sent a hello that does not check out.
        std::function<void(const QString &why)> refuse;
    };
    //! Worker `workerId` will connect (ids grow; one expectation each).
    void expect(int workerId, Expectation expectation);
    //! It will not, or it did: its hello is no longer taken.
    void forget(int workerId) { m_expected.remove(workerId); }

Q_SIGNALS:
    //! A connection was refused (bad hello, stranger dropped); the text
    //! names the peer's pid and uid. From the event loop.
    void protocolError(const QString &message);
    //! The listening socket was in trouble and was kept working (out of
    //! descriptors, reopened); the text says what was done. From the event loop.
    void trouble(const QString &message);

private:
    void checkHello(int fd, const Peer &peer, const QCborMap &hello);
    bool isExpectedPid(qint64 pid) const;

    WorkerListener m_listener;
    HandshakeGate m_gate;
    QString m_serverName;
    QByteArray m_secret;
    qint64 m_maxFrameSize = Wire::DefaultMaxFrameSize;
    QHash<int, Expectation> m_expected;
    int m_highestExpected = 0;
};

} // namespace Drover::Internal
