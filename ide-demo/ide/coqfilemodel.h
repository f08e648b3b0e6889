#pragma once

#include "coqfilereport.h" // ide-demo/common
#include "statecolors.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>
#include <QtCore/QList>

#include <functional>

namespace DroverDemo { class CoqDevelopmentBuild; }

namespace DroverIde {

//! The files of a Coq development as they build: one row per file, in the
//! _CoqProject's order, with its state (the lemmas' signs, plus skipped and
//! up to date), the worker that built it, its time, coqc's peak memory and
//! the message. Follows the build's signals; reads nothing else.
class CoqFileModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { FileColumn, StateColumn, WorkerColumn, TimeColumn, MemoryColumn, MessageColumn, ColumnCount };

    explicit CoqFileModel(DroverDemo::CoqDevelopmentBuild *build, QObject *parent = nullptr);

    QString fileAt(int row) const;
    int rowOf(const QString &file) const;
    LemmaState stateOf(const QString &file) const;
    //! The file's outcome (empty before it has one).
    DroverDemo::FileReport reportOf(const QString &file) const;
    //! How many files are in `state`.
    int count(LemmaState state) const;
    //! Whether any file still waits, is queued or builds.
    bool isPending() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    //! A file's state changed (also when it got its outcome).
    void fileChanged(const QString &file);

private:
    struct Row
    {
        QString file;
        LemmaState state = LemmaState::Queued;
        bool waiting = true; //!< not queued yet: what it needs is still building
        int worker = -1;
        DroverDemo::FileReport report;
    };
    void update(const QString &file, const std::function<void(Row &)> &change);

    QList<Row> m_rows;
    QHash<QString, int> m_index;
};

//! The state a file's outcome shows: its status, up to date as its own sign.
LemmaState stateOfReport(const DroverDemo::FileReport &report);

} // namespace DroverIde
