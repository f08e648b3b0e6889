#include "tlsrelay.h"

#include <QtCore/QByteArray>

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
#include <csignal>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
// OpenSSL writes with write(2): to a manager that is gone, that raises
// SIGPIPE, which would end the worker without ending what its tasks
// started. The relay's thread starts no process, so it blocks SIGPIPE for
// good (write then fails with EPIPE); the main thread blocks it only for
// the handshake and drops one that came meanwhile.
class NoSigpipe
{
public:
    NoSigpipe()
    {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_before);
    }
    ~NoSigpipe()
    {
        const timespec now{0, 0};
        while (sigtimedwait(&m_pipe, nullptr, &now) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &m_before, nullptr);
    }

private:
    sigset_t m_pipe;
    sigset_t m_before;
};

QString sslError()
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    return QString::fromLatin1(text);
}

bool writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= size_t(n);
    }
    return true;
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
} // namespace

TlsRelay::~TlsRelay()
{
    // The worker's end of the pair is closed by now (ManagerLink closes it
    // first): the relay sees that at once, shuts the connection and ends.
    if (m_pair >= 0)
        ::shutdown(m_pair, SHUT_RDWR);
    if (m_thread.joinable())
        m_thread.join();
    SSL_free(static_cast<SSL *>(m_ssl));
    SSL_CTX_free(static_cast<SSL_CTX *>(m_ctx));
    if (m_pair >= 0)
        ::close(m_pair);
    if (m_tcp >= 0)
        ::close(m_tcp);
}

int TlsRelay::start(const QString &hostPort, const QString &fingerprint, QString *error)
{
    const NoSigpipe duringHandshake;
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
    SSL_set_fd(ssl, m_tcp);
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
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        *error = QString::fromLocal8Bit(::strerror(errno));
        return -1;
    }
    m_pair = pair[1];
    // From here on no call may block the relay on one direction while the
    // other has bytes (a TLS 1.3 session ticket is no data).
    ::fcntl(m_tcp, F_SETFL, ::fcntl(m_tcp, F_GETFL) | O_NONBLOCK);
    m_thread = std::thread([this] { pump(); });
    return pair[0];
}

void TlsRelay::pump()
{
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    auto *ssl = static_cast<SSL *>(m_ssl);
    char buffer[64 * 1024];
    for (;;) {
        // What OpenSSL has decrypted already is not on the socket.
        pollfd fds[2] = {{m_tcp, POLLIN, 0}, {m_pair, POLLIN, 0}};
        if (SSL_pending(ssl) == 0 && ::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (SSL_pending(ssl) > 0 || (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            const int n = SSL_read(ssl, buffer, sizeof buffer);
            if (n > 0) {
                if (!writeAll(m_pair, buffer, size_t(n)))
                    break;
            } else if (const int why = SSL_get_error(ssl, n); why != SSL_ERROR_WANT_READ && why != SSL_ERROR_WANT_WRITE) {
                break; // the manager is gone: the worker sees its end
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(m_pair, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                break;
            if (n > 0 && !writeTls(ssl, m_tcp, buffer, int(n)))
                break;
        }
    }
    ::shutdown(m_pair, SHUT_RDWR);
    ::shutdown(m_tcp, SHUT_RDWR);
}
