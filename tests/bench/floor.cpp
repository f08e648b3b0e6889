// The socketpair floor: C-level processes doing nothing but echoing
// 64-byte messages, driven with plain read/write/poll.

#include "floor.h"
#include "harness.h"

#include <QtCore/QElapsedTimer>

#include <cstring>
#include <memory>
#include <vector>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Floor {

namespace {
constexpr int MessageSize = 64;

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

bool writeFull(int fd, const char *buffer)
{
    return ::write(fd, buffer, MessageSize) == MessageSize;
}

//! A forked child echoing messages on its end of a socketpair until EOF.
struct Echo
{
    pid_t pid = -1;
    int fd = -1;

    Echo()
    {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            throw BenchError("socketpair failed");
        pid = ::fork();
        if (pid < 0)
            throw BenchError("fork failed");
        if (pid == 0) {
            // Keep only our end: an inherited end of another echo's pair
            // would keep that echo from ever seeing EOF.
            for (int other = 3; other < 1024; ++other) {
                if (other != fds[1])
                    ::close(other);
            }
            char buffer[MessageSize];
            while (readFull(fds[1], buffer)) {
                if (!writeFull(fds[1], buffer))
                    ::_exit(1);
            }
            ::_exit(0);
        }
        ::close(fds[1]);
        fd = fds[0];
    }
    ~Echo()
    {
        ::close(fd);
        ::waitpid(pid, nullptr, 0);
    }
    Echo(const Echo &) = delete;
    Echo &operator=(const Echo &) = delete;
};
} // namespace

QList<double> socketpairRoundTrips(int iterations)
{
    Echo echo;
    QList<double> samples;
    samples.reserve(iterations);
    char buffer[MessageSize];
    std::memset(buffer, 'p', sizeof buffer);
    QElapsedTimer clock;
    for (int i = 0; i < iterations; ++i) {
        clock.start();
        if (!writeFull(echo.fd, buffer) || !readFull(echo.fd, buffer))
            throw BenchError("socketpair echo broke");
        samples << double(clock.nsecsElapsed()) / 1000.0;
    }
    return samples;
}

double socketpairThroughput(int workers, int messages)
{
    std::vector<std::unique_ptr<Echo>> echoes;
    QList<pollfd> polls;
    for (int w = 0; w < workers; ++w) {
        echoes.push_back(std::make_unique<Echo>());
        polls.append({echoes.back()->fd, POLLIN, 0});
    }
    char buffer[MessageSize];
    std::memset(buffer, 't', sizeof buffer);
    QElapsedTimer clock;
    clock.start();
    int sent = 0, received = 0;
    for (const pollfd &p : std::as_const(polls)) {
        if (sent < messages && writeFull(p.fd, buffer))
            ++sent;
    }
    while (received < messages) {
        if (::poll(polls.data(), nfds_t(polls.size()), 10000) <= 0)
            throw BenchError("socketpair workers stopped answering");
        for (const pollfd &p : std::as_const(polls)) {
            if (!(p.revents & POLLIN))
                continue;
            if (!readFull(p.fd, buffer))
                throw BenchError("socketpair echo broke");
            ++received;
            if (sent < messages) {
                if (!writeFull(p.fd, buffer))
                    throw BenchError("socketpair echo broke");
                ++sent;
            }
        }
    }
    return double(received) / (double(clock.nsecsElapsed()) / 1e9);
}

} // namespace Floor
