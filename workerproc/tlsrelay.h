#pragma once

#include <QtCore/QString>

#include <thread>

//! A remote worker's TLS connection to its manager (docs/wire.md, "Workers
//! on other hosts"). It connects to HOST:PORT, completes the TLS handshake,
//! and talks on only if the manager's certificate is the one whose SHA-256
//! fingerprint the worker was given. Then a thread of its own carries bytes
//! between the TLS connection and one end of a socket pair; the worker's
//! ManagerLink uses the other end as it would a local socket, so sending
//! stays a plain write from any thread. Either side ending ends the other.
//! OpenSSL directly: the worker does not load QtNetwork.
class TlsRelay
{
public:
    TlsRelay() = default;
    //! Ends the relay's thread and frees the connection (a worker that
    //! exits on its own leaves nothing to the leak checker).
    ~TlsRelay();
    TlsRelay(const TlsRelay &) = delete;
    TlsRelay &operator=(const TlsRelay &) = delete;

    //! Connects and verifies; returns the worker's end of the pair (the
    //! caller owns it), or -1 with *error set.
    int start(const QString &hostPort, const QString &fingerprint, QString *error);

private:
    void pump();

    void *m_ctx = nullptr; // SSL_CTX
    void *m_ssl = nullptr; // SSL
    int m_tcp = -1;
    int m_pair = -1;       // the relay's end
    std::thread m_thread;
};
