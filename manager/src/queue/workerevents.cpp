// What a queue does when one of its workers connects, speaks, runs out of
// time or dies.

#include "queue/taskqueue_p.h"

#include "logging.h"
#include "manager_p.h"
#include "pool/processstatus.h"
#include "pool/workerprocess.h"

#include <QtCore/QPointer>

#include <csignal>

using namespace std::chrono_literals;

namespace Drover::Internal {

namespace {
QString ms(std::chrono::milliseconds d)
{
    return QStringLiteral("%1 ms").arg(d.count());
}

WorkerStatus statusOf(const WorkerProcess *w)
{
    const WorkerInfo &info = w->info();
    return info.fresh ? WorkerStatus::makeFresh() : WorkerStatus::makeOld(info.competence);
}

//! The death of a task's worker, with what it last said on stderr: "was
//! killed by SIGSEGV; its last words on stderr: ... | ...".
QString deathWithLastWords(const QString &reason, const WorkerProcess *w)
{
    const QStringList words = w->lastWords();
    if (words.isEmpty())
        return reason;
    return QStringLiteral("%1; its last words on stderr: %2").arg(reason, words.join(QLatin1String(" | ")));
}
} // namespace

void TaskQueuePrivate::connectPool()
{
    connect(&pool, &WorkerPool::workerConnected, this, &TaskQueuePrivate::onConnected);
    connect(&pool, &WorkerPool::messageReceived, this, &TaskQueuePrivate::onMessage);
    connect(&pool, &WorkerPool::idleTooLong, this, &TaskQueuePrivate::onIdleTooLong);
    connect(&pool, &WorkerPool::outputLine, q, [this](int workerId, const QString &line, QProcess::ProcessChannel channel) {
        const TaskQueue::OutputChannel on = channel == QProcess::StandardError ? TaskQueue::OutputChannel::StandardError
                                                                                : TaskQueue::OutputChannel::StandardOutput;
        QString failure;
        if (output.deliver(on, line, &failure))
            emit q->workerOutput(workerId, line, on);
        else if (!failure.isEmpty())
            emit q->errorOccurred(failure, TaskQueue::Error::OutputNotWritten);
    });
    connect(&pool, &WorkerPool::workerFinished, this, &TaskQueuePrivate::onWorkerFinished);
    connect(&pool, &WorkerPool::killTimedOut, q, &TaskQueue::workerKillTimedOut);
}

void TaskQueuePrivate::onConnected(WorkerProcess *w)
{
    m_backoff.workerConnected();
    QCborValue environment = workerEnvironment;
    if (environmentOf) {
        try {
            environment = environmentOf(w->id());
        } catch (const std::exception &e) {
            const QString why = QStringLiteral("the per-worker environment function failed: %1")
                                    .arg(QString::fromLocal8Bit(e.what()));
            w->kill(why); // its death says why, as a worker that cannot start
            return;
        }
    }
    if (!w->send(Wire::Welcome{manager->maxFrameSize, forwarded, environment})) {
        // When the limit was lowered after the values were kept, or a
        // per-worker environment is too big.
        const QString why = QStringLiteral("the forwarded feedback and a worker environment of %1 bytes exceed the "
                                           "frame limit of %2 bytes")
                                .arg(environment.toCbor().size()).arg(manager->maxFrameSize);
        w->kill(why);
        emit q->errorOccurred(QStringLiteral("worker %1 cannot be welcomed: %2").arg(w->id()).arg(why),
                              TaskQueue::Error::MessageTooLarge);
        return;
    }
    w->ready();
    emit q->workerReady(w->id());
    if (stopped) {
        pool.retire(w);
    } else {
        w->startIdleClock(pool.settings.idleTimeout);
        scheduleDispatch();
        reportQueueEmptied(w); // a warm spare, or a worker whose task went meanwhile
    }
}

void TaskQueuePrivate::onMessage(WorkerProcess *w, const Wire::Received &message)
{
    if (!message.bodyError.isEmpty()) {
        if (message.type == Wire::Type::Response) {
            // The frame was whole and names its task: that task ends, the
            // stream goes on.
            noteFrameOf(w, TaskId(message.task));
            onTaskAnswer(w, TaskId(message.task), Outcome::MarshalError,
                         QStringLiteral("the response cannot be decoded: %1").arg(message.bodyError), {});
        } else {
            w->kill(QStringLiteral("protocol error: %1").arg(message.bodyError));
        }
        return;
    }
    switch (message.type) {
    case Wire::Type::Response: {
        const Wire::Response response = Wire::decode<Wire::Response>(message);
        noteFrameOf(w, TaskId(response.task));
        onTaskAnswer(w, TaskId(response.task), Outcome::Done, {}, response.body);
        return;
    }
    case Wire::Type::Error: {
        const Wire::Error error = Wire::decode<Wire::Error>(message);
        if (error.task == 0 && error.kind == Wire::Error::Kind::Marshal) {
            // What the worker could not send outside a task (initWorker()).
            emit q->errorOccurred(QStringLiteral("worker %1: %2").arg(w->id()).arg(error.message),
                                  TaskQueue::Error::MessageTooLarge);
            return;
        }
        noteFrameOf(w, TaskId(error.task));
        onTaskAnswer(w, TaskId(error.task),
                     error.kind == Wire::Error::Kind::Marshal ? Outcome::MarshalError : Outcome::Failed, error.message,
                     {});
        return;
    }
    case Wire::Type::Feedback: {
        const Wire::Feedback feedback = Wire::decode<Wire::Feedback>(message);
        noteFrameOf(w, TaskId(feedback.task));
        // Not a stray's: a task this worker began that is no longer its own.
        if (feedback.task != 0 && TaskId(feedback.task) == w->currentTask() && runsOn(w, TaskId(feedback.task)))
            emit q->taskFeedback(TaskId(feedback.task), feedback.body);
        return;
    }
    case Wire::Type::Withdrawn:
        onWithdrawn(w, Wire::decode<Wire::Withdrawn>(message));
        return;
    case Wire::Type::Message:
        onWorkerMessage(w, Wire::decode<Wire::Message>(message));
        return;
    case Wire::Type::Ask:
        onAsk(w, Wire::decode<Wire::Ask>(message));
        return;
    default:
        w->kill(QStringLiteral("protocol error: a worker may not send \"%1\"").arg(Wire::typeName(message.type)));
        return;
    }
}

void TaskQueuePrivate::onTaskAnswer(WorkerProcess *w, TaskId id, Outcome outcome, const QString &text,
                                    const QCborValue &response)
{
    // A worker a kill control is ending may still answer the task it ran.
    const bool running = w->info().state == WorkerInfo::State::Busy || w->isStopping();
    if (!running || id == 0 || id != w->currentTask()) {
        w->kill(QStringLiteral("protocol error: answer for task %1 while running task %2").arg(id).arg(w->currentTask()));
        return;
    }
    if (!runsOn(w, id)) {
        strayAnswered(w, id, outcome, response);
        return;
    }
    TaskRecord &record = *book.find(id);
    Deadlines::disarm(record);

    if (record.cancelRequested) {
        // It stopped cooperatively: whatever it answered, the task is
        // cancelled. An answer still says what the worker now is, so the
        // kind decides its fate (new tasks of a cancelled one are dropped).
        w->endTask(false);
        if (outcome == Outcome::Done) {
            const Decision decision = taskKind->useResponse(statusOf(w), record.task, response);
            if (decision.stay)
                w->becomeOld(decision.competence);
            else
                pool.retire(w);
            recheckHeld(w);
        }
        afterTask(w, outcome == Outcome::Done);
        finishTask(id, Outcome::Cancelled, QStringLiteral("cancelled while running"), {}, false);
    } else if (record.timedOut) {
        // Its time ran out and it was signalled: what it answers now (a
        // child the signal killed, say) is the signal's doing.
        const auto limit = record.task.options.termTimeout > 0ms ? record.task.options.termTimeout
                                                                  : record.task.options.killTimeout;
        w->endTask(false);
        afterTask(w, false);
        finishTask(id, Outcome::TimedOut,
                   QStringLiteral("timed out after %1; it answered after the signal").arg(ms(limit)), {}, false);
    } else if (outcome != Outcome::Done) {
        if (outcome == Outcome::MarshalError)
            taskKind->onMarshalError(text, record.task);
        w->endTask(false);
        afterTask(w, false);
        finishTask(id, outcome, text, {}, false);
    } else {
        w->endTask(true);
        m_backoff.taskDone();
        Decision decision = taskKind->useResponse(statusOf(w), record.task, response);
        if (decision.stay) {
            w->becomeOld(decision.competence);
            recheckHeld(w);
            for (Task &task : decision.newTasks)
                enqueue(std::move(task));
        } else {
            pool.retire(w);
        }
        afterTask(w, true);
        finishTask(id, Outcome::Done, {}, response, false);
    }
    // Its held task begins now, after this one's outcome; a worker that
    // goes gives it back to the queue.
    if (w->isQuitting() || w->isStopping())
        detachHeld(w, false, {});
    afterCurrentTask(w);
    // The place to add more work comes before the verdict that all is done.
    reportQueueEmptied(w);
    if (book.isEmpty())
        emit q->drained();
    scheduleDispatch();
}

// One that ended a task without a response is kept only if it was Old: a
// Fresh one is no longer fresh, and nobody told us what it is now.
void TaskQueuePrivate::afterTask(WorkerProcess *w, bool answered)
{
    if (!answered && w->info().fresh)
        pool.retire(w);
    if (!w->isQuitting() && (stopped || pool.liveCount() > capacity()))
        pool.retire(w);
    if (!w->isQuitting()) {
        if (const QString why = pool.recycleReason(w); !why.isEmpty()) {
            qCInfo(lcQueue).noquote() << kind << ": recycling worker" << w->id() << why;
            pool.retire(w);
        }
    }
    if (!w->isQuitting() && w->isIdle()) {
        w->startIdleClock(pool.settings.idleTimeout);
        emit q->workerIdle(w->id());
    }
}

void TaskQueuePrivate::onWorkerMessage(WorkerProcess *w, const Wire::Message &message)
{
    const TaskId id = TaskId(message.task);
    noteFrameOf(w, id);
    if (id != 0 && id == w->currentTask() && !runsOn(w, id))
        return; // a stray's (prefetch.cpp)
    if (id == 0 || id != w->currentTask()) {
        emit q->workerMessage(w->id(), message.body);
        return;
    }
    if (TaskRecord *record = book.find(id); record && record->hooks && record->hooks->onMessage)
        record->hooks->onMessage(TaskContext(q, id, w->id()), message.body);
    emit q->taskMessage(id, message.body);
}

void TaskQueuePrivate::onAsk(WorkerProcess *w, const Wire::Ask &ask)
{
    noteFrameOf(w, TaskId(ask.task));
    if (ask.task != 0 && TaskId(ask.task) == w->currentTask() && !runsOn(w, TaskId(ask.task))) {
        w->send(Wire::Answer{ask.serial, {}, QStringLiteral("task %1 is no longer this worker's").arg(ask.task)});
        return;
    }
    QPointer<WorkerProcess> worker(w);
    const qint64 serial = ask.serial;
    const qint64 maxFrame = manager->maxFrameSize;
    WorkerRequest request(ask.body, TaskId(ask.task), w->id(),
                          [worker, serial, maxFrame](const QCborValue &answer, const QString &error) {
                              if (!worker || !worker->isConnected())
                                  return;
                              if (!worker->send(Wire::Answer{serial, answer, error}))
                                  worker->send(Wire::Answer{serial, {},
                                                            QStringLiteral("the answer exceeds the frame limit of %1 bytes")
                                                                .arg(maxFrame)});
                          });
    if (!requestHandler) {
        request.fail(QStringLiteral("no request handler is set on the %1 queue").arg(kind));
        return;
    }
    try {
        requestHandler(request);
    } catch (const std::exception &e) {
        request.fail(QStringLiteral("the request handler failed: %1").arg(QString::fromLocal8Bit(e.what())));
    }
}

void TaskQueuePrivate::onIdleTooLong(WorkerProcess *w)
{
    if (w->isQuitting() || !w->isIdle())
        return;
    qCDebug(lcQueue).noquote() << kind << ": retiring idle worker" << w->id();
    pool.retire(w);
    // Nothing came for it: keep no spares until work comes again.
    if (book.pending().isEmpty())
        m_sparesWanted = false;
}

void TaskQueuePrivate::onDeadline(TaskId id, int workerId, Deadlines::Kind kind)
{
    TaskRecord *record = book.find(id);
    WorkerProcess *w = pool.worker(workerId);
    if (!record || !w || w->currentTask() != id || !runsOn(w, id))
        return; // the task moved on
    const TaskOptions &options = record->task.options;
    switch (kind) {
    case Deadlines::Kind::Term:
        record->timedOut = true;
        qCInfo(lcQueue).noquote() << this->kind << ": task" << id << "ran past" << ms(options.termTimeout)
                                  << "; sending" << signalName(options.termSignal);
        w->markSignalledByQueue();
        w->signalGroup(options.termSignal);
        if (options.killTimeout > 0ms)
            m_deadlines.arm(*record, Deadlines::Kind::Kill, options.killTimeout, workerId);
        if (record->hooks && record->hooks->onTermTimeout)
            record->hooks->onTermTimeout(TaskContext(q, id, workerId));
        return;
    case Deadlines::Kind::Kill:
        record->timedOut = true;
        qCInfo(lcQueue).noquote() << this->kind << ": task" << id << "still running; sending SIGKILL";
        w->markSignalledByQueue();
        w->signalGroup(SIGKILL);
        if (record->hooks && record->hooks->onKillTimeout)
            record->hooks->onKillTimeout(TaskContext(q, id, workerId));
        return;
    case Deadlines::Kind::Grace: {
        const int signal = record->interruptRequested ? SIGINT : SIGKILL;
        qCInfo(lcQueue).noquote() << this->kind << ": task" << id << "did not stop within" << ms(cancelGrace)
                                  << "; sending" << signalName(signal);
        w->markSignalledByQueue();
        w->signalGroup(signal);
        return;
    }
    }
}

void TaskQueuePrivate::onWorkerFinished(WorkerProcess *w, const QString &status)
{
    const int workerId = w->id();
    const bool wasQuitting = w->isQuitting();
    const TaskId current = w->currentTask();
    const QString reason = w->deathReason().isEmpty() ? status
                                                      : QStringLiteral("%1 (%2)").arg(w->deathReason(), status);
    const TaskRecord *running = current != 0 ? book.find(current) : nullptr;
    const QString during = running ? QStringLiteral(" while running %1").arg(running->requestName) : QString();
    if (status == QLatin1String("exited with code 0") && wasQuitting)
        qCDebug(lcQueue).noquote() << kind << ": worker" << workerId << reason + during;
    else
        qCInfo(lcQueue).noquote() << kind << ": worker" << workerId << reason + during;
    emit q->workerExited(workerId, reason);
    if (!w->endWasAsked())
        emit q->workerExitedUnexpectedly(workerId, reason);

    bool requeued = false;
    if (current != 0 && runsOn(w, current)) {
        TaskRecord &record = *book.find(current);
        Deadlines::disarm(record);
        if (record.cancelRequested) {
            finishTask(current, Outcome::Cancelled, QStringLiteral("cancelled; its worker %1").arg(reason), {}, false);
        } else if (record.timedOut) {
            const auto limit = record.task.options.termTimeout > 0ms ? record.task.options.termTimeout
                                                                      : record.task.options.killTimeout;
            finishTask(current, Outcome::TimedOut,
                       QStringLiteral("timed out after %1; its worker %2").arg(ms(limit), reason), {}, false);
        } else if (!stopped && record.attempts <= record.task.options.retries && record.task.pinnedWorker == 0) {
            requeued = true;
            qCInfo(lcQueue).noquote() << kind << ": retrying task" << current << "(attempt" << record.attempts + 1
                                      << "of" << record.task.options.retries + 1 << ")";
            book.requeue(record);
            manager->jobSlots.release(); // it takes one again when it runs again
        } else {
            finishTask(current, Outcome::WorkerDied, deathWithLastWords(reason, w), {}, false);
        }
        if (!requeued) {
            reportQueueEmptied(nullptr);
            if (book.isEmpty())
                emit q->drained();
        }
    } else if (current == 0 && w->everConnected() && !wasQuitting) {
        taskKind->onTaskEnded(std::nullopt, EndReason::WorkerDied);
    }
    m_strays.erase(current);
    m_strays.erase(w->heldTask());
    // A task it held had not started: queued again, not an attempt.
    if (w->heldTask() != 0) {
        detachHeld(w, false, QStringLiteral("cancelled; its worker %1").arg(reason));
        if (book.isEmpty())
            emit q->drained();
    }
    endTasksPinnedTo(workerId, QStringLiteral("is gone: %1").arg(reason));

    // A worker that dies before finishing any task starts a crash loop when
    // it had no task (the program or the plugin is broken) or its task runs
    // again; a task that crashes its worker and ends is that task's outcome,
    // and the next one gets a worker at once.
    const bool unasked = !wasQuitting && !stopped && !w->wasSignalledByUser();
    const bool young = w->info().tasksDone == 0;
    if (unasked && young && (current == 0 || requeued))
        m_backoff.diedYoung();
    if (unasked && young && current == 0) {
        const StartBackoff::Verdict verdict = m_backoff.startFailed(reason, w->everConnected(), w->killedFromOutside());
        emit q->errorOccurred(verdict.message, verdict.error);
        if (verdict.giveUp) {
            m_sparesWanted = false; // no spares either, until work comes again
            finishQueued(Outcome::WorkerDied, QStringLiteral("no worker could start: %1").arg(reason));
        }
    }

    reportStoppedIfDone();
    scheduleDispatch();
}

} // namespace Drover::Internal
