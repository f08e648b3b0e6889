#pragma once

// A program run on a pseudo-terminal of a given size, as a user's shell runs
// it: its own session with the terminal as controlling terminal, stdin,
// stdout and stderr on it (stdout to a file if asked). The test reads what
// the program drew, resizes the window (SIGWINCH) and types Ctrl-C (SIGINT
// to the foreground process group), as a person would.

#include <QtCore/QByteArray>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QStringList>

#include <functional>
#include <vector>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace TestSupport {

class Terminal
{
public:
    Terminal() = default;
    Terminal(const Terminal &) = delete;
    Terminal &operator=(const Terminal &) = delete;
    ~Terminal()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        if (m_master >= 0)
            ::close(m_master);
    }

    //! Starts program with arguments on a terminal of columns x 24; stdout
    //! goes to stdoutFile instead when one is given.
    bool start(const QString &program, const QStringList &arguments, int columns, const QString &stdoutFile = {})
    {
        struct winsize size = {};
        size.ws_col = static_cast<unsigned short>(columns);
        size.ws_row = 24;
        int slave = -1;
        if (::openpty(&m_master, &slave, nullptr, nullptr, &size) != 0)
            return false;
        int out = -1;
        if (!stdoutFile.isEmpty()) {
            out = ::open(stdoutFile.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            if (out < 0)
                return false;
        }
        // Everything the child needs is made before fork(): after it, only
        // async-signal-safe calls.
        std::vector<QByteArray> storage{program.toLocal8Bit()};
        for (const QString &a : arguments)
            storage.push_back(a.toLocal8Bit());
        std::vector<char *> argv;
        for (QByteArray &s : storage)
            argv.push_back(s.data());
        argv.push_back(nullptr);
        m_pid = ::fork();
        if (m_pid == 0) {
            ::setsid();
            ::ioctl(slave, TIOCSCTTY, 0);
            ::dup2(slave, STDIN_FILENO);
            ::dup2(out >= 0 ? out : slave, STDOUT_FILENO);
            ::dup2(slave, STDERR_FILENO);
            ::close(slave);
            ::close(m_master);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(slave);
        if (out >= 0)
            ::close(out);
        return m_pid > 0;
    }

    //! What the program drew so far.
    const QByteArray &output() const { return m_output; }

    //! Reads until `done` holds for the output, the terminal closes, or
    //! the timeout passes; returns whether `done` held.
    bool readUntil(const std::function<bool(const QByteArray &)> &done, int timeoutMs = 60000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!done(m_output)) {
            if (deadline.hasExpired() || !readSome(int(deadline.remainingTime())))
                return done(m_output);
        }
        return true;
    }

    //! Reads to the end and reaps the program: its exit code, 128 + the
    //! signal that ended it, or -1 when it did not end in time.
    int finish(int timeoutMs = 120000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired() && readSome(int(deadline.remainingTime()))) {
        }
        int status = 0;
        const QDeadlineTimer reap(deadline.hasExpired() ? 0 : 10000);
        while (::waitpid(m_pid, &status, WNOHANG) == 0) {
            if (reap.hasExpired())
                return -1;
            ::poll(nullptr, 0, 10); // a process that closed the terminal but has not exited yet
        }
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    //! A new window size: the kernel sends SIGWINCH to the foreground group.
    void resize(int columns)
    {
        struct winsize size = {};
        size.ws_col = static_cast<unsigned short>(columns);
        size.ws_row = 24;
        ::ioctl(m_master, TIOCSWINSZ, &size);
    }

    //! Ctrl-C typed at the keyboard: the line discipline sends SIGINT.
    void typeCtrlC()
    {
        const char etx = 3;
        [[maybe_unused]] const auto written = ::write(m_master, &etx, 1);
    }

private:
    // One read of what is there within timeoutMs; false at the end (the
    // last holder of the terminal's other side closed it) or the timeout.
    bool readSome(int timeoutMs)
    {
        struct pollfd p = {m_master, POLLIN, 0};
        const int ready = ::poll(&p, 1, timeoutMs);
        if (ready <= 0)
            return false;
        char buffer[4096];
        const ssize_t n = ::read(m_master, buffer, sizeof buffer);
        if (n <= 0)
            return false; // EIO once every slave descriptor is closed
        m_output.append(buffer, n);
        return true;
    }

    int m_master = -1;
    pid_t m_pid = -1;
    QByteArray m_output;
};

} // namespace TestSupport
