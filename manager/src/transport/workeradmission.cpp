#include "transport/workeradmission.h"

#include "logging.h"
#include "wire/auth.h"
#include "wire/messages.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRandomGenerator>
#include <QtNetwork/QLocalSocket>
#include <QtNetwork/QSslSocket>

namespace Drover::Internal {

namespace {
QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    return raw.toHex();
}
} // namespace

WorkerAdmission::WorkerAdmission(QObject *parent)
    : QObject(parent)
    , m_secret(randomHex(32))
{
    // The socket is abstract (no file), so anyone on the machine may
    // connect: a connection is only accepted with the secret and from the
    // very process started for that worker id (SO_PEERCRED), and until then
    // the gate keeps it cheap.
    m_gate.isExpectedPid = [this](qint64 pid) { return isExpectedPid(pid); };
    connect(&m_listener, &WorkerListener::accepted, &m_gate, &HandshakeGate::admit);
    connect(&m_listener, &WorkerListener::outOfDescriptors, this, [this](bool *freed) {
        *freed = m_gate.dropOldestStranger(QStringLiteral("out of file descriptors"));
    });
    connect(&m_listener, &WorkerListener::trouble, this, [this](const QString &message) {
        qCWarning(lcManager).noquote() << message;
        emit trouble(message);
    });
    connect(&m_gate, &HandshakeGate::helloArrived, this, &WorkerAdmission::checkHello);
    connect(&m_gate, &HandshakeGate::refused, this, [this](const QString &message) { emit protocolError(message); });
    connect(&m_tcp, &TcpGate::helloArrived, this, &WorkerAdmission::checkTcpHello);
    connect(&m_tcp, &TcpGate::refused, this, [this](const QString &message) { emit protocolError(message); });
}

WorkerAdmission::~WorkerAdmission() = default;

bool WorkerAdmission::listen(QString *error)
{
    if (m_listener.isListening())
        return true;
    // Named from randomness of its own: the name is public (/proc/net/unix).
    const QString name = QStringLiteral("drover-%1-%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(QString::fromLatin1(randomHex(8)));
    if (!m_listener.listen(name, error))
        return false;
    m_serverName = Wire::AbstractPrefix + name;
    qCDebug(lcManager) << "listening on" << m_serverName;
    return true;
}

bool WorkerAdmission::listenTcp(const QHostAddress &address, quint16 port, bool tls, QString *error)
{
    if (m_tcp.isListening())
        return true;
    if (tls && m_identity.isNull())
        m_identity = TlsIdentity::generate(error);
    if ((tls && m_identity.isNull()) || !m_tcp.listen(address, port, tls ? m_identity : TlsIdentity(), error))
        return false;
    qCDebug(lcManager) << "listening for remote workers on" << address << m_tcp.port() << (tls ? "with TLS" : "without TLS");
    return true;
}

void WorkerAdmission::expect(int workerId, Expectation expectation)
{
    m_highestExpected = std::max(m_highestExpected, workerId);
    m_expected.insert(workerId, std::move(expectation));
}

bool WorkerAdmission::isExpectedPid(qint64 pid) const
{
    for (const Expectation &expected : m_expected) {
        if (expected.pid() == pid)
            return true;
    }
    return false;
}

void WorkerAdmission::checkHello(int fd, const Peer &peer, const QCborMap &map)
{
    const Wire::Hello hello = Wire::Hello::fromMap(map);
    if (!Wire::Auth::sameBytes(hello.secret, m_secret)) {
        m_gate.refuse(fd, QStringLiteral("hello with a wrong secret"));
        return;
    }
    const int id = hello.workerId;
    auto it = m_expected.find(id);
    if (it == m_expected.end() || it->remote || it->pid() < 0) {
        // With the right secret, this is one of ours that was given up
        // (killed, timed out) before its hello came: no intruder.
        if (id > 0 && id <= m_highestExpected) {
            m_gate.refuse(fd, QStringLiteral("worker %1 said hello after it was given up").arg(id), HandshakeGate::Quietly);
            return;
        }
        m_gate.refuse(fd, QStringLiteral("hello from worker id %1, which this manager never started").arg(id));
        return;
    }
    const qint64 pid = it->pid();
    if (peer.pid != pid) {
        m_gate.refuse(fd, QStringLiteral("hello for worker %1 from pid %2, which is not the process started for it (pid %3)")
                              .arg(id).arg(peer.pid).arg(pid));
        return;
    }
    // From here on the hello is its own process's: a refusal ends it too.
    const Expectation expected = m_expected.take(id);
    const QString refusal = mismatch(hello, expected);
    if (!refusal.isEmpty()) {
        m_gate.refuse(fd, refusal);
        expected.refuse(refusal);
        return;
    }
    qCDebug(lcManager) << "worker" << id << "pid" << peer.pid << "connected";
    Wire::FrameReader rest;
    QLocalSocket *socket = m_gate.release(fd, &rest); // ends the life of peer
    rest.setMaxFrameSize(m_maxFrameSize);
    expected.admit(socket, std::move(rest));
}

} // namespace Drover::Internal

