#pragma once
// How a process ended, in the words Drover uses for its workers: for a
// plugin whose worker runs programs of its own (the coq kind runs coqc) and
// reports their end the same way. Header-only: a plugin links Qt6::Core only.

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QString>

#include <cstring>

namespace Drover {

//! "SIGTERM" for 15; "signal 99" for what the C library cannot name.
inline QString signalName(int signal)
{
    if (const char *abbrev = ::sigabbrev_np(signal))
        return QStringLiteral("SIG") + QString::fromLatin1(abbrev);
    return QStringLiteral("signal %1").arg(signal);
}

//! How a process ended, as QProcess reports it: "exited with code 3", "was
//! killed by SIGSEGV" (Tezt's string_of_process_status). On Unix a crashed
//! process's exitCode() is the signal that ended it. The words of
//! TaskQueue::workerExited() and of a WorkerDied outcome.
inline QString exitStatusText(QProcess::ExitStatus status, int exitCode)
{
    if (status == QProcess::CrashExit)
        return QStringLiteral("was killed by %1").arg(signalName(exitCode));
    return QStringLiteral("exited with code %1").arg(exitCode);
}

//! How many processes the kernel's OOM killer has killed since boot
//! (oom_kill in /proc/vmstat: global and memory-cgroup kills alike), -1 if
//! unknown. Read it when a process starts and again when it died of a
//! SIGKILL nobody you know sent: a rise says the kernel killed for memory.
inline qint64 kernelOomKills()
{
    QFile vmstat(QStringLiteral("/proc/vmstat"));
    if (!vmstat.open(QIODevice::ReadOnly))
        return -1;
    // A /proc file has no size: read it whole, not up to atEnd().
    for (const QByteArray &line : vmstat.readAll().split('\n')) {
        if (line.startsWith("oom_kill "))
            return line.mid(9).trimmed().toLongLong();
    }
    return -1;
}

} // namespace Drover
