#pragma once

#include "drover/global.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QPointer>

#include <memory>

namespace Drover {

class TaskQueue;
namespace Internal { class WorkerListModelPrivate; }

//! The workers of one or more queues as a table any Qt view can show as is:
//! id, kind, pid, fresh or persistent, state, current task, elapsed time on
//! that task (or since start; for a worker that is gone, how long it lived),
//! resident memory (the worker's with that of
//! the processes it started, which are named with theirs apart: "331.0 MiB
//! (coqidetop.opt 318.9)"), and the exit status of
//! workers that are gone. Exited workers stay listed (AliveRole false, so a
//! view can grey them) until more than exitedRowsKept() have exited.
//! Each row keeps the last stderrLinesKept() lines its worker wrote to
//! stderr (StandardErrorRole), also once it is gone: what a crashed worker
//! said last. Elapsed time and memory refresh every second while any worker
//! lives.
//!
//! Lives on the manager's thread.
class DROVER_EXPORT WorkerListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { IdColumn, KindColumn, PidColumn, ModeColumn, StateColumn, TaskColumn, ElapsedColumn,
                  MemoryColumn, StatusColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        WorkerIdRole = Qt::UserRole + 1, //!< int, on every column
        TaskIdRole,                      //!< Drover::TaskId (quint64) of the current task, 0 if none
        AliveRole,                       //!< bool
        //! QStringList, on every column: the last lines the worker wrote to
        //! stderr, oldest first (without their newlines); dataChanged() on
        //! the row when a line comes.
        StandardErrorRole,
    };
    //! How many stderr lines each row keeps.
    static constexpr int stderrLinesKept() { return 100; }

    explicit WorkerListModel(QObject *parent = nullptr);
    ~WorkerListModel() override;

    //! Follows a queue's workers (the model does not own it).
    void addQueue(TaskQueue *queue);

    void setExitedRowsKept(int rows);
    int exitedRowsKept() const;

    //! The queue a row's worker belongs to, for kill controls.
    TaskQueue *queueOf(int row) const;
    int workerIdOf(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    friend class Internal::WorkerListModelPrivate;
    std::unique_ptr<Internal::WorkerListModelPrivate> d;
};

} // namespace Drover
