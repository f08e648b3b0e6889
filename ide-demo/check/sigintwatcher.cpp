#include "sigintwatcher.h"

#include <QtCore/QSocketNotifier>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_pipe[2] = {-1, -1};
std::atomic<int> g_count{0};
bool g_stderrIsTerminal = false;
struct sigaction g_previous = {};

// Async-signal-safe: an atomic, write() and _exit() only.
void onSigint(int)
{
    if (g_count.fetch_add(1) >= 1) {
        // The progress line (or "^C" the terminal echoed) ends before the
        // shell's prompt.
        if (g_stderrIsTerminal)
            [[maybe_unused]] const auto written = ::write(STDERR_FILENO, "\n", 1);
        ::_exit(130); // 128 + SIGINT, as a shell reports it
    }
    const int savedErrno = errno;
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}
} // namespace

SigintWatcher::SigintWatcher(QObject *parent)
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, g_pipe) != 0) {
        g_pipe[0] = g_pipe[1] = -1;
        return; // Ctrl-C keeps its default action
    }
    g_stderrIsTerminal = ::isatty(STDERR_FILENO);
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte;
        while (::read(g_pipe[0], &byte, 1) > 0) {
        }
        emit interrupted();
    });
    struct sigaction action = {};
    action.sa_handler = onSigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &g_previous);
}

SigintWatcher::~SigintWatcher()
{
    if (!m_notifier)
        return;
    ::sigaction(SIGINT, &g_previous, nullptr);
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}
