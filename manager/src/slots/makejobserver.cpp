#include "slots/makejobserver.h"

#include "logging.h"

#include <QtCore/QFile>
#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Drover::Internal {

namespace {
QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Is fd open for `access` (O_RDONLY or O_WRONLY, or O_RDWR) on a pipe or fifo?
bool isPipeEnd(int fd, int access, struct stat *st)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fstat(fd, st) != 0 || !S_ISFIFO(st->st_mode))
        return false;
    const int mode = flags & O_ACCMODE;
    return mode == access || mode == O_RDWR;
}
} // namespace

MakeJobserver::MakeJobserver(int readFd, int writeFd, const QString &word)
    : m_readFd(readFd)
    , m_writeFd(writeFd)
    , m_word(word)
{
}

MakeJobserver::~MakeJobserver()
{
    delete m_notifier;
    ::close(m_readFd);
    if (m_ownsWriteFd)
        ::close(m_writeFd);
}

std::unique_ptr<MakeJobserver> MakeJobserver::open(const JobserverAuth &auth, QString *error)
{
    if (auth.kind == JobserverAuth::Kind::Invalid) {
        *error = auth.error;
        return nullptr;
    }
    if (auth.kind == JobserverAuth::Kind::Pipe) {
        // Without `+` make 4.3 closes these in the recipe; the numbers may
        // then be reused by anything this process opened since. Both ends
        // of one pipe share its inode, which nothing else can fake.
        struct stat readStat {}, writeStat {};
        if (!isPipeEnd(auth.readFd, O_RDONLY, &readStat) || !isPipeEnd(auth.writeFd, O_WRONLY, &writeStat)
            || readStat.st_ino != writeStat.st_ino || readStat.st_dev != writeStat.st_dev) {
            *error = QStringLiteral("%1: descriptors %2 and %3 are not make's jobserver pipe in this process "
                                    "(make closes them in a recipe not marked '+')")
                         .arg(auth.word).arg(auth.readFd).arg(auth.writeFd);
            return nullptr;
        }
        const QByteArray proc = "/proc/self/fd/" + QByteArray::number(auth.readFd);
        const int fd = ::open(proc.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            *error = QStringLiteral("%1: cannot open a reader of its own on the pipe (%2: %3)")
                         .arg(auth.word, QString::fromLatin1(proc), errnoText(errno));
            return nullptr;
        }
        return std::unique_ptr<MakeJobserver>(new MakeJobserver(fd, auth.writeFd, auth.word));
    }
    if (auth.kind == JobserverAuth::Kind::Fifo) {
        const QByteArray path = QFile::encodeName(auth.path);
        struct stat st {};
        if (::stat(path.constData(), &st) != 0 || !S_ISFIFO(st.st_mode)) {
            *error = QStringLiteral("%1: %2").arg(auth.word, ::access(path.constData(), F_OK) == 0
                                                                 ? QStringLiteral("not a fifo")
                                                                 : errnoText(errno));
            return nullptr;
        }
        const int readFd = ::open(path.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (readFd < 0) {
            *error = QStringLiteral("%1: %2").arg(auth.word, errnoText(errno));
            return nullptr;
        }
        // Opened after our reader, so it cannot fail for want of one.
        const int writeFd = ::open(path.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (writeFd < 0) {
            *error = QStringLiteral("%1: %2").arg(auth.word, errnoText(errno));
            ::close(readFd);
            return nullptr;
        }
        auto server = std::unique_ptr<MakeJobserver>(new MakeJobserver(readFd, writeFd, auth.word));
        server->m_ownsWriteFd = true;
        return server;
    }
    *error = QStringLiteral("no jobserver in MAKEFLAGS");
    return nullptr;
}

std::optional<char> MakeJobserver::tryTake()
{
    if (m_lost)
        return std::nullopt;
    char token = 0;
    for (;;) {
        const ssize_t n = ::read(m_readFd, &token, 1);
        if (n == 1)
            return token;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return std::nullopt; // none now, or another client was faster
        m_lost = true;
        watch(false);
        emit lost(n == 0 ? QStringLiteral("make's jobserver was closed")
                         : QStringLiteral("reading make's jobserver failed: %1").arg(errnoText(errno)));
        return std::nullopt;
    }
}

void MakeJobserver::give(char token)
{
    if (m_lost)
        return;
    for (;;) {
        if (::write(m_writeFd, &token, 1) == 1)
            return;
        if (errno != EINTR)
            break;
    }
    qCWarning(lcSlots).noquote() << "a token could not be given back to make's jobserver:" << errnoText(errno);
}

void MakeJobserver::watch(bool on)
{
    if (on && !m_lost && !m_notifier) {
        m_notifier = new QSocketNotifier(m_readFd, QSocketNotifier::Read);
        connect(m_notifier, &QSocketNotifier::activated, this, &TokenSource::tokenMayBeThere);
    }
    if (m_notifier)
        m_notifier->setEnabled(on && !m_lost);
}

QString MakeJobserver::name() const
{
    return QStringLiteral("make's jobserver (%1)").arg(m_word);
}

} // namespace Drover::Internal
