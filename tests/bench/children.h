#pragma once

// Counting this process's children through /proc: every Drover process the
// bench starts must be reaped by the time it prints.

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <unistd.h>

inline QList<qint64> livingChildren()
{
    QList<qint64> pids;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == ::getpid())
            pids << entry.toLongLong();
    }
    return pids;
}
