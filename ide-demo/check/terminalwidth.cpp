#include "terminalwidth.h"

#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_pair[2] = {-1, -1};
struct sigaction g_previous = {};

// Async-signal-safe: write() only.
void onSigwinch(int)
{
    const int savedErrno = errno;
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_pair[1], &byte, 1);
    errno = savedErrno;
}
} // namespace

TerminalWidth::TerminalWidth(QObject *parent)
    : QObject(parent)
{
    read();
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, g_pair) != 0) {
        g_pair[0] = g_pair[1] = -1;
        return; // the width read at the start stays
    }
    m_notifier = new QSocketNotifier(g_pair[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char bytes[16];
        while (::read(g_pair[0], bytes, sizeof bytes) > 0) {
        }
        read();
        emit resized();
    });
    struct sigaction action = {};
    action.sa_handler = onSigwinch;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGWINCH, &action, &g_previous);
}

TerminalWidth::~TerminalWidth()
{
    if (!m_notifier)
        return;
    ::sigaction(SIGWINCH, &g_previous, nullptr);
    delete m_notifier;
    ::close(g_pair[0]);
    ::close(g_pair[1]);
    g_pair[0] = g_pair[1] = -1;
}

void TerminalWidth::read()
{
    struct winsize size = {};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        m_columns = size.ws_col;
}
