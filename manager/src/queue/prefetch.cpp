// Prefetch: a busy Old worker holds the next request while it works, and
// begins it as soon as it has answered (docs/architecture.md, "Prefetch").
//
// Two views are kept apart. The WorkerProcess says what the worker process
// does, as read from its stream: its current task and the one it holds
// (a worker answers its requests in order, and begins a held one right
// after answering the one before, unless a Withdraw took it back first).
// The TaskBook says whose a task is: a held record (State::Held) belongs to
// its worker until the worker begins it (it starts: taskStarted), gives it
// back (Withdrawn, taken) or dies. A task the worker begins that is no
// longer its own (queued again, cancelled, or stale) runs there as a stray:
// its frames and its answer are the worker's business, never the task's.

#include "queue/taskqueue_p.h"

#include "logging.h"
#include "manager_p.h"
#include "pool/workerprocess.h"
#include "queue/scheduler.h"

#include <algorithm>

namespace Drover::Internal {

namespace {
WorkerStatus statusOf(const WorkerProcess *w)
{
    const WorkerInfo &info = w->info();
    return info.fresh ? WorkerStatus::makeFresh() : WorkerStatus::makeOld(info.competence);
}

bool mayHold(const WorkerProcess *w)
{
    return w->info().state == WorkerInfo::State::Busy && w->currentTask() != 0 && w->heldTask() == 0
        && !w->isQuitting() && !w->info().fresh && w->isConnected();
}
} // namespace

bool TaskQueuePrivate::runsOn(const WorkerProcess *w, TaskId id) const
{
    const TaskRecord *record = book.find(id);
    return record && record->state == TaskRecord::State::Running && record->workerId == w->id();
}

void TaskQueuePrivate::prefetchFor(int takers)
{
    // A held task waits for a slot nobody else may use: not while slots
    // are shared with other processes.
    if (!prefetch || stopped || manager->jobSlots.source())
        return;
    QList<int> busy;
    for (const auto &[id, w] : pool.workers()) {
        if (mayHold(w))
            busy << id;
    }
    for (int id : std::as_const(busy)) {
        if (book.pending().size() <= takers)
            return;
        if (WorkerProcess *w = pool.worker(id); w && mayHold(w))
            holdNext(w);
    }
}

void TaskQueuePrivate::prefetchAfterAnswer(WorkerProcess *w)
{
    if (!prefetch || stopped || manager->jobSlots.source() || book.pending().isEmpty() || !mayHold(w))
        return;
    // As dispatch() counts them: idle and starting workers take queued
    // tasks first, while the pool runs fewer than maxWorkers tasks.
    int busy = 0;
    int takers = 0;
    for (const auto &[id, other] : pool.workers()) {
        if (other->isQuitting())
            continue;
        if (other->info().state == WorkerInfo::State::Busy)
            ++busy;
        else if (other->isIdle() || other->info().state == WorkerInfo::State::Starting)
            ++takers;
    }
    if (book.pending().size() > (busy < maxWorkers ? std::min(maxWorkers - busy, takers) : 0))
        holdNext(w);
}

void TaskQueuePrivate::holdNext(WorkerProcess *w)
{
    const WorkerStatus status = statusOf(w);
    while (const std::optional<TaskId> chosen = Scheduler::chooseTask(book, *taskKind, status)) {
        if (!manager->jobSlots.take())
            return;
        const TaskId task = *chosen;
        TaskRecord &record = *book.find(task);
        book.unqueue(record);
        const std::optional<QCborValue> request = taskKind->requestOfTask(status, record.task);
        if (!request) {
            manager->jobSlots.release();
            finishTask(task, Outcome::Dropped, QStringLiteral("the task kind found the task obsolete"));
            if (stopped || !mayHold(w))
                return;
            continue;
        }
        if (!w->send(Wire::Request{qint64(task), *request, record.batch})) {
            manager->jobSlots.release();
            const QString reason = QStringLiteral("the request exceeds the frame limit of %1 bytes")
                                       .arg(manager->maxFrameSize);
            taskKind->onMarshalError(reason, record.task);
            finishTask(task, Outcome::MarshalError, reason);
            if (stopped || !mayHold(w))
                return;
            continue;
        }
        book.markHeld(record, w->id());
        w->hold(task);
        qCDebug(lcQueue).noquote() << kind << ": worker" << w->id() << "holds task" << task << "behind task"
                                   << w->currentTask();
        return;
    }
}

void TaskQueuePrivate::keepHeldInOrder()
{
    for (const auto &[id, w] : pool.workers()) {
        const TaskId held = w->heldTask();
        if (held == 0 || w->isWithdrawing())
            continue;
        const TaskRecord *record = book.find(held);
        if (!record || record->state != TaskRecord::State::Held || record->workerId != id)
            continue;
        // No queued task of a higher priority at all (the usual case): no
        // need to ask the kind.
        if (book.pending().isEmpty() || book.pending().begin()->priority <= record->task.priority)
            continue;
        const std::optional<TaskId> first = Scheduler::chooseTask(book, *taskKind, statusOf(w));
        if (first && book.task(*first).priority > record->task.priority) {
            qCDebug(lcQueue).noquote() << kind << ": task" << *first << "outranks task" << held << "held by worker"
                                       << id << "; asking for it back";
            withdrawHeld(w);
        }
    }
}

void TaskQueuePrivate::cancelHeld(WorkerProcess *w, TaskId id, const QString &why)
{
    TaskRecord *record = book.find(id);
    if (!record || record->state != TaskRecord::State::Held)
        return;
    withdrawHeld(w);
    m_strays.insert_or_assign(id, record->task);
    finishTask(id, Outcome::Cancelled, why);
}

QList<TaskId> TaskQueuePrivate::heldIds() const
{
    QList<TaskId> ids;
    for (const auto &[workerId, w] : pool.workers()) {
        const TaskRecord *record = w->heldTask() ? book.find(w->heldTask()) : nullptr;
        if (record && record->state == TaskRecord::State::Held && record->workerId == workerId)
            ids << record->task.id;
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

void TaskQueuePrivate::stealHeld()
{
    if (!book.pending().isEmpty())
        return;
    QList<WorkerProcess *> idle;
    int busy = 0;
    for (const auto &[id, w] : pool.workers()) {
        if (w->isQuitting())
            continue;
        if (w->info().state == WorkerInfo::State::Busy)
            ++busy;
        else if (w->isIdle())
            idle << w;
    }
    if (idle.isEmpty() || busy >= maxWorkers)
        return;
    // A worker with nothing to do while another holds a task behind its
    // own: ask for it back, and the idle one takes it (unless the holder
    // has begun it meanwhile, the usual case for short tasks).
    for (const auto &[id, w] : pool.workers()) {
        const TaskRecord *record = w->heldTask() && !w->isWithdrawing() ? book.find(w->heldTask()) : nullptr;
        if (!record || record->state != TaskRecord::State::Held || record->workerId != id)
            continue;
        for (const WorkerProcess *other : std::as_const(idle)) {
            if (taskKind->taskMatch(statusOf(other), record->task)) {
                qCDebug(lcQueue).noquote() << kind << ": worker" << other->id() << "is idle; asking worker" << id
                                           << "for task" << record->task.id << "back";
                withdrawHeld(w);
                break;
            }
        }
    }
}

void TaskQueuePrivate::withdrawHeld(WorkerProcess *w)
{
    if (w->heldTask() == 0 || w->isWithdrawing())
        return;
    w->markWithdrawing();
    w->send(Wire::Withdraw{qint64(w->heldTask())});
}

void TaskQueuePrivate::startTask(WorkerProcess *w, TaskRecord &record)
{
    const TaskId id = record.task.id;
    book.markRunning(record, w->id());
    m_deadlines.armRunLimits(record, w->id());
    emit q->taskStarted(id, w->id());
    emit q->workerBusy(w->id(), id);
    TaskRecord *started = book.find(id);
    if (!started)
        return;
    if (started->cancelRequested) {
        // cancel() came while it was held and the worker had begun it.
        w->send(Wire::Cancel{qint64(id)});
        m_deadlines.arm(*started, Deadlines::Kind::Grace, cancelGrace, w->id());
    }
    if (started->hooks && started->hooks->onStart)
        started->hooks->onStart(TaskContext(q, id, w->id()));
}

void TaskQueuePrivate::afterCurrentTask(WorkerProcess *w)
{
    if (w->heldTask() != 0 && !w->isWithdrawing()) {
        heldBegan(w);
        // The next one at once, not a turn of the event loop later: the
        // worker may be done with this one before dispatch() runs.
        prefetchAfterAnswer(w);
    }
}

void TaskQueuePrivate::heldBegan(WorkerProcess *w)
{
    const TaskId id = w->heldTask();
    if (id == 0)
        return;
    w->beginHeld();
    TaskRecord *record = book.find(id);
    if (!record || record->state != TaskRecord::State::Held || record->workerId != w->id()) {
        // A stray: its record left this worker. Its result would go unused.
        w->send(Wire::Cancel{qint64(id)});
        return;
    }
    if (record->stale || w->isQuitting() || w->isStopping()) {
        // It must not run here: queued again, not counted; the worker is
        // asked to stop it, and its answer will be a stray's.
        qCDebug(lcQueue).noquote() << kind << ": worker" << w->id() << "began task" << id
                                   << "which it no longer matches; queued again";
        m_strays.insert_or_assign(id, record->task);
        book.requeue(*record);
        manager->jobSlots.release();
        w->send(Wire::Cancel{qint64(id)});
        scheduleDispatch();
        return;
    }
    startTask(w, *record);
}

void TaskQueuePrivate::detachHeld(WorkerProcess *w, bool cancel, const QString &why)
{
    const TaskId id = w->heldTask();
    TaskRecord *record = id ? book.find(id) : nullptr;
    if (!record || record->state != TaskRecord::State::Held || record->workerId != w->id())
        return;
    if (cancel || record->cancelRequested) {
        finishTask(id, Outcome::Cancelled, why);
    } else {
        book.requeue(*record);
        manager->jobSlots.release();
        scheduleDispatch();
    }
}

void TaskQueuePrivate::recheckHeld(WorkerProcess *w)
{
    const TaskId id = w->heldTask();
    TaskRecord *record = id ? book.find(id) : nullptr;
    if (!record || record->state != TaskRecord::State::Held || record->workerId != w->id())
        return;
    if (taskKind->taskMatch(statusOf(w), record->task))
        return;
    qCDebug(lcQueue).noquote() << kind << ": worker" << w->id() << "no longer matches its held task" << id
                               << "; asking for it back";
    record->stale = true;
    withdrawHeld(w);
}

void TaskQueuePrivate::onWithdrawn(WorkerProcess *w, const Wire::Withdrawn &message)
{
    const TaskId id = TaskId(message.task);
    if (id == 0 || id != w->heldTask())
        return; // it began meanwhile (a frame of it came first)
    if (!message.taken) {
        heldBegan(w);
        return;
    }
    w->releaseHeld();
    m_strays.erase(id);
    if (TaskRecord *record = book.find(id); record && record->state == TaskRecord::State::Held
                                            && record->workerId == w->id()) {
        if (record->cancelRequested) {
            finishTask(id, Outcome::Cancelled, QStringLiteral("cancelled before it started"));
        } else {
            book.requeue(*record);
            manager->jobSlots.release();
        }
    }
    if (w->isIdle() && !w->isQuitting()) {
        w->startIdleClock(pool.settings.idleTimeout);
        emit q->workerIdle(w->id());
    }
    reportQueueEmptied(w);
    scheduleDispatch();
}

void TaskQueuePrivate::noteFrameOf(WorkerProcess *w, TaskId id)
{
    if (id != 0 && id == w->heldTask())
        heldBegan(w);
}

void TaskQueuePrivate::strayAnswered(WorkerProcess *w, TaskId id, Outcome outcome, const QCborValue &response)
{
    qCDebug(lcQueue).noquote() << kind << ": worker" << w->id() << "answered task" << id
                               << "which was no longer its own";
    w->endTask(false);
    const auto stray = m_strays.find(id);
    std::optional<Task> task;
    if (stray != m_strays.end()) {
        task = std::move(stray->second);
        m_strays.erase(stray);
    }
    if (outcome == Outcome::Done && !w->isQuitting()) {
        // The answer says what the worker now is, as a cancelled task's
        // does; without the task, nobody can say: it goes.
        if (task) {
            const Decision decision = taskKind->useResponse(statusOf(w), *task, response);
            if (decision.stay)
                w->becomeOld(decision.competence);
            else
                pool.retire(w);
        } else {
            pool.retire(w);
        }
        recheckHeld(w);
    }
    afterTask(w, outcome == Outcome::Done);
    if (w->isQuitting())
        detachHeld(w, false, {});
    afterCurrentTask(w);
    reportQueueEmptied(w);
    scheduleDispatch();
}

bool TaskQueuePrivate::setPriority(TaskId id, int priority)
{
    TaskRecord *record = book.find(id);
    if (!record)
        return false;
    if (record->state == TaskRecord::State::Running)
        return false;
    if (record->task.priority == priority)
        return true;
    if (record->state == TaskRecord::State::Queued) {
        book.setPriority(id, priority);
    } else {
        record->task.priority = priority;
        if (WorkerProcess *w = pool.worker(record->workerId))
            withdrawHeld(w);
    }
    emit q->taskPriorityChanged(id, priority);
    scheduleDispatch();
    return true;
}

} // namespace Drover::Internal
