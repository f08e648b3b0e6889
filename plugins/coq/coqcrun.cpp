#include "coqcrun.h"

#include "coqchild.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace CoqLib;

namespace {
constexpr qsizetype KeptOutput = 64 * 1024;
constexpr int TermGraceMs = 1000;

//! Removes what a coqc that did not finish wrote after `started`: for a
//! full build its .vo, .glob, .vos and .vok; for -vos its .vos; for -vok
//! its .vok (the other mode's outputs, written meanwhile by another task
//! of the same file, are not its to remove).
void removeHalfWritten(const QString &file, CoqRequest::Mode mode, const QDateTime &started)
{
    QStringList suffixes;
    switch (mode) {
    case CoqRequest::Mode::Full:
        suffixes = {QStringLiteral("vo"), QStringLiteral("glob"), QStringLiteral("vos"), QStringLiteral("vok")};
        break;
    case CoqRequest::Mode::Quick:
        suffixes = {QStringLiteral("vos")};
        break;
    case CoqRequest::Mode::ProofCheck:
        suffixes = {QStringLiteral("vok")};
        break;
    }
    const QString base = file.chopped(1); // x.v -> x.
    for (const QString &suffix : std::as_const(suffixes)) {
        const QFileInfo info(base + suffix);
        if (info.exists() && info.lastModified() >= started.addSecs(-1))
            QFile::remove(info.absoluteFilePath());
    }
}
} // namespace

CoqResult runCoqc(const CoqRequest &request, const std::function<bool()> &cancelled)
{
    CoqResult result;
    QElapsedTimer clock;
    clock.start();
    const QDateTime started = QDateTime::currentDateTime();

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        result.status = QStringLiteral("crashed");
        result.message = QStringLiteral("cannot make a pipe for coqc: %1").arg(QString::fromLocal8Bit(::strerror(errno)));
        return result;
    }
    std::vector<QByteArray> args;
    args.push_back(QFile::encodeName(request.coqc));
    for (const QString &a : request.arguments())
        args.push_back(QFile::encodeName(a));
    std::vector<char *> argv;
    for (QByteArray &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray root = QFile::encodeName(request.root);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (!root.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, root.constData());
    pid_t pid = -1;
    // posix_spawnp: `coqc` is looked up on PATH, as a shell would.
    const int spawned = ::posix_spawnp(&pid, argv.front(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (spawned != 0) {
        ::close(pipeFds[0]);
        result.status = QStringLiteral("crashed");
        result.message = QStringLiteral("cannot run %1: %2").arg(request.coqc, QString::fromLocal8Bit(::strerror(spawned)));
        return result;
    }

    QByteArray output;
    bool open = true;
    qint64 termAt = -1;
    int status = 0;
    rusage usage{};
    for (;;) {
        if (open) {
            pollfd p{pipeFds[0], POLLIN, 0};
            if (::poll(&p, 1, 50) > 0) {
                char buffer[8192];
                const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
                if (n > 0) {
                    output.append(buffer, n);
                    if (output.size() > 4 * KeptOutput)
                        output.remove(0, output.size() - 2 * KeptOutput);
                } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                    open = false;
                }
            }
        } else {
            ::usleep(20 * 1000);
        }
        const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid)
            break;
        if (termAt < 0 && cancelled()) {
            ::kill(pid, SIGTERM);
            termAt = clock.elapsed();
        } else if (termAt >= 0 && clock.elapsed() - termAt > TermGraceMs) {
            ::kill(pid, SIGKILL);
        }
    }
    // What is still in the pipe (coqc's last words).
    for (char buffer[8192];;) {
        const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
        if (n <= 0)
            break;
        output.append(buffer, n);
    }
    ::close(pipeFds[0]);

    result.ms = clock.elapsed();
    result.peakRssBytes = qint64(usage.ru_maxrss) * 1024;
    auto ms = [](const timeval &t) { return qint64(t.tv_sec) * 1000 + t.tv_usec / 1000; };
    result.cpuMs = ms(usage.ru_utime) + ms(usage.ru_stime);
    result.output = QString::fromUtf8(output.right(KeptOutput));
    QFile source(request.file);
    const QByteArray text = source.open(QIODevice::ReadOnly) ? source.readAll() : QByteArray();
    result.diagnostics = parseCoqOutput(result.output, text);
    if (WIFEXITED(status)) {
        result.exitCode = WEXITSTATUS(status);
        result.status = result.exitCode == 0 ? QStringLiteral("ok") : QStringLiteral("error");
        if (result.exitCode != 0) {
            for (const CoqDiagnostic &d : std::as_const(result.diagnostics)) {
                if (d.severity == CoqDiagnostic::Severity::Error) {
                    result.message = d.message;
                    break;
                }
            }
            if (result.message.isEmpty())
                result.message = QStringLiteral("coqc exited with code %1").arg(result.exitCode);
        }
    } else {
        result.signal = WTERMSIG(status);
        result.status = termAt >= 0 ? QStringLiteral("cancelled") : QStringLiteral("crashed");
        result.message = QStringLiteral("coqc was killed by %1").arg(signalName(result.signal));
        if (result.signal == SIGKILL && termAt < 0)
            result.message += QStringLiteral(" (by someone else: the kernel's OOM killer, a user)");
    }
    if (result.status != QLatin1String("ok"))
        removeHalfWritten(request.file, request.mode, started);
    return result;
}
