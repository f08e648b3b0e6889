// Which worker takes which task, and how many workers the pool keeps: the
// queue's side of Scheduler::chooseTask() and Scheduler::planPool().

#include "queue/taskqueue_p.h"

#include "logging.h"
#include "manager_p.h"
#include "pool/workerprocess.h"
#include "queue/scheduler.h"

namespace Drover::Internal {

namespace {
WorkerStatus statusOf(const WorkerProcess *w)
{
    const WorkerInfo &info = w->info();
    return info.fresh ? WorkerStatus::makeFresh() : WorkerStatus::makeOld(info.competence);
}

bool isLiveAndIdle(const WorkerProcess *w)
{
    return w->isIdle() && !w->isQuitting();
}
} // namespace

void TaskQueuePrivate::scheduleDispatch()
{
    if (m_dispatchScheduled || stopped)
        return;
    m_dispatchScheduled = true;
    QMetaObject::invokeMethod(this, &TaskQueuePrivate::dispatch, Qt::QueuedConnection);
}

void TaskQueuePrivate::dispatch()
{
    m_dispatchScheduled = false;
    m_slotCandidate = {}; // set again below if a ready worker still finds no slot
    if (stopped)
        return;

    // Idle workers take the best task they match, while fewer than
    // maxWorkers run (warm spares may make more idle workers than that).
    // Old workers first: their competence may serve a task that any fresh
    // worker would have to start from scratch (proof repair, caches).
    // Collected first: a handler of the signals emitted here may change
    // the pool.
    QList<int> idle;
    qsizetype oldWorkers = 0;
    int busy = 0;
    for (const auto &[id, w] : pool.workers()) {
        if (w->isQuitting())
            continue;
        if (w->info().state == WorkerInfo::State::Busy)
            ++busy;
        else if (w->isIdle() && w->info().fresh)
            idle.append(id);
        else if (w->isIdle())
            idle.insert(oldWorkers++, id);
    }
    for (int id : std::as_const(idle)) {
        if (busy >= maxWorkers)
            break;
        if (WorkerProcess *w = pool.worker(id); w && w->isIdle() && assign(w))
            ++busy;
        if (stopped)
            return;
        if (m_waitingForSlot)
            break; // the next idle worker would find none either
    }

    Scheduler::PoolCounts counts;
    counts.maxWorkers = maxWorkers;
    counts.spareTarget = m_sparesWanted ? warmSpares : 0;
    counts.queued = book.pending().size() - book.pinnedQueued(); // a new worker cannot take a pinned task
    counts.backingOff = m_backoff.isWaiting();
    counts.topUpDue = m_spareTopUp;
    for (const auto &[id, w] : pool.workers()) {
        if (w->isQuitting())
            continue;
        ++counts.live;
        switch (w->info().state) {
        case WorkerInfo::State::Starting:
            ++counts.starting;
            break;
        case WorkerInfo::State::Busy:
            ++counts.busy;
            break;
        case WorkerInfo::State::Idle:
            ++(w->info().fresh ? counts.freshIdle : counts.oldIdle);
            break;
        case WorkerInfo::State::Stopping:
            break;
        }
    }
    const Scheduler::PoolPlan plan = Scheduler::planPool(counts);
    m_spareTopUp = false;
    for (int i = 0; i < plan.spawnForTasks + plan.spawnSpares; ++i) {
        WorkerProcess *w = pool.spawn();
        emit q->workerStarted(w->id(), w->pid());
    }
    if (plan.delayTopUp && !m_spareTimer.isActive())
        m_spareTimer.start();
    if (plan.retireOldIdle) {
        // The least recently used one: an IDE's documents that were looked
        // at last keep their workers.
        WorkerProcess *oldest = nullptr;
        for (const auto &[id, w] : pool.workers()) {
            if (isLiveAndIdle(w) && !w->info().fresh && (!oldest || w->lastUsed() < oldest->lastUsed()))
                oldest = w;
        }
        if (oldest) {
            qCDebug(lcQueue).noquote() << kind << ": retiring worker" << oldest->id()
                                       << ", the least recently used, which matches no queued task";
            pool.retire(oldest);
            scheduleDispatch();
        }
    }
    // Busy workers hold the next task when more are queued than the idle
    // and starting workers can take (prefetch.cpp).
    keepHeldInOrder();
    stealHeld();
    const int takers = counts.busy < maxWorkers
        ? std::min(maxWorkers - counts.busy,
                   counts.freshIdle + counts.oldIdle + counts.starting + plan.spawnForTasks + plan.spawnSpares)
        : 0;
    prefetchFor(takers);
    // A shrunk pool: idle workers beyond the capacity go, lowest id first.
    int shrink = plan.shrinkBy;
    for (auto it = pool.workers().begin(); it != pool.workers().end() && shrink > 0; ++it) {
        if (isLiveAndIdle(it->second)) {
            pool.retire(it->second);
            --shrink;
        }
    }
}

QString TaskQueuePrivate::nameOfRequest(const Task &task, const QCborValue &request) const
{
    if (requestNamer)
        return requestNamer(task, request);
    return task.name.isEmpty() ? QStringLiteral("task %1").arg(task.id) : task.name;
}

void TaskQueuePrivate::reportQueueEmptied(WorkerProcess *candidate)
{
    if (stopped || draining || !book.pending().isEmpty())
        return;
    WorkerProcess *idle = candidate && isLiveAndIdle(candidate) ? candidate : nullptr;
    for (auto it = pool.workers().begin(); !idle && it != pool.workers().end(); ++it) {
        if (isLiveAndIdle(it->second))
            idle = it->second;
    }
    // A fresh-worker kind has no idle worker after a task: its worker ends
    // with it, and the next task would start one.
    if (idle || pool.liveCount() < maxWorkers)
        emit q->queueEmptied(idle ? idle->id() : 0);
}

void TaskQueuePrivate::reportWaitingForSlot()
{
    const auto [id, workerId] = m_slotCandidate;
    TaskRecord *record = id ? book.find(id) : nullptr;
    if (!record || record->state != TaskRecord::State::Queued || record->waitingForSlot)
        return;
    record->waitingForSlot = true;
    emit q->taskWaitingForSlot(id, workerId);
}

bool TaskQueuePrivate::assign(WorkerProcess *w)
{
    const WorkerStatus status = statusOf(w);
    m_waitingForSlot = false;
    while (const std::optional<TaskId> chosen = Scheduler::chooseTask(book, *taskKind, status, w->id())) {
        // A job slot of the machine first (docs/jobserver.md); without one
        // the task stays queued until JobSlots::slotFreed().
        if (!manager->jobSlots.take()) {
            m_waitingForSlot = true;
            m_slotCandidate = {*chosen, w->id()};
            // Shown waiting once every slot is known to be taken: at once
            // under make, after the token server's answer under a cap.
            if (manager->jobSlots.isFull())
                reportWaitingForSlot();
            return false;
        }
        m_slotCandidate = {};
        const TaskId id = *chosen;
        TaskRecord &record = *book.find(id);
        record.waitingForSlot = false;
        book.unqueue(record);
        const std::optional<QCborValue> request = taskKind->requestOfTask(status, record.task);
        if (!request) {
            manager->jobSlots.release();
            finishTask(id, Outcome::Dropped, QStringLiteral("the task kind found the task obsolete"));
            continue; // handlers may have changed the queue: choose again
        }
        if (!w->send(Wire::Request{qint64(id), *request, record.batch})) {
            manager->jobSlots.release();
            const QString reason = QStringLiteral("the request exceeds the frame limit of %1 bytes")
                                       .arg(manager->maxFrameSize);
            taskKind->onMarshalError(reason, record.task);
            finishTask(id, Outcome::MarshalError, reason);
            continue;
        }
        book.markRunning(record, w->id());
        record.requestName = nameOfRequest(record.task, *request);
        qCDebug(lcQueue).noquote() << kind << ": worker" << w->id() << "runs" << record.requestName;
        w->beginTask(id);
        m_deadlines.armRunLimits(record, w->id());
        emit q->taskStarted(id, w->id());
        emit q->workerBusy(w->id(), id);
        // The hook may send the worker a message: it follows the request.
        if (TaskRecord *started = book.find(id); started && started->hooks && started->hooks->onStart)
            started->hooks->onStart(TaskContext(q, id, w->id()));
        return true;
    }
    return false;
}

} // namespace Drover::Internal
