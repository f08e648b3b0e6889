#pragma once

// What tst_remote plays against a manager's TCP listener: a peer that
// speaks TLS (or not) and says what the test makes it say, and a relay
// that sits in the middle and keeps every byte it carries.

#include "wire/auth.h"
#include "wire/messages.h"

#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <memory>
#include <vector>

namespace TestSupport {

namespace Wire = Drover::Internal::Wire;

//! A TLS client that trusts anything (it is the attacker) and reads the
//! manager's challenge.
class TlsPeer
{
public:
    explicit TlsPeer(quint16 port)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.setSslConfiguration(tls);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    }

    //! Waits for the TLS handshake and the challenge (on the event loop:
    //! the manager is in this thread); its nonce, or empty.
    QByteArray challenge()
    {
        QCborMap map;
        Wire::Type type = Wire::Type::Unknown;
        const bool arrived = QTest::qWaitFor([&] {
            reader.addData(socket.readAll());
            return reader.next(&map, &type) != Wire::FrameReader::Status::NeedMore;
        }, 20000);
        return arrived && type == Wire::Type::Challenge ? Wire::Challenge::fromMap(map).nonce : QByteArray();
    }

    void send(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }

    QSslSocket socket;
    Wire::FrameReader reader;
};

//! A hello that proves `secret` for the challenge `managerNonce`.
inline QByteArray helloFrame(const QByteArray &secret, const QByteArray &managerNonce, int workerId)
{
    Wire::Hello hello;
    hello.version = Wire::ProtocolVersion;
    hello.kind = QStringLiteral("scripted");
    hello.workerId = workerId;
    hello.pid = 4242;
    hello.nonce = Wire::Auth::nonce();
    hello.proof = Wire::Auth::proof(Wire::Auth::Worker, secret, managerNonce, hello.nonce, workerId);
    return Wire::encodeFrame(hello.toMap());
}

//! A TCP relay from a port of its own to the manager's: every byte both
//! ways is kept in `seen`.
class Relay : public QObject
{
public:
    explicit Relay(quint16 target)
        : m_target(target)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *in = m_server.nextPendingConnection()) {
                auto *out = new QTcpSocket(in);
                out->connectToHost(QHostAddress::LocalHost, m_target);
                connect(in, &QTcpSocket::readyRead, out, [this, in, out] { carry(in, out); });
                connect(out, &QTcpSocket::connected, out, [this, in, out] { carry(in, out); });
                connect(out, &QTcpSocket::readyRead, in, [this, in, out] { carry(out, in); });
                connect(in, &QTcpSocket::disconnected, out, &QTcpSocket::disconnectFromHost);
                connect(out, &QTcpSocket::disconnected, in, &QTcpSocket::disconnectFromHost);
                connect(in, &QTcpSocket::disconnected, in, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray seen;

private:
    void carry(QTcpSocket *from, QTcpSocket *to)
    {
        if (to->state() != QAbstractSocket::ConnectedState)
            return;
        const QByteArray bytes = from->readAll();
        seen += bytes;
        to->write(bytes);
    }

    QTcpServer m_server;
    quint16 m_target;
};

} // namespace TestSupport
