// Tasks in and out of a queue: enqueue, cancel, outcomes, stop and the end.

#include "queue/taskqueue_p.h"

#include "logging.h"
#include "manager_p.h"
#include "pool/processstatus.h"
#include "pool/workerprocess.h"

#include <csignal>

namespace Drover::Internal {

TaskQueuePrivate::TaskQueuePrivate(TaskQueue *q, Manager *m, const QString &kind, TaskKind *taskKind,
                                   const QString &pluginFile)
    : q(q)
    , manager(ManagerPrivate::get(m))
    , kind(kind)
    , taskKind(taskKind)
    , pool(manager, kind, taskKind, pluginFile)
    , m_backoff(kind)
{
    connectPool();
    connect(&m_backoff, &StartBackoff::waitOver, this, &TaskQueuePrivate::scheduleDispatch);
    connect(&m_deadlines, &Deadlines::expired, this, &TaskQueuePrivate::onDeadline);
    connect(&manager->jobSlots, &JobSlots::slotFreed, this, [this] {
        if (!book.pending().isEmpty())
            scheduleDispatch();
    });
    connect(&manager->jobSlots, &JobSlots::becameFull, this, &TaskQueuePrivate::reportWaitingForSlot);
    m_spareTimer.setSingleShot(true);
    m_spareTimer.setInterval(20); // see dispatch(): spares are topped up a moment later
    connect(&m_spareTimer, &QTimer::timeout, this, [this] {
        m_spareTopUp = true;
        scheduleDispatch();
    });
}

TaskQueuePrivate::~TaskQueuePrivate()
{
    end();
}

void TaskQueuePrivate::end()
{
    abandon(manager->destroying ? QStringLiteral("the manager was destroyed") : QStringLiteral("the queue was destroyed"));
}

TaskId TaskQueuePrivate::enqueue(Task task, std::unique_ptr<TaskHooks> hooks, bool batch)
{
    const TaskId id = manager->nextTaskId();
    task.id = id;
    const int pinned = task.pinnedWorker;
    book.add(std::move(task), std::move(hooks), batch);
    m_sparesWanted = true;
    emit q->taskQueued(id);
    if (pinned != 0 && !canRunPinned(pinned))
        QMetaObject::invokeMethod(q, [this, id, pinned] {
            finishTask(id, Outcome::WorkerDied, QStringLiteral("it is pinned to worker %1, which is not a live worker "
                                                                "of the %2 queue").arg(pinned).arg(kind));
        }, Qt::QueuedConnection);
    else if (stopped) // still one outcome, still never from inside enqueue()
        QMetaObject::invokeMethod(q, [this, id] {
            if (stopped) // not if start() came first
                cancel(id);
        }, Qt::QueuedConnection);
    else
        scheduleDispatch();
    return id;
}

bool TaskQueuePrivate::canRunPinned(int workerId) const
{
    const WorkerProcess *w = pool.worker(workerId);
    return w && !w->isQuitting();
}

void TaskQueuePrivate::endTasksPinnedTo(int workerId, const QString &why)
{
    if (book.pinnedQueued() == 0)
        return; // the common case costs nothing
    for (TaskId id : book.queuedIds()) {
        const TaskRecord *record = book.find(id);
        if (record && record->task.pinnedWorker == workerId)
            finishTask(id, Outcome::WorkerDied, QStringLiteral("its worker %1 %2").arg(workerId).arg(why));
    }
}

bool TaskQueuePrivate::cancel(TaskId id, bool interrupt)
{
    TaskRecord *record = book.find(id);
    if (!record)
        return false;
    if (record->state == TaskRecord::State::Queued) {
        finishTask(id, Outcome::Cancelled, QStringLiteral("cancelled before it started"));
        return true;
    }
    WorkerProcess *w = pool.worker(record->workerId);
    if (!w)
        return false;
    record->interruptRequested = record->interruptRequested || interrupt;
    if (record->state == TaskRecord::State::Held) {
        cancelHeld(w, id, QStringLiteral("cancelled before it started"));
        return true;
    }
    if (record->cancelRequested)
        return true;
    record->cancelRequested = true;
    w->send(Wire::Cancel{qint64(id)});
    m_deadlines.arm(*record, Deadlines::Kind::Grace, cancelGrace, w->id());
    return true;
}

bool TaskQueuePrivate::sendMessage(TaskId id, const QCborValue &value)
{
    const TaskRecord *record = book.find(id);
    if (!record || record->state != TaskRecord::State::Running)
        return false;
    WorkerProcess *w = pool.worker(record->workerId);
    if (!w || !w->isConnected())
        return false;
    return w->send(Wire::Message{qint64(id), value});
}

namespace {
qint64 encodedSize(const QCborValue &value)
{
    return value.toCbor().size();
}
// More than the welcome's map, keys, type and array head take.
constexpr qint64 WelcomeOverhead = 64;
} // namespace

bool TaskQueuePrivate::welcomeFits(const QCborArray &feedback, qint64 feedbackBytes, const QCborValue &environment,
                                   qint64 environmentBytes) const
{
    const qint64 limit = manager->maxFrameSize;
    if (feedbackBytes + environmentBytes > limit)
        return false;
    if (feedbackBytes + environmentBytes + WelcomeOverhead <= limit)
        return true;
    Wire::FrameWriter writer; // a few bytes from the limit: the exact size
    return !Wire::frameOf(writer, Wire::Welcome{limit, feedback, environment}, limit).isEmpty();
}

bool TaskQueuePrivate::broadcast(const Wire::Broadcast &message)
{
    // A value kept here goes into every later worker's welcome: one that
    // does not fit would kill each of them at its start.
    if (message.clear) {
        forwarded = {};
        m_forwardedBytes = 0;
    } else {
        const qint64 bytes = encodedSize(message.body);
        forwarded.append(message.body);
        if (!welcomeFits(forwarded, m_forwardedBytes + bytes, workerEnvironment, m_environmentBytes)) {
            forwarded.removeLast();
            qCWarning(lcQueue).noquote() << kind << ": forwarded feedback of" << bytes
                                         << "bytes would not fit in a frame; not forwarded";
            return false;
        }
        m_forwardedBytes += bytes;
    }
    for (const auto &[id, w] : pool.workers()) {
        if (w->isConnected())
            w->send(message);
    }
    return true;
}

bool TaskQueuePrivate::setWorkerEnvironment(const QCborValue &environment)
{
    environmentOf = nullptr;
    const qint64 bytes = encodedSize(environment);
    if (!welcomeFits(forwarded, m_forwardedBytes, environment, bytes)) {
        qCWarning(lcQueue).noquote() << kind << ": a worker environment of" << bytes
                                     << "bytes would not fit in a frame; kept the previous one";
        return false;
    }
    workerEnvironment = environment;
    m_environmentBytes = bytes;
    return true;
}

bool TaskQueuePrivate::signalWorker(int workerId, int signal)
{
    WorkerProcess *w = pool.worker(workerId);
    if (!w)
        return false;
    w->markSignalledByUser();
    if (signal == SIGINT) {
        if (const TaskId task = w->currentTask(); task && runsOn(w, task))
            return cancel(task, true); // cooperatively first
    }
    w->stopping();
    w->signalGroup(signal);
    return true;
}

void TaskQueuePrivate::finishTask(TaskId id, Outcome outcome, const QString &message, const QCborValue &response,
                                  bool reportDrained)
{
    std::optional<TaskBook::Ended> ended = book.close(id, outcome, message, response);
    if (!ended)
        return;
    switch (outcome) {
    case Outcome::Cancelled:
        taskKind->onTaskEnded(ended->record.task, EndReason::Cancelled);
        break;
    case Outcome::TimedOut:
        taskKind->onTaskEnded(ended->record.task, EndReason::TimedOut);
        break;
    case Outcome::WorkerDied:
        taskKind->onTaskEnded(ended->record.task, EndReason::WorkerDied);
        break;
    default:
        break;
    }
    qCDebug(lcQueue).noquote() << kind << ": task" << id << outcomeName(outcome) << message;
    if (ended->record.hooks && ended->record.hooks->onFinish)
        ended->record.hooks->onFinish(ended->result);
    emit q->taskFinished(id, ended->result);
    // Its job slot goes back after the outcome is out, so that whoever
    // records the task's end does so before another process may start one.
    if (ended->record.state != TaskRecord::State::Queued)
        manager->jobSlots.release();
    if (reportDrained && book.isEmpty())
        emit q->drained();
    if (draining && book.isEmpty())
        QMetaObject::invokeMethod(this, &TaskQueuePrivate::closeIfDrained, Qt::QueuedConnection);
}

void TaskQueuePrivate::finishQueued(Outcome outcome, const QString &message)
{
    for (TaskId id : book.queuedIds())
        finishTask(id, outcome, message);
}

void TaskQueuePrivate::stop(StopMode mode)
{
    using Mode = StopMode;
    if (m_abandoned || m_terminated || (stopped && mode != Mode::Terminate))
        return;
    if (mode == Mode::Drain) {
        if (!draining) {
            draining = true;
            QMetaObject::invokeMethod(this, &TaskQueuePrivate::closeIfDrained, Qt::QueuedConnection);
        }
        return;
    }
    draining = false;
    const bool terminate = mode == Mode::Terminate;
    m_terminated = terminate;
    finishQueued(Outcome::Cancelled, QStringLiteral("the queue was stopped"));
    // Held tasks have not started: they end as queued ones do, and their
    // workers are asked not to begin them. Terminated, they end with their
    // workers, Cancelled.
    for (TaskId id : heldIds()) {
        TaskRecord *held = book.find(id);
        WorkerProcess *w = held ? pool.worker(held->workerId) : nullptr;
        if (!w)
            continue;
        if (terminate)
            held->cancelRequested = true;
        else
            cancelHeld(w, id, QStringLiteral("the queue was stopped"));
    }
    stopped = true;
    m_backoff.stop();
    for (TaskId id : book.ids(true)) {
        if (!terminate) {
            cancel(id);
        } else if (TaskRecord *record = book.find(id)) {
            // It ends with its worker, SIGTERMed below: Cancelled, not a death.
            record->cancelRequested = true;
            Deadlines::disarm(*record);
        }
    }
    for (const auto &[id, w] : pool.workers()) {
        if (terminate)
            pool.terminate(w);
        else if (w->info().state != WorkerInfo::State::Busy)
            pool.retire(w);
    }
    QMetaObject::invokeMethod(this, &TaskQueuePrivate::reportStoppedIfDone, Qt::QueuedConnection);
}

void TaskQueuePrivate::closeIfDrained()
{
    if (draining && book.isEmpty())
        stop(StopMode::Cancel); // nothing left to cancel: the workers quit
}

void TaskQueuePrivate::start()
{
    if (m_abandoned || (!stopped && !draining))
        return;
    draining = false;
    stopped = false;
    m_terminated = false;
    m_stoppedReported = false;
    m_sparesWanted = true;
    scheduleDispatch();
}

void TaskQueuePrivate::reportStoppedIfDone()
{
    if (stopped && pool.isEmpty() && !m_stoppedReported) {
        m_stoppedReported = true;
        emit q->stopped();
    }
}

void TaskQueuePrivate::abandon(const QString &why)
{
    if (m_abandoned)
        return;
    m_abandoned = true;
    stopped = true;
    m_backoff.stop();
    // Every worker is killed and reaped before any outcome is reported, so
    // nothing of ours is alive once the outcomes are out.
    pool.terminateAll();
    for (TaskId id : book.ids())
        finishTask(id, Outcome::Cancelled, why);
}

} // namespace Drover::Internal
