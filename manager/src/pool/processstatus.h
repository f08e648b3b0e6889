#pragma once

#include "drover/processfate.h"

#include <QtCore/QProcess>
#include <QtCore/QString>

namespace Drover::Internal {

//! How a worker ended, for a person: exitStatusText(), and what memory had
//! to do with it - the exit code of an allocation that failed
//! (Wire::OutOfMemoryExitCode), or a SIGKILL nobody in Drover sent while
//! the kernel's OOM killer was at work (oomKillsAtStart: kernelOomKills()
//! when it started).
QString workerEndText(QProcess::ExitStatus status, int exitCode, qint64 addressSpaceLimit, qint64 oomKillsAtStart,
                      bool killedByDrover);

// exitStatusText(), signalName() and kernelOomKills(), which plugins use too.
using Drover::exitStatusText;
using Drover::kernelOomKills;
using Drover::signalName;

//! Sends a signal to the process group that a worker leads (it calls
//! setpgid(0, 0) before exec), so its own children get it too. While the
//! worker may not have made its group yet, the worker alone gets it.
bool signalProcessGroup(qint64 pid, int signal);

//! Kills what is left of the group a worker led, after the worker itself
//! was reaped: its id cannot be given to a new process while any member
//! lives, so this reaches only the worker's own leftovers.
void killLeftoverGroup(qint64 pid);

} // namespace Drover::Internal
