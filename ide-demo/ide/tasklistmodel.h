#pragma once

#include <drover/task.h>

#include <QtCore/QAbstractTableModel>
#include <QtCore/QList>

namespace Drover {
class TaskQueue;
}

namespace DroverIde {

//! The queue's live tasks, running ones first, then the queued ones in the
//! order a worker will take them (priority, then age). Rows come and go with
//! the queue's signals; call refreshOrder() when priorities change. A queued
//! task a worker waits to run until a job slot of the machine is free
//! (docs/jobserver.md) is "waiting for a slot".
class TaskListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { LemmaColumn, StateColumn, WorkerColumn, PriorityColumn, ColumnCount };

    explicit TaskListModel(Drover::TaskQueue *queue, QObject *parent = nullptr);

    Drover::TaskId taskAt(int row) const;
    //! Every word the State column can show: queued, running, cancelling….
    static QStringList stateWords();

    //! Re-reads priorities and re-sorts (the queue does not signal them).
    void refreshOrder();
    //! These running tasks were asked to stop: "cancelling…" until they end.
    void markCancelling(const QList<Drover::TaskId> &tasks);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        Drover::TaskId id = 0;
        QString name;
        bool running = false;
        int worker = -1;
        int priority = 0;
        bool cancelling = false;  // asked to stop, still running
        bool waiting = false;     // queued, a worker ready, no job slot free
    };
    static bool before(const Row &a, const Row &b);
    void insertRow(Row row);
    int rowOf(Drover::TaskId id) const;

    Drover::TaskQueue *m_queue;
    QList<Row> m_rows;
};

} // namespace DroverIde
