#include "slots/tokenserverclient.h"

#include "logging.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace Drover::Internal {

namespace {
QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// A connected socket whose hello said the server's cap; -1 if none answers.
int connectTo(const QByteArray &path, int *cap)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (size_t(path.size()) >= sizeof address.sun_path)
        return -1;
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()) + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    // The hello is one short line, sent on accept.
    QByteArray hello;
    char c = 0;
    pollfd p{fd, POLLIN, 0};
    while (hello.size() < 64 && ::poll(&p, 1, 2000) == 1 && ::recv(fd, &c, 1, 0) == 1 && c != '\n')
        hello += c;
    bool ok = false;
    if (hello.startsWith("drover-slots "))
        *cap = hello.mid(13).toInt(&ok);
    if (!ok || *cap < 1) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool isOwnersAlone(const QByteArray &dir)
{
    struct stat st {};
    return ::lstat(dir.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::getuid() && !(st.st_mode & 077);
}
} // namespace

QString TokenServerClient::directory(QString *error)
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString dir = !runtime.isEmpty() && QFileInfo(runtime).isDir()
                            ? runtime + QStringLiteral("/drover")
                            : QStringLiteral("/tmp/drover-%1").arg(::getuid());
    const QByteArray path = QFile::encodeName(dir);
    if (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST) {
        *error = QStringLiteral("%1: %2").arg(dir, errnoText(errno));
        return {};
    }
    if (!isOwnersAlone(path)) {
        *error = QStringLiteral("%1 is not a directory of this user's alone (mode 0700)").arg(dir);
        return {};
    }
    return dir;
}

std::unique_ptr<TokenServerClient> TokenServerClient::connectOrStart(int cap, const QString &program, int *serverCap,
                                                                     QString *error)
{
    const QString dir = directory(error);
    if (dir.isEmpty())
        return nullptr;
    const QString path = dir + QStringLiteral("/slots");
    const QByteArray socketPath = QFile::encodeName(path);
    // At setup only: the server answers within milliseconds of its start.
    const QDeadlineTimer deadline(std::chrono::seconds(5));
    QDeadlineTimer restart;
    while (!deadline.hasExpired()) {
        if (const int fd = connectTo(socketPath, serverCap); fd >= 0)
            return std::unique_ptr<TokenServerClient>(new TokenServerClient(fd, *serverCap, path));
        if (restart.hasExpired()) {
            // Detached: it serves every process of the user, and outlives
            // this one when others still use it.
            if (!QProcess::startDetached(program, {dir, QString::number(cap)})) {
                *error = QStringLiteral("cannot start the token server %1").arg(program);
                return nullptr;
            }
            restart.setRemainingTime(std::chrono::seconds(1));
        }
        QThread::msleep(5);
    }
    *error = QStringLiteral("the token server at %1 did not answer").arg(path);
    return nullptr;
}

TokenServerClient::TokenServerClient(int fd, int cap, const QString &path)
    : m_fd(fd)
    , m_cap(cap)
    , m_path(path)
    , m_notifier(new QSocketNotifier(fd, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &TokenServerClient::onReadable);
}

TokenServerClient::~TokenServerClient()
{
    delete m_notifier;
    ::close(m_fd); // the server takes back whatever is still held
}

std::optional<char> TokenServerClient::tryTake()
{
    if (m_granted > 0) {
        --m_granted;
        return '+';
    }
    if (m_asked == 0 && !m_lost && send('T'))
        ++m_asked;
    return std::nullopt;
}

void TokenServerClient::give(char)
{
    send('R');
}

void TokenServerClient::watch(bool on)
{
    m_watching = on;
    // A grant nobody waits for any more goes straight back.
    while (!m_watching && m_granted > 0 && send('R'))
        --m_granted;
}

QString TokenServerClient::name() const
{
    return QStringLiteral("the token server (%1, %2 slots)").arg(m_path).arg(m_cap);
}

TokenSource::ChildJobserver TokenServerClient::childJobserver() const
{
    const QString fifo = QFileInfo(m_path).absolutePath() + QStringLiteral("/jobserver");
    struct stat st {};
    if (m_lost || ::lstat(QFile::encodeName(fifo).constData(), &st) != 0 || !S_ISFIFO(st.st_mode))
        return {};
    return {fifo, m_cap};
}

bool TokenServerClient::send(char byte)
{
    if (m_lost)
        return false;
    if (::send(m_fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
        return true;
    m_lost = true;
    m_notifier->setEnabled(false);
    emit lost(QStringLiteral("writing to the token server failed: %1").arg(errnoText(errno)));
    return false;
}

void TokenServerClient::onReadable()
{
    char bytes[64];
    const ssize_t n = ::recv(m_fd, bytes, sizeof bytes, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        m_lost = true;
        m_notifier->setEnabled(false);
        emit lost(n == 0 ? QStringLiteral("the token server ended")
                         : QStringLiteral("reading the token server failed: %1").arg(errnoText(errno)));
        return;
    }
    bool noneFreeNow = false;
    for (ssize_t i = 0; i < n; ++i) {
        if (bytes[i] == '+' && m_asked > 0) {
            --m_asked;
            ++m_granted;
        } else if (bytes[i] == '-') {
            noneFreeNow = true; // the grant follows when a token is back
        }
    }
    if (noneFreeNow && m_asked > 0)
        emit noneFree();
    if (m_watching)
        emit tokenMayBeThere();
    else
        watch(false);
}

} // namespace Drover::Internal
