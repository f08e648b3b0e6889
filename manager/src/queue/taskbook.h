#pragma once

#include "drover/hooks.h"
#include "drover/task.h"
#include "drover/taskresult.h"
#include "queue/pendingtasks.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QList>
#include <QtCore/QTimer>

#include <memory>
#include <optional>
#include <unordered_map>

namespace Drover::Internal {

//! A task from enqueue() to its outcome.
struct TaskRecord
{
    //! Held: sent ahead to workerId while it runs another task (prefetch),
    //! not started; it holds a job slot from then on, as a running one.
    enum class State { Queued, Held, Running };

    Task task;
    State state = State::Queued;
    int workerId = -1;
    int attempts = 0;
    bool cancelRequested = false;
    bool interruptRequested = false;
    bool timedOut = false;
    bool stale = false;                 // Held: no longer matches its worker (taskMatch after useResponse)
    bool batch = false;                 // a map() chunk: the request is run element by element
    bool waitingForSlot = false;        // chosen by a ready worker, no job slot free (docs/jobserver.md)
    QString requestName;                // while running (TaskQueue::requestName())
    std::unique_ptr<TaskHooks> hooks;   // only when given
    QElapsedTimer clock;                // since the first start
    // Deadlines (deadlines.h), only while running and only if asked for.
    std::unique_ptr<QTimer> termTimer;
    std::unique_ptr<QTimer> killTimer;
    std::unique_ptr<QTimer> graceTimer;
};

//! Every live task of one queue and the order in which the queued ones are
//! offered (PendingTasks). Plain data: no signals, no workers; the queue
//! decides, the book remembers.
class TaskBook
{
public:
    //! Records a task (its id already set) as queued.
    TaskRecord &add(Task task, std::unique_ptr<TaskHooks> hooks, bool batch);

    TaskRecord *find(TaskId id);
    const TaskRecord *find(TaskId id) const;
    bool contains(TaskId id) const { return m_records.count(id) > 0; }
    bool isEmpty() const { return m_records.empty(); }
    qsizetype size() const { return qsizetype(m_records.size()); }
    const Task &task(TaskId id) const { return m_records.at(id).task; }

    //! Takes a queued task out of the queued order (it is about to be sent).
    void unqueue(TaskRecord &record)
    {
        if (m_pending.remove(record.task.id, record.task.priority) && record.task.pinnedWorker != 0)
            --m_pinnedQueued;
    }
    //! The request went to a worker.
    void markRunning(TaskRecord &record, int workerId);
    //! The request went ahead to a busy worker (prefetch): not started,
    //! not an attempt.
    void markHeld(TaskRecord &record, int workerId);
    //! Its worker died and it runs again: back into the queued order.
    void requeue(TaskRecord &record);
    //! Moves a queued task; false if it is not queued.
    bool setPriority(TaskId id, int priority);

    //! Removes a task for good, with the result its outcome makes.
    struct Ended
    {
        TaskRecord record;
        TaskResult result;
    };
    std::optional<Ended> close(TaskId id, Outcome outcome, const QString &message, const QCborValue &response);

    const PendingTasks &pending() const { return m_pending; }
    //! How many queued tasks are pinned to one worker (Task::pinnedWorker):
    //! no other worker can take them.
    qsizetype pinnedQueued() const { return m_pinnedQueued; }
    //! The queued tasks in the order they are offered.
    QList<TaskId> queuedIds() const;
    //! Every live task, by id; the running ones only when runningOnly.
    QList<TaskId> ids(bool runningOnly = false) const;

private:
    std::unordered_map<TaskId, TaskRecord> m_records;
    PendingTasks m_pending;
    qsizetype m_pinnedQueued = 0;
};

} // namespace Drover::Internal
