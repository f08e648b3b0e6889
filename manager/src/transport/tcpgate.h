#pragma once

#include "transport/tlsidentity.h"
#include "wire/wire.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtNetwork/QHostAddress>

#include <chrono>
#include <memory>
#include <vector>

class QSslSocket;
class QTcpServer;

namespace Drover::Internal {

//! The TCP listener for workers on other hosts, and its connections until
//! their hello (docs/wire.md, "Workers on other hosts"). Every connection is
//! TLS with the manager's own certificate (TlsIdentity), unless the gate
//! listens without one (plain TCP: loopback only, Manager decides); once
//! encrypted it gets a challenge (a nonce) and must answer with a hello:
//!
//! - at most MaxPending connections wait for their hello, MaxPerAddress
//!   from one address; beyond that the oldest is closed first;
//! - until its hello, a connection may send at most HelloLimit bytes;
//! - it has HelloTimeout, TLS handshake included, to send it.
//!
//! Anything else (plaintext, a failed TLS handshake, another first frame)
//! closes it, logged with the peer's address, at most one line a second
//! (the others are counted in the next).
class TcpGate : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxPending = 32;
    static constexpr int MaxPerAddress = 8;
    static constexpr qint64 HelloLimit = 4096;
    static constexpr std::chrono::milliseconds HelloTimeout{3000};

    explicit TcpGate(QObject *parent = nullptr);
    ~TcpGate() override;

    //! Listens on address:port (port 0: any); false with *error set.
    //! A null `identity`: plain TCP (the caller allows it on loopback only).
    bool listen(const QHostAddress &address, quint16 port, const TlsIdentity &identity, QString *error);
    bool isListening() const;
    bool isEncrypted() const { return !m_identity.isNull(); }
    quint16 port() const;

    //! After helloArrived: the connection leaves the gate (the caller owns
    //! it) and *rest gets whatever came after the hello.
    QSslSocket *release(quintptr connection, Wire::FrameReader *rest);
    enum Report { Loudly, Quietly };
    //! After helloArrived: closes the connection, saying why.
    void refuse(quintptr connection, const QString &reason, Report report = Loudly);

    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    //! A whole first frame that is a hello arrived on `connection`, which
    //! was challenged with managerNonce; the receiver must call release()
    //! or refuse() before returning.
    void helloArrived(quintptr connection, const QString &peer, const QCborMap &hello, const QByteArray &managerNonce);
    //! A connection was refused; the text names the peer's address.
    void refused(const QString &message);

private:
    struct Pending;
    void accept(qintptr descriptor);
    Pending *find(quintptr connection) const;
    void read(Pending *pending);
    void close(Pending *pending, const QString &reason, Report report);
    std::unique_ptr<QSslSocket> take(Pending *pending);
    void report(const QString &message);

    QTcpServer *m_server = nullptr;
    TlsIdentity m_identity;
    std::vector<std::unique_ptr<Pending>> m_pending; // in order of arrival
    QElapsedTimer m_sinceLogged;
    int m_unlogged = 0;
};

} // namespace Drover::Internal
