#pragma once

// What the suites use to prove that no worker outlives its manager.

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QList>
#include <QtCore/QString>

#include <unistd.h>

namespace TestSupport {

//! The fields of /proc/<pid>/stat after "pid (comm) ": state, ppid, pgrp, …
//! (comm may hold spaces, so the split is after the last ')'); empty if the
//! process is gone.
inline QList<QByteArray> statFields(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = stat.readAll();
    return line.mid(line.lastIndexOf(')') + 2).split(' ');
}

//! The pids of /proc whose stat fields satisfy `keep`.
template<typename Keep>
QList<qint64> processesWhere(Keep keep)
{
    QList<qint64> found;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        const QList<QByteArray> fields = statFields(pid);
        if (fields.size() > 2 && keep(fields))
            found << pid;
    }
    return found;
}

//! The pids of this process's children, zombies included (a zombie is a
//! child that nobody reaped, which is a leak too).
inline QList<qint64> childProcesses(qint64 parent = ::getpid())
{
    return processesWhere([parent](const QList<QByteArray> &f) { return f.at(1).toLongLong() == parent; });
}

//! The members of process group `pgid`, but for zombies that are not this
//! process's children: those are orphans, init's to reap.
inline QList<qint64> processGroupMembers(qint64 pgid)
{
    return processesWhere([pgid](const QList<QByteArray> &f) {
        return f.at(2).toLongLong() == pgid && (f.at(0) != "Z" || f.at(1).toLongLong() == ::getpid());
    });
}

//! Whether a process exists (a zombie counts as existing).
inline bool processExists(qint64 pid)
{
    return QFile::exists(QStringLiteral("/proc/%1").arg(pid));
}

//! One line per process for a failure message: pid, state, what it waits
//! in, its command line and its parent's, so a process that outlived its
//! test says where it is stuck.
inline QByteArray describeProcesses(const QList<qint64> &pids)
{
    const auto read = [](qint64 pid, const char *what) {
        QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(what)));
        return file.open(QIODevice::ReadOnly) ? file.readAll().replace('\0', ' ').trimmed() : QByteArray("?");
    };
    QByteArray text;
    for (qint64 pid : pids) {
        const QList<QByteArray> fields = statFields(pid);
        const qint64 parent = fields.size() > 1 ? fields.at(1).toLongLong() : 0;
        text += "pid " + QByteArray::number(pid) + " state " + fields.value(0) + " wchan " + read(pid, "wchan") + " threads "
            + QByteArray::number(QDir(QStringLiteral("/proc/%1/task").arg(pid)).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size())
            + ": " + read(pid, "cmdline") + " (parent " + QByteArray::number(parent) + ": " + read(parent, "cmdline") + ")\n";
    }
    return text;
}

} // namespace TestSupport
