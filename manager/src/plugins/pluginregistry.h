#pragma once

#include "drover/manager.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>

class QPluginLoader;

namespace Drover {
class TaskKind;
}

namespace Drover::Internal {

//! Finds task-kind plugins on a search path, validates their metadata without
//! loading them, and loads one kind on demand. Unusable files are kept with
//! the reason, so a user is told which file is wrong and why.
class PluginRegistry
{
public:
    struct Entry
    {
        QString kind;
        QString file;
        QString description;
        //! The metadata's optional "prefetch" (default true): false for a
        //! kind whose queues must not send a busy worker its next task
        //! (TaskQueue::setPrefetch()).
        bool prefetch = true;
    };

    PluginRegistry();
    ~PluginRegistry();

    //! Reads the metadata of every library in the directories (first wins).
    void scan(const QStringList &directories);

    QList<Entry> entries() const { return m_entries; }
    QList<PluginError> errors() const { return m_errors; }
    const Entry *find(const QString &kind) const;

    //! Loads the kind's plugin (once) and returns its TaskKind, or nullptr
    //! with *error naming the file and the reason.
    TaskKind *load(const QString &kind, QString *error);

    //! Validates one file's metadata; on success fills *entry.
    static bool inspect(const QString &file, Entry *entry, QString *reason);

private:
    QList<Entry> m_entries;
    QList<PluginError> m_errors;
    QStringList m_scanned;
    QSet<QString> m_warned;  // "file: reason" already logged: each once per registry
    QHash<QString, QPluginLoader *> m_loaded;  // by kind; never unloaded
};

} // namespace Drover::Internal
