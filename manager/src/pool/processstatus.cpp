#include "pool/processstatus.h"

#include "wire/wire.h"

#include <QtCore/QFile>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace Drover::Internal {

QString workerEndText(QProcess::ExitStatus status, int exitCode, qint64 addressSpaceLimit, qint64 oomKillsAtStart,
                      bool killedByDrover)
{
    if (status == QProcess::NormalExit && exitCode == Wire::OutOfMemoryExitCode) {
        return QStringLiteral("ran out of memory (an allocation failed%1; exit code %2)")
            .arg(addressSpaceLimit > 0
                     ? QStringLiteral(" under its address-space limit of %1 MiB").arg(addressSpaceLimit >> 20)
                     : QString())
            .arg(exitCode);
    }
    QString text = exitStatusText(status, exitCode);
    if (status == QProcess::CrashExit && exitCode == SIGKILL && !killedByDrover && oomKillsAtStart >= 0) {
        const qint64 now = kernelOomKills();
        if (now > oomKillsAtStart)
            text += QStringLiteral(", most likely by the kernel's OOM killer: memory ran out (oom_kill in /proc/vmstat "
                                   "rose from %1 to %2 while it ran)").arg(oomKillsAtStart).arg(now);
    }
    return text;
}

bool signalProcessGroup(qint64 pid, int signal)
{
    if (pid <= 0)
        return false;
    if (::kill(-pid_t(pid), signal) == 0)
        return true;
    // The group may not exist yet (between fork and setpgid): the process does.
    return errno == ESRCH && ::kill(pid_t(pid), signal) == 0;
}

void killLeftoverGroup(qint64 pid)
{
    if (pid > 0)
        ::kill(-pid_t(pid), SIGKILL);
}

} // namespace Drover::Internal
