#include "floor.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>

#include <cstring>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace Floor {

namespace {
constexpr int MessageSize = 64;

// A forked child echoing 64-byte messages until EOF.
pid_t startEcho(int *masterFd)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
        return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Keep only our end: an inherited end of another echo's pair would
        // keep that echo from ever seeing EOF.
        for (int fd = 3; fd < 1024; ++fd) {
            if (fd != fds[1])
                ::close(fd);
        }
        char buffer[MessageSize];
        for (;;) {
            ssize_t got = 0;
            while (got < MessageSize) {
                const ssize_t n = ::read(fds[1], buffer + got, size_t(MessageSize - got));
                if (n <= 0)
                    ::_exit(0);
                got += n;
            }
            if (::write(fds[1], buffer, MessageSize) != MessageSize)
                ::_exit(1);
        }
    }
    ::close(fds[1]);
    *masterFd = fds[0];
    return pid;
}

bool readFull(int fd, char *buffer)
{
    ssize_t got = 0;
    while (got < MessageSize) {
        const ssize_t n = ::read(fd, buffer + got, size_t(MessageSize - got));
        if (n <= 0)
            return false;
        got += n;
    }
    return true;
}

void stopEcho(pid_t pid, int fd)
{
    ::close(fd);
    ::waitpid(pid, nullptr, 0);
}
} // namespace

QList<double> socketpairRoundTrips(int iterations)
{
    int fd = -1;
    const pid_t pid = startEcho(&fd);
    QList<double> samples;
    char buffer[MessageSize];
    std::memset(buffer, 'p', sizeof buffer);
    QElapsedTimer clock;
    for (int i = 0; i < iterations; ++i) {
        clock.start();
        if (::write(fd, buffer, MessageSize) != MessageSize || !readFull(fd, buffer))
            break;
        samples << double(clock.nsecsElapsed()) / 1000.0;
    }
    stopEcho(pid, fd);
    return samples;
}

double socketpairThroughput(int workers, int messages)
{
    QList<int> fds(workers, -1);
    QList<pid_t> pids;
    for (int w = 0; w < workers; ++w)
        pids << startEcho(&fds[w]);
    char buffer[MessageSize];
    std::memset(buffer, 't', sizeof buffer);
    QElapsedTimer clock;
    clock.start();
    int sent = 0, received = 0;
    for (int w = 0; w < workers && sent < messages; ++w, ++sent)
        [[maybe_unused]] auto n = ::write(fds[w], buffer, MessageSize);
    QList<pollfd> polls;
    for (int fd : std::as_const(fds))
        polls.append({fd, POLLIN, 0});
    while (received < messages) {
        if (::poll(polls.data(), nfds_t(polls.size()), 10000) <= 0)
            break;
        for (pollfd &p : polls) {
            if (!(p.revents & POLLIN))
                continue;
            if (!readFull(p.fd, buffer))
                return 0;
            ++received;
            if (sent < messages) {
                [[maybe_unused]] auto n = ::write(p.fd, buffer, MessageSize);
                ++sent;
            }
        }
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    for (int w = 0; w < workers; ++w)
        stopEcho(pids[w], fds[w]);
    return double(received) / seconds;
}

QList<double> spawnAndWait(const QString &program, int samples)
{
    const QByteArray path = QFile::encodeName(program);
    char *argv[] = {const_cast<char *>(path.constData()), nullptr};
    QList<double> times;
    QElapsedTimer clock;
    for (int i = 0; i < samples; ++i) {
        clock.start();
        pid_t pid = 0;
        if (::posix_spawn(&pid, path.constData(), nullptr, nullptr, argv, environ) != 0)
            return {};
        int status = 0;
        ::waitpid(pid, &status, 0);
        times << double(clock.nsecsElapsed()) / 1e6;
    }
    return times;
}

qint64 residentAfterReady(const QString &program, const QStringList &arguments)
{
    QProcess p;
    p.start(program, arguments);
    if (!p.waitForStarted(10000) || !p.waitForReadyRead(10000))
        return 0;
    QFile statm(QStringLiteral("/proc/%1/statm").arg(p.processId()));
    qint64 rss = 0;
    if (statm.open(QIODevice::ReadOnly))
        rss = statm.readAll().split(' ').value(1).toLongLong() * ::sysconf(_SC_PAGESIZE);
    p.kill();
    p.waitForFinished(10000);
    return rss;
}

double pythonPool(int workers, int tasks, int chunksize)
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        return 0;
    const QString script = QStringLiteral(
        "import concurrent.futures, time\n"
        "def f(x):\n    return x\n"
        "if __name__ == '__main__':\n"
        "    with concurrent.futures.ProcessPoolExecutor(%1) as pool:\n"
        "        list(pool.map(f, range(100), chunksize=1))\n"
        "        start = time.perf_counter()\n"
        "        list(pool.map(f, range(%2), chunksize=%3))\n"
        "        print(%2 / (time.perf_counter() - start))\n").arg(workers).arg(tasks).arg(chunksize);
    QProcess p;
    p.start(python, {QStringLiteral("-c"), script});
    if (!p.waitForFinished(300000) || p.exitCode() != 0)
        return 0;
    return p.readAllStandardOutput().trimmed().toDouble();
}

} // namespace Floor
