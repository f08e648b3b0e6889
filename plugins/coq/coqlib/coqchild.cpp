#include "coqchild.h"

#include <drover/processfate.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace CoqLib {

namespace {
using namespace std::chrono_literals;

QString systemError(int error)
{
    return QString::fromLocal8Bit(::strerror(error));
}

void closeFd(int *fd)
{
    if (*fd >= 0)
        ::close(*fd);
    *fd = -1;
}

//! Whether a process of group `pgid` is alive (a zombie is not).
bool groupHasLiveMember(pid_t pgid)
{
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 2 && fields.at(2).toLongLong() == pgid && fields.at(0) != "Z")
            return true;
    }
    return false;
}

void setNonBlocking(int fd)
{
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}
} // namespace

CoqChild::~CoqChild()
{
    end(500ms);
}

bool CoqChild::start(const QString &program, const QStringList &arguments, const QString &workingDirectory,
                     QString *error)
{
    int in[2];
    int out[2];
    int err[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) {
        *error = QStringLiteral("cannot make a socket for %1: %2").arg(program, systemError(errno));
        return false;
    }
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        *error = QStringLiteral("cannot make a pipe for %1: %2").arg(program, systemError(errno));
        ::close(in[0]);
        ::close(in[1]);
        return false;
    }
    std::vector<QByteArray> args{QFile::encodeName(program)};
    for (const QString &a : arguments)
        args.push_back(QFile::encodeName(a));
    std::vector<char *> argv;
    for (QByteArray &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray directory = QFile::encodeName(workingDirectory);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    if (!directory.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, directory.constData());
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (const int s : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT})
        sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    const int spawned = ::posix_spawnp(&pid, argv.front(), &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[1]);
    ::close(out[1]);
    ::close(err[1]);
    if (spawned != 0) {
        ::close(in[0]);
        ::close(out[0]);
        ::close(err[0]);
        *error = QStringLiteral("cannot run %1: %2").arg(program, systemError(spawned));
        return false;
    }
    m_pid = pid;
    m_in = in[0];
    m_out = out[0];
    m_err = err[0];
    m_reaped = false;
    m_status = 0;
    for (const int fd : {m_in, m_out, m_err})
        setNonBlocking(fd);
    return true;
}

void CoqChild::closeStdin()
{
    closeFd(&m_in);
}

bool CoqChild::signalProgram(int signal)
{
    return isRunning() && !hasEnded() && ::kill(m_pid, signal) == 0;
}

bool CoqChild::hasEnded()
{
    if (m_pid <= 0 || m_reaped)
        return true;
    siginfo_t info{};
    // WNOWAIT: seen, not reaped; end() reaps once the group is killed.
    return ::waitid(P_PID, id_t(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == m_pid;
}

bool CoqChild::waitForEnd(std::chrono::milliseconds timeout)
{
    const QDeadlineTimer deadline(timeout);
    for (;;) {
        if (hasEnded())
            return true;
        if (deadline.hasExpired())
            return false;
        // No child-exit fd to poll without a signal handler: a short step.
        ::usleep(5 * 1000);
    }
}

void CoqChild::end(std::chrono::milliseconds grace)
{
    if (m_pid > 0 && !m_reaped) {
        if (!hasEnded()) {
            ::killpg(m_pid, SIGTERM);
            waitForEnd(grace);
        }
        // The group id is still ours (its leader is not reaped yet): what is
        // left of it (coqidetop if it ignored SIGTERM, proof workers) dies.
        ::killpg(m_pid, SIGKILL);
        rusage usage{};
        while (::wait4(m_pid, &m_status, 0, &usage) < 0 && errno == EINTR) {
        }
        m_reaped = true;
        m_peakRssBytes = qint64(usage.ru_maxrss) * 1024;
        // SIGKILL is not instant: an orphaned proof worker is still alive in
        // the group while it frees its memory. (Its zombie is init's to
        // reap.) No new process takes the id of a group that has members.
        const QDeadlineTimer gone(grace);
        while (groupHasLiveMember(m_pid) && !gone.hasExpired())
            ::usleep(10 * 1000);
    }
    closeFd(&m_in);
    closeFd(&m_out);
    closeFd(&m_err);
}

QString CoqChild::exitDescription() const
{
    if (!m_reaped)
        return QStringLiteral("is running");
    if (WIFEXITED(m_status))
        return QStringLiteral("exited with code %1").arg(WEXITSTATUS(m_status));
    return QStringLiteral("was killed by %1").arg(Drover::signalName(WTERMSIG(m_status)));
}

bool CoqChild::killedBySignal(int signal) const
{
    return m_reaped && WIFSIGNALED(m_status) && WTERMSIG(m_status) == signal;
}

} // namespace CoqLib
