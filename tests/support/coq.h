#pragma once

// What the suites that build or check real Coq developments share: finding
// stdpp's sources, and the coqc and coqidetop processes a run left.

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QStringList>

namespace TestSupport {

//! The directory of stdpp's .v files; empty, with the reason to skip in
//! *whyNot, when coqc or stdpp is not installed.
inline QString stdppSources(QString *whyNot)
{
    if (QStandardPaths::findExecutable(QStringLiteral("coqc")).isEmpty()) {
        *whyNot = QStringLiteral("no coqc on PATH (Debian: apt-get install coq)");
        return {};
    }
    QProcess where;
    where.start(QStringLiteral("coqc"), {QStringLiteral("-where")});
    where.waitForFinished(30000);
    const QString stdpp = QDir(QString::fromLocal8Bit(where.readAllStandardOutput()).trimmed()).filePath(QStringLiteral("user-contrib/stdpp"));
    if (!QFileInfo::exists(QDir(stdpp).filePath(QStringLiteral("base.v")))) {
        *whyNot = QStringLiteral("no stdpp sources (Debian: apt-get install libcoq-stdpp)");
        return {};
    }
    return stdpp;
}

//! The coqc processes, anywhere on the machine, one of whose arguments is
//! `argument` or lies under it (`argument/...`).
inline QStringList coqcProcesses(const QString &argument)
{
    QStringList found;
    const QByteArray wanted = QFile::encodeName(argument);
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> argv = cmdline.readAll().split('\0');
        if (argv.isEmpty() || !argv.first().split('/').last().startsWith("coqc"))
            continue;
        for (const QByteArray &arg : argv) {
            if (arg == wanted || arg.startsWith(wanted + '/')) {
                found << entry;
                break;
            }
        }
    }
    return found;
}

//! How many coqidetop processes run on the machine (zombies included);
//! with `under`, only those whose working directory (the document's root)
//! starts with it (a directory, or the prefix of a QTemporaryDir's name), so
//! another user's Coq does not count.
inline int coqidetopCount(const QString &under = QString())
{
    int count = 0;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(QStringLiteral("/proc/%1/comm").arg(entry));
        if (!comm.open(QIODevice::ReadOnly) || !comm.readAll().startsWith("coqidetop"))
            continue;
        const QString cwd = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(entry)).symLinkTarget();
        if (under.isEmpty() || cwd.startsWith(under))
            ++count;
    }
    return count;
}

} // namespace TestSupport
