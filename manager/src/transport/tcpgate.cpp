#include "transport/tcpgate.h"

#include "logging.h"
#include "wire/auth.h"
#include "wire/messages.h"

#include <QtCore/QTimer>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>

#include <algorithm>

using namespace std::chrono_literals;

namespace Drover::Internal {

namespace {
constexpr auto LogInterval = 1000ms;

// A QTcpServer that hands over descriptors: the gate makes the QSslSocket.
class DescriptorServer : public QTcpServer
{
public:
    std::function<void(qintptr)> onConnection;

protected:
    void incomingConnection(qintptr descriptor) override { onConnection(descriptor); }
};
} // namespace

struct TcpGate::Pending
{
    std::unique_ptr<QSslSocket> socket;
    QString peer;
    QByteArray nonce;
    QTimer timer;
    Wire::FrameReader reader{TcpGate::HelloLimit};
};

TcpGate::TcpGate(QObject *parent)
    : QObject(parent)
{
}

TcpGate::~TcpGate()
{
    for (const auto &pending : m_pending) {
        pending->socket->disconnect(this);
        pending->socket->abort();
    }
}

bool TcpGate::listen(const QHostAddress &address, quint16 port, const TlsIdentity &identity, QString *error)
{
    if (!identity.isNull() && !QSslSocket::supportsSsl()) {
        *error = QStringLiteral("Qt has no TLS backend here (%1)").arg(QSslSocket::activeBackend());
        return false;
    }
    auto *server = new DescriptorServer;
    server->setParent(this);
    server->onConnection = [this](qintptr descriptor) { accept(descriptor); };
    if (!server->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(server->errorString());
        delete server;
        return false;
    }
    delete m_server;
    m_server = server;
    m_identity = identity;
    return true;
}

bool TcpGate::isListening() const
{
    return m_server && m_server->isListening();
}

quint16 TcpGate::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

TcpGate::Pending *TcpGate::find(quintptr connection) const
{
    auto it = std::find_if(m_pending.begin(), m_pending.end(),
                           [connection](const auto &p) { return quintptr(p->socket.get()) == connection; });
    return it == m_pending.end() ? nullptr : it->get();
}

void TcpGate::accept(qintptr descriptor)
{
    auto pending = std::make_unique<Pending>();
    pending->socket = std::make_unique<QSslSocket>();
    QSslSocket *socket = pending->socket.get();
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcWire) << "cannot take a TCP connection:" << socket->errorString();
        return;
    }
    pending->peer = QStringLiteral("%1 port %2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
    // Frames are written whole, and a round trip is what an IDE waits for:
    // no Nagle delay (the worker's end sets TCP_NODELAY too).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Make room: the same address's oldest first, then anyone's oldest.
    const QHostAddress from = socket->peerAddress();
    const auto sameAddress = [&](const auto &p) { return p->socket->peerAddress() == from; };
    if (std::count_if(m_pending.begin(), m_pending.end(), sameAddress) >= MaxPerAddress)
        close(std::find_if(m_pending.begin(), m_pending.end(), sameAddress)->get(),
              QStringLiteral("more than %1 connections without a hello from one address").arg(MaxPerAddress), Loudly);
    if (int(m_pending.size()) >= MaxPending)
        close(m_pending.front().get(), QStringLiteral("more than %1 connections without a hello").arg(MaxPending), Loudly);

    Pending *p = pending.get();
    const auto challenge = [this, p] {
        p->nonce = Wire::Auth::nonce();
        Wire::FrameWriter writer;
        p->socket->write(Wire::frameOf(writer, Wire::Challenge{p->nonce}, HelloLimit).toByteArray());
    };
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(m_identity.certificate);
    tls.setPrivateKey(m_identity.key);
    tls.setProtocol(QSsl::TlsV1_3OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // workers prove themselves in the hello
    socket->setSslConfiguration(tls);
    socket->setReadBufferSize(HelloLimit);
    connect(socket, &QSslSocket::encrypted, this, challenge);
    connect(socket, &QSslSocket::readyRead, this, [this, p] { read(p); });
    connect(socket, &QSslSocket::errorOccurred, this, [this, p](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            close(p, QStringLiteral("closed before its hello"), Quietly);
        else if (error == QAbstractSocket::SslHandshakeFailedError)
            close(p, QStringLiteral("no TLS handshake (plaintext, or not a worker): %1").arg(p->socket->errorString()), Loudly);
        else
            close(p, QStringLiteral("connection failed before its hello: %1").arg(p->socket->errorString()), Loudly);
    });
    connect(socket, &QSslSocket::disconnected, this, [this, p] {
        if (find(quintptr(p->socket.get())))
            close(p, QStringLiteral("closed before its hello"), Quietly);
    });
    p->timer.setSingleShot(true);
    connect(&p->timer, &QTimer::timeout, this, [this, p] {
        close(p, p->socket->isEncrypted() || !isEncrypted() ? QStringLiteral("no hello within %1 ms").arg(HelloTimeout.count())
                                          : QStringLiteral("no TLS handshake within %1 ms").arg(HelloTimeout.count()),
              Loudly);
    });
    p->timer.start(HelloTimeout);
    m_pending.push_back(std::move(pending));
    if (isEncrypted())
        socket->startServerEncryption();
    else
        challenge(); // plain TCP on loopback: the challenge at once

}

void TcpGate::read(Pending *p)
{
    if (p->socket->isEncrypted() || !isEncrypted()) {
        const qint64 room = HelloLimit - p->reader.bufferedBytes();
        if (room > 0)
            p->reader.addData(p->socket->read(room));
    }
    QCborMap hello;
    Wire::Type type = Wire::Type::Unknown;
    switch (p->reader.next(&hello, &type)) {
    case Wire::FrameReader::Status::NeedMore:
        if (p->reader.bufferedBytes() >= HelloLimit)
            close(p, QStringLiteral("sent %1 bytes without a whole hello").arg(HelloLimit), Loudly);
        return;
    case Wire::FrameReader::Status::Error:
        close(p, p->reader.errorString(), Loudly);
        return;
    case Wire::FrameReader::Status::Message:
        break;
    }
    if (type != Wire::Type::Hello) {
        close(p, QStringLiteral("first message is \"%1\", not hello").arg(Wire::typeName(type)), Loudly);
        return;
    }
    p->timer.stop();
    const quintptr connection = quintptr(p->socket.get());
    emit helloArrived(connection, p->peer, hello, p->nonce);
    if (Pending *still = find(connection); still == p) // the receiver must decide
        close(p, QStringLiteral("hello left unanswered"), Loudly);
}

std::unique_ptr<QSslSocket> TcpGate::take(Pending *p)
{
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [p](const auto &q) { return q.get() == p; });
    std::unique_ptr<Pending> owned = std::move(*it);
    m_pending.erase(it);
    owned->socket->disconnect(this);
    std::unique_ptr<QSslSocket> socket = std::move(owned->socket);
    // Destroyed later: this may run from the connection's own signal.
    owned->timer.stop();
    QTimer::singleShot(0, this, [doomed = std::shared_ptr<Pending>(std::move(owned))] {});
    return socket;
}

