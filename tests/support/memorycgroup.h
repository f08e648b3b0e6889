#pragma once

// A memory cgroup of the test's own, so that the kernel's OOM killer (not
// Drover) ends what outgrows it: tst_drovercheck, tst_coqfailures.

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QString>

#include <unistd.h>

namespace TestSupport {

//! A memory cgroup (v1 or v2) limited to `limit` ("300M"), named after
//! `tag` and this process; empty when none can be made here (not root, no
//! memory controller). The caller removes it (QDir().rmdir()) when done;
//! a process joins it by writing its pid to cgroup.procs in it.
inline QString makeMemoryCgroup(const QString &tag, const QByteArray &limit)
{
    const QString name = QStringLiteral("drover-%1-%2").arg(tag).arg(::getpid());
    QString group = QStringLiteral("/sys/fs/cgroup/memory/") + name;
    QString limitFile = QStringLiteral("memory.limit_in_bytes");
    if (!QDir().mkpath(group)) {
        group = QStringLiteral("/sys/fs/cgroup/") + name;
        limitFile = QStringLiteral("memory.max");
        if (!QFile::exists(QStringLiteral("/sys/fs/cgroup/cgroup.controllers")) || !QDir().mkpath(group))
            return {};
    }
    QFile file(group + QLatin1Char('/') + limitFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(limit) < 0 || !file.flush()) {
        QDir().rmdir(group);
        return {};
    }
    return group;
}

} // namespace TestSupport
