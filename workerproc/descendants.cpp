#include "descendants.h"

#include <atomic>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <initializer_list>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

// Everything below runs in signal handlers too: system calls and plain
// loops only, no allocation, no stdio, no locks.

namespace {

constexpr int MaxRounds = 50;
constexpr long RoundPauseNs = 10'000'000; // 10 ms: for the killed to be reparented

struct LinuxDirent64
{
    std::uint64_t ino;
    std::int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[1];
};

struct ProcessStat
{
    char state = '?';
    long ppid = 0;
    long pgrp = 0;
};

char *appendNumber(char *out, long value)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = char('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (n > 0)
        *out++ = digits[--n];
    return out;
}

const char *parseNumber(const char *p, const char *end, long *value)
{
    while (p < end && *p == ' ')
        ++p;
    long v = 0;
    bool any = false;
    while (p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        any = true;
    }
    *value = any ? v : -1;
    return p;
}

// /proc/PID/stat is "pid (comm) state ppid pgrp ..."; comm may hold
// anything, so the fields are read after its last ')'.
bool readStat(long pid, ProcessStat *stat)
{
    char path[48] = "/proc/";
    char *end = appendNumber(path + 6, pid);
    const char suffix[] = "/stat";
    for (const char c : suffix)
        *end++ = c;
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[512];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
    if (got <= 0)
        return false;
    const char *close = nullptr;
    for (const char *p = buffer; p < buffer + got; ++p) {
        if (*p == ')')
            close = p;
    }
    if (!close || close + 4 > buffer + got)
        return false;
    const char *p = close + 2;
    stat->state = *p++;
    p = parseNumber(p, buffer + got, &stat->ppid);
    parseNumber(p, buffer + got, &stat->pgrp);
    return stat->ppid >= 0 && stat->pgrp >= 0;
}

// One pass over /proc: SIGKILL to every live process that is in our group
// (when we lead it) or whose parent we are. Returns how many were signalled.
int killRound(long self, bool leadGroup)
{
    const int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return 0;
    int signalled = 0;
    alignas(LinuxDirent64) char buffer[4096];
    for (;;) {
        const long n = ::syscall(SYS_getdents64, dir, buffer, sizeof buffer);
        if (n <= 0)
            break;
        for (long offset = 0; offset < n;) {
            const auto *entry = reinterpret_cast<const LinuxDirent64 *>(buffer + offset);
            offset += entry->reclen;
            long pid = 0;
            const char *name = entry->name;
            if (*name < '1' || *name > '9')
                continue;
            for (; *name >= '0' && *name <= '9'; ++name)
                pid = pid * 10 + (*name - '0');
            if (*name != '\0' || pid == self)
                continue;
            ProcessStat stat;
            if (!readStat(pid, &stat) || stat.state == 'Z' || stat.state == 'X')
                continue;
            if ((leadGroup && stat.pgrp == self) || stat.ppid == self) {
                ::kill(pid_t(pid), SIGKILL);
                ++signalled;
            }
        }
    }
    ::close(dir);
    return signalled;
}

std::atomic<bool> g_ending{false};

void onTerminatingSignal(int signal)
{
    // A second signal may reach another thread while the first is handled:
    // that thread waits for the first to finish the job and end us.
    if (g_ending.exchange(true)) {
        for (;;)
            ::pause();
    }
    Descendants::endAll();
    // Die of the signal itself: default action, then raised. It is blocked
    // in this thread until the handler returns.
    struct sigaction action{};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
    ::raise(signal);
}

} // namespace

namespace Descendants {

void install()
{
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    struct sigaction action{};
    action.sa_handler = onTerminatingSignal;
    action.sa_flags = 0;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGTERM, SIGHUP, SIGINT})
        ::sigaction(signal, &action, nullptr);
}

void endAll()
{
    const long self = ::getpid();
    // Only a worker that leads its own group (as the manager starts it)
    // may kill the group: one started by hand shares its shell's.
    const bool leadGroup = ::getpgrp() == self;
    for (int round = 0; round < MaxRounds; ++round) {
        if (killRound(self, leadGroup) == 0)
            return;
        // The children of the killed are reparented to us (subreaper) once
        // their parents are gone: look again.
        const timespec pause{0, RoundPauseNs};
        ::nanosleep(&pause, nullptr);
    }
}

void exitAfterEndingAll(int code)
{
    endAll();
    ::_exit(code);
}

} // namespace Descendants