QSslSocket *TcpGate::release(quintptr connection, Wire::FrameReader *rest)
{
    Pending *p = find(connection);
    if (!p)
        return nullptr;
    *rest = std::move(p->reader);
    std::unique_ptr<QSslSocket> socket = take(p);
    socket->setReadBufferSize(0);
    return socket.release();
}

void TcpGate::refuse(quintptr connection, const QString &reason, Report report)
{
    if (Pending *p = find(connection))
        close(p, reason, report);
}

void TcpGate::close(Pending *p, const QString &reason, Report how)
{
    const QString message = QStringLiteral("refused a TCP connection from %1: %2").arg(p->peer, reason);
    std::unique_ptr<QSslSocket> socket = take(p);
    socket->abort();
    socket.release()->deleteLater();
    if (how == Quietly)
        qCDebug(lcWire).noquote() << message;
    else
        report(message);
}

void TcpGate::report(const QString &message)
{
    if (m_sinceLogged.isValid() && m_sinceLogged.elapsed() < LogInterval.count()) {
        ++m_unlogged;
        return;
    }
    m_sinceLogged.start();
    const QString line = m_unlogged == 0
        ? message
        : QStringLiteral("%1 (and %2 other refusals in the last second)").arg(message).arg(m_unlogged);
    m_unlogged = 0;
    qCWarning(lcWire).noquote() << line;
    emit refused(line);
}

} // namespace Drover::Internal
