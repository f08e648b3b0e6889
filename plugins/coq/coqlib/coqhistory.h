#pragma once

#include <QtCore/QHash>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace CoqLib {

//! How much CPU each file of a development took to build last time (coqc's
//! user + system time, which another coqc on the machine does not inflate
//! as it does the wall time), kept in a
//! small file beside the build outputs (`.drover-times.json` in its root),
//! so that the next build ranks the critical path by real times.
class CoqHistory
{
public:
    explicit CoqHistory(const QString &root);

    //! Reads the file; an absent or unreadable one is an empty history.
    void load();
    //! Writes it (atomically); false if it cannot (a read-only directory:
    //! the build still counts, only the next one ranks by size).
    bool save() const;

    //! Milliseconds last time, -1 if unknown.
    qint64 msOf(const QString &file) const { return m_ms.value(file, -1); }
    void record(const QString &file, qint64 ms) { m_ms.insert(file, ms); }
    bool isEmpty() const { return m_ms.isEmpty(); }

    //! A weight per file in one unit (ms): the time last time, or for a file
    //! without one its size times the ms per byte of those with one (or a
    //! guess of that ratio when none has a time).
    QHash<QString, qint64> weights(const QStringList &files) const;

    QString path() const { return m_path; }

private:
    QString m_path;
    QHash<QString, qint64> m_ms;
};

} // namespace CoqLib
