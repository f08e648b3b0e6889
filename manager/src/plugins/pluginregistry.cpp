#include "plugins/pluginregistry.h"

#include "drover/taskkind.h"
#include "logging.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonObject>
#include <QtCore/QLibrary>
#include <QtCore/QPluginLoader>
#include <QtCore/QSet>

namespace Drover::Internal {

namespace {
// A library built from a class deriving from Drover::TaskKind names the
// type in its typeinfo; read from the file, never loaded.
bool mentionsTaskKind(const QString &file)
{
    QFile f(file);
    constexpr qint64 Largest = qint64(256) << 20;
    if (f.size() > Largest || !f.open(QIODevice::ReadOnly))
        return false;
    return f.readAll().contains("N6Drover8TaskKindE");
}

// How a searched directory stands, for the message that names it.
QString describeDirectory(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1 (no such directory)").arg(path);
    if (!info.isDir())
        return QStringLiteral("%1 (a file, not a directory)").arg(path);
    return path;
}
} // namespace

PluginRegistry::PluginRegistry() = default;

PluginRegistry::~PluginRegistry()
{
    // Plugins stay loaded for the life of the process, as Qt's own do: a
    // TaskKind may be referenced by queued events until the very end.
    qDeleteAll(m_loaded);
}

bool PluginRegistry::inspect(const QString &file, Entry *entry, QString *reason)
{
    QPluginLoader loader(file);
    const QJsonObject meta = loader.metaData();
    if (meta.isEmpty()) {
        // moc drops a Q_PLUGIN_METADATA whose FILE is missing or not valid
        // JSON with only a warning at build time, and the plugin has no
        // metadata at all.
        *reason = mentionsTaskKind(file)
                      ? QStringLiteral("a Drover task kind built without plugin metadata: the JSON file named by its "
                                       "Q_PLUGIN_METADATA(... FILE \"...\") was missing or not valid JSON when it was "
                                       "built (AutoMoc only warned \"does not contain a valid JSON object\")")
                      : loader.errorString().isEmpty() || loader.errorString() == QLatin1String("Unknown error")
                      ? QStringLiteral("not a Qt plugin (no plugin metadata)")
                      : QStringLiteral("not a Qt plugin: %1").arg(loader.errorString());
        return false;
    }
    const QString iid = meta.value(QLatin1String("IID")).toString();
    if (iid != QLatin1String(DROVER_TASKKIND_IID)) {
        *reason = QStringLiteral("implements \"%1\", not \"%2\"").arg(iid, QLatin1String(DROVER_TASKKIND_IID));
        return false;
    }
    const QJsonObject data = meta.value(QLatin1String("MetaData")).toObject();
    const QJsonValue kind = data.value(QLatin1String("kind"));
    if (!kind.isString() || kind.toString().trimmed().isEmpty()) {
        *reason = QStringLiteral("its metadata has no \"kind\" name");
        return false;
    }
    const QJsonValue api = data.value(QLatin1String("apiVersion"));
    if (!api.isDouble()) {
        *reason = QStringLiteral("its metadata has no numeric \"apiVersion\"");
        return false;
    }
    if (api.toDouble() != double(PluginApiVersion)) {
        *reason = QStringLiteral("built for plugin API version %1; this Drover speaks version %2")
                      .arg(api.toDouble()).arg(PluginApiVersion);
        return false;
    }
    const QJsonValue prefetch = data.value(QLatin1String("prefetch"));
    if (!prefetch.isUndefined() && !prefetch.isBool()) {
        *reason = QStringLiteral("its metadata's \"prefetch\" is not true or false");
        return false;
    }
    entry->prefetch = prefetch.toBool(true);
    entry->kind = kind.toString();
    entry->file = QFileInfo(file).absoluteFilePath();
    entry->description = data.value(QLatin1String("description")).toString();
    return true;
}

void PluginRegistry::scan(const QStringList &directories)
{
    if (directories == m_scanned)
        return;
    m_scanned = directories;
    m_entries.clear();
    m_errors.clear();
    QSet<QString> inspected; // a library reached twice through symlinks is one plugin
    for (const QString &dirPath : directories) {
        const QDir dir(dirPath);
        if (!dir.exists())
            continue;
        const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo &info : files) {
            if (!QLibrary::isLibrary(info.fileName()))
                continue;
            const QString canonical = info.canonicalFilePath();
            if (inspected.contains(canonical))
                continue;
            inspected.insert(canonical);
            Entry entry;
            QString reason;
            if (!inspect(info.absoluteFilePath(), &entry, &reason)) {
                if (!m_warned.contains(info.absoluteFilePath() + reason)) {
                    m_warned.insert(info.absoluteFilePath() + reason);
                    qCWarning(lcPlugin).noquote() << "ignoring" << info.absoluteFilePath() + QLatin1String(":") << reason;
                }
                m_errors.append({info.absoluteFilePath(), reason});
                continue;
            }
            if (const Entry *earlier = find(entry.kind)) {
                m_errors.append({entry.file, QStringLiteral("kind \"%1\" is already provided by %2")
                                                 .arg(entry.kind, earlier->file)});
                continue;
            }
            qCDebug(lcPlugin) << "found kind" << entry.kind << "in" << entry.file;
            m_entries.append(entry);
        }
    }
}

const PluginRegistry::Entry *PluginRegistry::find(const QString &kind) const
{
    for (const Entry &e : m_entries) {
        if (e.kind == kind)
            return &e;
    }
    return nullptr;
}

TaskKind *PluginRegistry::load(const QString &kind, QString *error)
{
    if (QPluginLoader *loader = m_loaded.value(kind))
        return qobject_cast<TaskKind *>(loader->instance());
    const Entry *entry = find(kind);
    if (!entry) {
        QStringList searched;
        for (const QString &dir : std::as_const(m_scanned))
            searched << describeDirectory(dir);
        QStringList available;
        for (const Entry &e : std::as_const(m_entries))
            available << QStringLiteral("\"%1\"").arg(e.kind);
        *error = QStringLiteral("no plugin provides task kind \"%1\" (searched: %2; kinds there: %3)")
                     .arg(kind,
                          searched.isEmpty() ? QStringLiteral("no directories") : searched.join(QStringLiteral(", ")),
                          available.isEmpty() ? QStringLiteral("none") : available.join(QStringLiteral(", ")));
        for (const PluginError &e : std::as_const(m_errors))
            *error += QStringLiteral("; %1: %2").arg(e.file, e.reason);
        return nullptr;
    }
    auto *loader = new QPluginLoader(entry->file);
    QObject *instance = loader->instance();
    if (!instance) {
        *error = QStringLiteral("cannot load plugin %1: %2").arg(entry->file, loader->errorString());
        delete loader;
        return nullptr;
    }
    auto *taskKind = qobject_cast<TaskKind *>(instance);
    if (!taskKind) {
        *error = QStringLiteral("plugin %1 does not implement Drover::TaskKind").arg(entry->file);
        loader->unload();
        delete loader;
        return nullptr;
    }
    m_loaded.insert(kind, loader);
    qCDebug(lcPlugin) << "loaded kind" << kind << "from" << entry->file;
    return taskKind;
}

} // namespace Drover::Internal
