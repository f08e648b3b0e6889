#include "transport/workerlistener.h"

#include <QtCore/QFile>
#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace Drover::Internal {

namespace {
// Accepts per wake-up: a flood of connections cannot keep the event loop
// in here; the notifier is level-triggered and wakes again.
constexpr int AcceptBurst = 64;
// After shedding for lack of descriptors, how long accepting pauses.
constexpr auto ShedPause = 100ms;
constexpr auto RetryOpenInterval = 250ms;

QString errnoText(int error)
{
    return QString::fromLocal8Bit(::strerror(error));
}

int openReserve()
{
    return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}
} // namespace

WorkerListener::WorkerListener(QObject *parent)
    : QObject(parent)
{
    m_resume.setSingleShot(true);
    connect(&m_resume, &QTimer::timeout, this, [this] {
        if (m_notifier)
            m_notifier->setEnabled(true);
    });
    m_retryOpen.setSingleShot(true);
    connect(&m_retryOpen, &QTimer::timeout, this, [this] {
        QString error;
        if (open(&error)) {
            emit trouble(QStringLiteral("listening again on @%1").arg(m_name));
            return;
        }
        m_retryOpen.start(RetryOpenInterval);
    });
}

WorkerListener::~WorkerListener()
{
    close();
}

bool WorkerListener::listen(const QString &name, QString *error)
{
    close();
    m_name = name;
    return open(error);
}

bool WorkerListener::open(QString *error)
{
    const QByteArray encoded = QFile::encodeName(m_name);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    // An abstract name: a NUL, then the name, with no NUL after it (as
    // QLocalServer and drover-worker's ManagerLink spell it).
    if (encoded.isEmpty() || size_t(encoded.size()) + 1 > sizeof address.sun_path) {
        *error = QStringLiteral("the socket name \"%1\" is empty or too long").arg(m_name);
        return false;
    }
    memcpy(address.sun_path + 1, encoded.constData(), size_t(encoded.size()));
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + size_t(encoded.size()));

    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = QStringLiteral("socket(): %1").arg(errnoText(errno));
        return false;
    }
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), length) != 0
        || ::listen(fd, SOMAXCONN) != 0) {
        *error = QStringLiteral("cannot listen on @%1: %2").arg(m_name, errnoText(errno));
        ::close(fd);
        return false;
    }
    m_fd = fd;
    if (m_reserveFd < 0)
        m_reserveFd = openReserve();
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &WorkerListener::acceptAll);
    return true;
}

void WorkerListener::close()
{
    m_resume.stop();
    m_retryOpen.stop();
    delete m_notifier;
    m_notifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    if (m_reserveFd >= 0)
        ::close(m_reserveFd);
    m_reserveFd = -1;
}

void WorkerListener::acceptAll()
{
    for (int i = 0; i < AcceptBurst && m_fd >= 0; ++i) {
        const int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            emit accepted(fd);
            continue;
        }
        const int error = errno;
        switch (error) {
        case EAGAIN:
#if EAGAIN != EWOULDBLOCK
        case EWOULDBLOCK:
#endif
            return;
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
        case EPERM:
            continue; // that connection is gone; the socket is fine
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM: {
            bool freed = false;
            emit outOfDescriptors(&freed);
            if (freed)
                continue;
            shedOne();
            emit trouble(QStringLiteral("out of file descriptors (%1): refused a connection, still listening")
                             .arg(errnoText(error)));
            return;
        }
        default:
            reopen(QStringLiteral("accept() failed: %1").arg(errnoText(error)));
            return;
        }
    }
}

void WorkerListener::shedOne()
{
    // The reserve descriptor makes room to take the waiting connection and
    // close it; without it the notifier would wake at once, for ever.
    if (m_reserveFd >= 0) {
        ::close(m_reserveFd);
        m_reserveFd = -1;
        const int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0)
            ::close(fd);
        m_reserveFd = openReserve();
    }
    m_notifier->setEnabled(false);
    m_resume.start(ShedPause);
}

void WorkerListener::reopen(const QString &why)
{
    delete m_notifier;
    m_notifier = nullptr;
    ::close(m_fd);
    m_fd = -1;
    QString error;
    if (open(&error)) {
        emit trouble(QStringLiteral("the worker socket @%1 failed (%2) and listens again").arg(m_name, why));
        return;
    }
    emit trouble(QStringLiteral("the worker socket failed (%1) and cannot listen again yet (%2); retrying")
                     .arg(why, error));
    m_retryOpen.start(RetryOpenInterval);
}

} // namespace Drover::Internal
