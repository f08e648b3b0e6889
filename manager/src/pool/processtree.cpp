#include "pool/processtree.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <unistd.h>

namespace Drover::Internal {

ProcessTree ProcessTree::snapshot()
{
    ProcessTree tree;
    const qint64 pageSize = ::sysconf(_SC_PAGESIZE);
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue; // gone meanwhile
        // "pid (comm) state ppid ... rss ...": comm may hold spaces and
        // parentheses, so the fields are counted after the last ')'.
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('('), close = line.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (fields.size() < 22 || fields.at(0) == "Z")
            continue;
        Process p;
        p.pid = pid;
        p.parent = fields.at(1).toLongLong();
        p.name = QString::fromLocal8Bit(line.mid(open + 1, close - open - 1));
        p.rssBytes = fields.at(21).toLongLong() * pageSize; // field 24 of proc(5): rss in pages
        tree.m_processes.insert(pid, p);
        tree.m_children[p.parent] << pid;
    }
    return tree;
}

QList<ProcessTree::Process> ProcessTree::descendantsOf(qint64 pid) const
{
    QList<Process> found;
    QList<qint64> next = m_children.value(pid);
    // pid 1 adopts orphans, and every process has it above: never a worker.
    while (!next.isEmpty() && pid > 1) {
        const qint64 child = next.takeLast();
        found << m_processes.value(child);
        next << m_children.value(child);
    }
    return found;
}

} // namespace Drover::Internal
