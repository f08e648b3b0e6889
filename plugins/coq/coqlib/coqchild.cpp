#include "coqchild.h"

#include <drover/processfate.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
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

    // fork and exec by hand, not posix_spawn: the child must ask for
    // SIGKILL when its parent dies (PR_SET_PDEATHSIG), so that a worker
    // killed outright (SIGKILL, which it cannot handle) does not leave its
    // coqidetop running in a group nobody ends. The parent is the calling
    // thread: a worker's compute thread lives as long as the worker.
    // Between fork and exec only async-signal-safe calls.
    const QByteArray path = QFile::encodeName(program.contains(QLatin1Char('/')) ? program
                                                                                 : QStandardPaths::findExecutable(program));
    if (path.isEmpty()) {
        for (const int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
            ::close(fd);
        *error = QStringLiteral("cannot run %1: %2").arg(program, systemError(ENOENT));
        return false;
    }
    int report[2]; // the child's errno if exec fails; closed by a successful exec
    if (::pipe2(report, O_CLOEXEC) != 0) {
        for (const int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
            ::close(fd);
        *error = QStringLiteral("cannot make a pipe for %1: %2").arg(program, systemError(errno));
        return false;
    }
    sigset_t all;
    sigfillset(&all);
    sigset_t was;
    ::pthread_sigmask(SIG_SETMASK, &all, &was); // no handler of ours runs in the child
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) // the parent died before the line above
            ::_exit(127);
        ::setpgid(0, 0);
        ::dup2(in[1], STDIN_FILENO);
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        for (int s = 1; s < NSIG; ++s)
            ::signal(s, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (directory.isEmpty() || ::chdir(directory.constData()) == 0)
            ::execve(path.constData(), argv.data(), environ);
        const int failed = errno;
        [[maybe_unused]] const ssize_t written = ::write(report[1], &failed, sizeof failed);
        ::_exit(127);
    }
    const int forkError = errno;
    ::pthread_sigmask(SIG_SETMASK, &was, nullptr);
    ::close(report[1]);
    int spawned = pid < 0 ? forkError : 0;
    if (pid > 0) {
        int childError = 0;
        ssize_t n;
        while ((n = ::read(report[0], &childError, sizeof childError)) < 0 && errno == EINTR) {
        }
        if (n == sizeof childError) {
            spawned = childError;
            int status;
            ::waitpid(pid, &status, 0);
        }
    }
    ::close(report[0]);
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
        return Drover::exitStatusText(QProcess::NormalExit, WEXITSTATUS(m_status));
    return Drover::exitStatusText(QProcess::CrashExit, WTERMSIG(m_status));
}

bool CoqChild::killedBySignal(int signal) const
{
    return m_reaped && WIFSIGNALED(m_status) && WTERMSIG(m_status) == signal;
}

} // namespace CoqLib
