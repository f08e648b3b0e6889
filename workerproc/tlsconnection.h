#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

namespace Drover::Internal::Wire { class FrameReader; }

//! A remote worker's TLS connection to its manager (docs/wire.md, "Workers
//! on other hosts"), with OpenSSL directly: the worker does not load
//! QtNetwork. start() connects to HOST:PORT, completes the TLS handshake
//! and goes on only if the manager's certificate is the one whose SHA-256
//! fingerprint the worker was given; then the socket is non-blocking and
//! ManagerLink reads and writes through this object, under its own lock
//! (one SSL object must not be used by two threads at once).
//! Connects a TCP socket to HOST:PORT ("[v6]:PORT" too), with TCP_NODELAY
//! (frames are written whole); -1 with *error set if it cannot.
int connectTcp(const QString &hostPort, QString *error);

class TlsConnection
{
public:
    TlsConnection() = default;
    //! Frees the connection (a worker that exits on its own leaves nothing
    //! to the leak checker).
    ~TlsConnection();
    TlsConnection(const TlsConnection &) = delete;
    TlsConnection &operator=(const TlsConnection &) = delete;

    //! Connects and verifies; returns the TCP socket to watch for reading
    //! (this object keeps owning it), or -1 with *error set.
    int start(const QString &hostPort, const QString &fingerprint, QString *error);

    //! Writes all of `data`, waiting while the socket is full; false once
    //! the manager is gone (never a SIGPIPE: the socket is written with
    //! MSG_NOSIGNAL).
    bool write(QByteArrayView data);
    //! Appends to `reader` what can be decrypted without waiting; false
    //! once the manager has gone (end of stream or a broken connection).
    bool readInto(Drover::Internal::Wire::FrameReader *reader);
    //! Whether decrypted or buffered bytes wait in OpenSSL: a write may
    //! have read records that the socket will not announce again.
    bool hasPending() const;

private:
    void *m_ctx = nullptr; // SSL_CTX
    void *m_ssl = nullptr; // SSL
    int m_tcp = -1;
};
