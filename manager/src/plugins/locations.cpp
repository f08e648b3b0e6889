#include "plugins/locations.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <dlfcn.h>

namespace Drover::Internal {

QString libraryDirectory()
{
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&libraryDirectory), &info) == 0 || !info.dli_fname)
        return {};
    return QFileInfo(QString::fromLocal8Bit(info.dli_fname)).canonicalPath();
}

// DROVER_LIBDIR and friends are the install-relative directories (lib,
// libexec, lib/drover/plugins) given by CMake.
static QString prefixDirectory()
{
    QDir dir(libraryDirectory());
    const int depth = int(QStringLiteral(DROVER_LIBDIR).count(QLatin1Char('/'))) + 1;
    for (int i = 0; i < depth; ++i)
        dir.cdUp();
    return dir.absolutePath();
}

QString defaultWorkerProgram()
{
    const QString fromEnv = qEnvironmentVariable("DROVER_WORKER");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return prefixDirectory() + QStringLiteral("/" DROVER_LIBEXECDIR "/drover-worker");
}

QString defaultSlotServerProgram()
{
    const QString fromEnv = qEnvironmentVariable("DROVER_SLOTS_SERVER");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return prefixDirectory() + QStringLiteral("/" DROVER_LIBEXECDIR "/drover-slots");
}

QStringList defaultPluginPaths()
{
    QStringList paths;
    const QString fromEnv = qEnvironmentVariable("DROVER_PLUGIN_PATH");
    for (const QString &p : fromEnv.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        paths << p;
    paths << prefixDirectory() + QStringLiteral("/" DROVER_PLUGIN_SUBDIR);
    return paths;
}

} // namespace Drover::Internal
