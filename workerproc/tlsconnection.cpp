#include "tlsconnection.h"

#include "wire/wire.h"

#include <QtCore/QByteArray>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <cstdint>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
// OpenSSL's socket BIO writes with write(2): to a manager that is gone,
// that raises SIGPIPE, which would end the worker without ending what its
// tasks started. Blocking SIGPIPE is no way out: the threads that write
// also start the tasks' processes, which would inherit the mask. So the
// connection goes through a BIO of ours that sends with MSG_NOSIGNAL.
int bioWrite(BIO *bio, const char *data, int size)
{
    BIO_clear_retry_flags(bio);
    const int fd = int(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
    ssize_t n;
    do {
        n = ::send(fd, data, size_t(size), MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_write(bio);
    return int(n);
}

int bioRead(BIO *bio, char *data, int size)
{
    BIO_clear_retry_flags(bio);
    const int fd = int(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
    ssize_t n;
    do {
        n = ::recv(fd, data, size_t(size), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        BIO_set_retry_read(bio);
    return int(n);
}

long bioControl(BIO *, int command, long, void *)
{
    return command == BIO_CTRL_FLUSH ? 1 : 0; // nothing is buffered here
}

BIO *socketBio(int fd)
{
    static BIO_METHOD *const method = [] {
        BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "drover socket");
        BIO_meth_set_write(m, bioWrite);
        BIO_meth_set_read(m, bioRead);
        BIO_meth_set_ctrl(m, bioControl);
        return m;
    }();
    BIO *bio = BIO_new(method);
    BIO_set_data(bio, reinterpret_cast<void *>(intptr_t(fd)));
    BIO_set_init(bio, 1);
    return bio;
}

QString sslError()
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    return QString::fromLatin1(text);
}

// SSL_write on a non-blocking socket: waits while TLS wants the socket.
bool writeTls(SSL *ssl, int fd, const char *data, int size)
{
    for (;;) {
        const int n = SSL_write(ssl, data, size);
        if (n > 0)
            return true;
        const int why = SSL_get_error(ssl, n);
        if (why != SSL_ERROR_WANT_WRITE && why != SSL_ERROR_WANT_READ)
            return false;
        pollfd p{fd, short(why == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN), 0};
        ::poll(&p, 1, -1);
    }
}

} // namespace

int connectTcp(const QString &hostPort, QString *error)
{
    const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':'));
    QString host = hostPort.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QByteArray node = host.toUtf8();
    const QByteArray service = hostPort.mid(colon + 1).toLatin1();
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    if (colon <= 0 || ::getaddrinfo(node.constData(), service.constData(), &hints, &found) != 0 || !found) {
        *error = QStringLiteral("cannot resolve %1").arg(hostPort);
        return -1;
    }
    int fd = -1;
    for (addrinfo *a = found; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        *error = QString::fromLocal8Bit(::strerror(errno));
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
    ::freeaddrinfo(found);
    if (fd >= 0) {
        // Frames are written whole: no reason to wait for more.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

TlsConnection::~TlsConnection()
{
    SSL_free(static_cast<SSL *>(m_ssl));
    SSL_CTX_free(static_cast<SSL_CTX *>(m_ctx));
    if (m_tcp >= 0)
        ::close(m_tcp);
}

int TlsConnection::start(const QString &hostPort, const QString &fingerprint, QString *error)
{
    m_tcp = connectTcp(hostPort, error);
    if (m_tcp < 0)
        return -1;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    // Trust is the fingerprint alone (the certificate is self-signed):
    // checked below, before a byte of ours is sent.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    SSL *ssl = SSL_new(ctx);
    m_ctx = ctx;
    m_ssl = ssl;
    BIO *bio = socketBio(m_tcp);
    SSL_set_bio(ssl, bio, bio); // the SSL owns it
    if (SSL_connect(ssl) != 1) {
        *error = QStringLiteral("TLS handshake with %1 failed: %2").arg(hostPort, sslError());
        return -1;
    }
    X509 *peer = SSL_get1_peer_certificate(ssl);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const bool digested = peer && X509_digest(peer, EVP_sha256(), digest, &length) == 1;
    X509_free(peer);
    const QString got = digested ? QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(digest), length).toHex())
                                 : QString();
    if (got.isEmpty() || got.compare(fingerprint, Qt::CaseInsensitive) != 0) {
        *error = QStringLiteral("%1 is not the manager this worker trusts: its certificate's SHA-256 is %2, not %3")
                     .arg(hostPort, got.isEmpty() ? QStringLiteral("(none)") : got, fingerprint);
        return -1;
    }
    // From here on a read must never wait: the main thread reads when the
    // socket says so, and a TLS 1.3 session ticket is no data.
    ::fcntl(m_tcp, F_SETFL, ::fcntl(m_tcp, F_GETFL) | O_NONBLOCK);
    return m_tcp;
}

bool TlsConnection::write(QByteArrayView data)
{
    return writeTls(static_cast<SSL *>(m_ssl), m_tcp, data.data(), int(data.size()));
}

bool TlsConnection::readInto(Drover::Internal::Wire::FrameReader *reader)
{
    auto *ssl = static_cast<SSL *>(m_ssl);
    char buffer[64 * 1024];
    for (;;) {
        const int n = SSL_read(ssl, buffer, sizeof buffer);
        if (n > 0) {
            reader->addData(QByteArray(buffer, n));
            continue;
        }
        const int why = SSL_get_error(ssl, n);
        if (why == SSL_ERROR_WANT_READ)
            return true;
        if (why == SSL_ERROR_WANT_WRITE) {
            // Rare (a key update): let TLS write, then read on.
            pollfd p{m_tcp, POLLOUT, 0};
            ::poll(&p, 1, -1);
            continue;
        }
        return false; // closed, or broken: the manager is gone
    }
}

bool TlsConnection::hasPending() const
{
    return SSL_has_pending(static_cast<SSL *>(m_ssl)) == 1;
}
