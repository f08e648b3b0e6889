#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Drover::Internal {

//! A snapshot of the machine's processes as /proc shows them (parent,
//! program name, resident memory), to find what a worker started: a worker
//! puts the programs its tasks run (coqidetop, coqc) in process groups of
//! their own, so only their parent links lead back to it. Linux only; empty
//! elsewhere. Taking one reads every /proc/PID/stat once.
class ProcessTree
{
public:
    struct Process
    {
        qint64 pid = 0;
        qint64 parent = 0;
        QString name;       //!< /proc/PID/comm (at most 15 bytes)
        qint64 rssBytes = 0;
    };

    //! Reads /proc now.
    static ProcessTree snapshot();

    //! Every living descendant of `pid` (children, their children, …),
    //! zombies left out (they hold no memory).
    QList<Process> descendantsOf(qint64 pid) const;

private:
    QHash<qint64, Process> m_processes;
    QHash<qint64, QList<qint64>> m_children;
};

} // namespace Drover::Internal
