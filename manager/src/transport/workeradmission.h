#pragma once

#include "transport/handshakegate.h"
#include "transport/tcpgate.h"
#include "transport/tlsidentity.h"
#include "transport/workerlistener.h"
#include "wire/messages.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>

class QIODevice;

namespace Drover::Internal {

//! The way in for workers: it listens, keeps strangers cheap (HandshakeGate),
//! checks each hello (secret, worker id, the peer's pid, protocol version,
//! kind) and hands the connection of a worker it was told to expect to
//! whoever expects it. Nothing else accepts or authenticates a connection,
//! and it knows nothing of queues or processes: a pool tells it what to
//! expect and gets a ready connection back.
//!
//! Two transports stand behind the same expect()/forget(): the local socket
//! (SO_PEERCRED and the secret) and, once listenTcp() was called, TCP with
//! TLS for workers on other hosts (a challenge-response over the secret
//! and the build ids of the worker and its plugin; docs/wire.md).
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
    //! Opens the TCP listener for remote workers (port 0: any) and, with
    //! `tls`, makes the TLS identity they trust; false with *error set if
    //! it cannot.
    bool listenTcp(const QHostAddress &address, quint16 port, bool tls, QString *error);
    bool isListeningTcp() const { return m_tcp.isListening(); }
    bool isTcpEncrypted() const { return m_tcp.isEncrypted(); }
    quint16 tcpPort() const { return m_tcp.port(); }
    //! The SHA-256 fingerprint of the certificate remote workers trust
    //! (empty for plain TCP).
    QString fingerprint() const { return m_identity.fingerprint; }

    //! Frames after the hello may be this large.
    void setMaxFrameSize(qint64 bytes) { m_maxFrameSize = bytes; }

    struct Expectation
    {
        QString kind;
        //! It comes over TCP (from another host): no pid to check, but a
        //! proof and the build ids below.
        bool remote = false;
        QString workerBuild;  //!< remote: drover-worker's build id here
        QString pluginBuild;  //!< remote: the plugin's build id here
        QString pluginFile;   //!< named when the plugin's build differs
        //! The pid of the process started for it (-1: gone).
        std::function<qint64()> pid;
        //! Its hello checked out: the connection (a QLocalSocket, or a
        //! QSslSocket for a remote worker), and what came after the hello.
        std::function<void(QIODevice *socket, Wire::FrameReader rest)> admit;
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
    void checkTcpHello(quintptr connection, const QString &peer, const QCborMap &hello, const QByteArray &managerNonce);
    //! Why a remote worker's hello does not fit what was expected, or empty.
    static QString mismatch(const Wire::Hello &hello, const Expectation &expected);
    bool isExpectedPid(qint64 pid) const;

    WorkerListener m_listener;
    HandshakeGate m_gate;
    TcpGate m_tcp;
    TlsIdentity m_identity;
    QString m_serverName;
    QByteArray m_secret;
    qint64 m_maxFrameSize = Wire::DefaultMaxFrameSize;
    QHash<int, Expectation> m_expected;
    int m_highestExpected = 0;
};

} // namespace Drover::Internal
