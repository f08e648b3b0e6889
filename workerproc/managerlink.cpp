#include "managerlink.h"

#include "descendants.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace Wire = Drover::Internal::Wire;

ManagerLink::ManagerLink() = default;

ManagerLink::~ManagerLink()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool ManagerLink::connectTo(const QString &server, const QString &fingerprint, QString *error)
{
    if (server.startsWith(Wire::TlsPrefix)) {
        m_tls = std::make_unique<TlsConnection>();
        const int tcp = m_tls->start(server.mid(Wire::TlsPrefix.size()), fingerprint, error);
        if (tcp < 0)
            return false;
        m_notifier = new QSocketNotifier(tcp, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &ManagerLink::readable);
        return true;
    }
    if (server.startsWith(Wire::TcpPrefix)) { // plain TCP: a manager on loopback
        m_fd = connectTcp(server.mid(Wire::TcpPrefix.size()), error);
        if (m_fd < 0)
            return false;
        m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &ManagerLink::readable);
        return true;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const bool abstract = server.startsWith(Wire::AbstractPrefix);
    // The name as QLocalServer binds it: abstract names as given, paths
    // relative to the temporary directory.
    const QString path = abstract || server.startsWith(QLatin1Char('/'))
        ? server.mid(abstract ? Wire::AbstractPrefix.size() : 0)
        : QDir::tempPath() + QLatin1Char('/') + server;
    const QByteArray name = QFile::encodeName(path);
    // An abstract name starts with a NUL; a path ends with one.
    if (name.isEmpty() || size_t(name.size()) + 1 > sizeof address.sun_path) {
        *error = QStringLiteral("the socket name is empty or too long");
        return false;
    }
    memcpy(address.sun_path + (abstract ? 1 : 0), name.constData(), size_t(name.size()));
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(name.size()) + 1);

    m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        *error = QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    int result;
    do {
        result = ::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), length);
    } while (result != 0 && errno == EINTR);
    if (result != 0) {
        *error = QString::fromLocal8Bit(strerror(errno));
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ManagerLink::readable);
    return true;
}

void ManagerLink::setMaxFrameSize(qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    m_maxFrameSize = bytes;
}

qint64 ManagerLink::maxFrameSize() const
{
    std::lock_guard lock(m_mutex);
    return m_maxFrameSize;
}

void ManagerLink::write(QByteArrayView frame)
{
    if (m_tls) {
        if (!m_tls->write(frame))
            Descendants::exitAfterEndingAll(0); // the manager is gone
        // Writing may have read records the socket will not announce again.
        if (m_tls->hasPending())
            QMetaObject::invokeMethod(this, &ManagerLink::readable, Qt::QueuedConnection);
        return;
    }
    const char *data = frame.data();
    qsizetype left = frame.size();
    while (left > 0) {
        const ssize_t n = ::send(m_fd, data, size_t(left), MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            left -= n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{m_fd, POLLOUT, 0};
            ::poll(&p, 1, -1);
        } else {
            // The manager is gone (EPIPE, ECONNRESET): so is our purpose.
            Descendants::exitAfterEndingAll(0);
        }
    }
}

bool ManagerLink::readInto(Wire::FrameReader *reader)
{
    if (m_tls) {
        std::lock_guard lock(m_mutex); // one SSL object, used by one thread at a time
        return m_tls->readInto(reader);
    }
    bool atEnd = false;
    const qint64 got = reader->readFrom(m_fd, &atEnd);
    return got >= 0 && !atEnd;
}