namespace Drover::Internal {

QString WorkerAdmission::mismatch(const Wire::Hello &hello, const Expectation &expected)
{
    const int id = hello.workerId;
    if (hello.version != Wire::ProtocolVersion)
        return QStringLiteral("worker %1 speaks protocol version %2; this manager speaks %3")
            .arg(id).arg(hello.version).arg(Wire::ProtocolVersion);
    if (hello.kind != expected.kind)
        return QStringLiteral("worker %1 says it serves kind \"%2\", not \"%3\"").arg(id).arg(hello.kind, expected.kind);
    // As rpc_parallel's binary check: the other host must run what we would.
    if (hello.build != expected.workerBuild)
        return QStringLiteral("worker %1 runs drover-worker of build %2, but this manager's drover-worker is build %3")
            .arg(id).arg(hello.build.isEmpty() ? QStringLiteral("(none)") : hello.build,
                         expected.workerBuild.isEmpty() ? QStringLiteral("(none)") : expected.workerBuild);
    if (hello.pluginBuild != expected.pluginBuild)
        return QStringLiteral("worker %1 loaded %2 of build %3, but this manager's is build %4")
            .arg(id).arg(expected.pluginFile, hello.pluginBuild.isEmpty() ? QStringLiteral("(none)") : hello.pluginBuild,
                         expected.pluginBuild.isEmpty() ? QStringLiteral("(none)") : expected.pluginBuild);
    return {};
}

void WorkerAdmission::checkTcpHello(quintptr connection, const QString &peer, const QCborMap &map,
                                    const QByteArray &managerNonce)
{
    const Wire::Hello hello = Wire::Hello::fromMap(map);
    const int id = hello.workerId;
    // The proof covers this connection's nonce: a hello recorded from
    // another connection, or made without the secret, does not fit.
    if (hello.nonce.size() != Wire::Auth::NonceSize
        || !Wire::Auth::sameBytes(hello.proof, Wire::Auth::proof(Wire::Auth::Worker, m_secret, managerNonce, hello.nonce, id))) {
        m_tcp.refuse(connection, QStringLiteral("hello with a wrong proof (not the secret, or a replayed handshake)"));
        return;
    }
    auto it = m_expected.find(id);
    if (it == m_expected.end() || !it->remote) {
        if (id > 0 && id <= m_highestExpected) {
            m_tcp.refuse(connection, QStringLiteral("worker %1 said hello after it was given up").arg(id), TcpGate::Quietly);
            return;
        }
        m_tcp.refuse(connection, QStringLiteral("hello from worker id %1, which this manager never started").arg(id));
        return;
    }
    const Expectation expected = m_expected.take(id);
    if (const QString refusal = mismatch(hello, expected); !refusal.isEmpty()) {
        m_tcp.refuse(connection, refusal);
        expected.refuse(refusal);
        return;
    }
    qCDebug(lcManager) << "remote worker" << id << "pid" << hello.pid << "connected from" << peer;
    Wire::FrameReader rest;
    QSslSocket *socket = m_tcp.release(connection, &rest);
    Wire::FrameWriter writer;
    const Wire::Proof proof{Wire::Auth::proof(Wire::Auth::Manager, m_secret, managerNonce, hello.nonce, id)};
    socket->write(Wire::frameOf(writer, proof, m_maxFrameSize).toByteArray());
    rest.setMaxFrameSize(m_maxFrameSize);
    expected.admit(socket, std::move(rest));
}

} // namespace Drover::Internal
