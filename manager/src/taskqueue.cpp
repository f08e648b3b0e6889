#include "drover/taskqueue.h"

#include "drover/manager.h"
#include "logging.h"
#include "manager_p.h"
#include "processstatus.h"
#include "taskqueue_p.h"
#include "wire.h"
#include "workerprocess.h"

#include <QtCore/QCborArray>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>

#include <algorithm>
#include <csignal>

using namespace std::chrono_literals;

namespace Drover {

namespace Internal {

namespace {
// After this many workers in a row die before connecting, the queued tasks
// end as WorkerDied instead of waiting for a worker that will never come.
constexpr int MaxStartFailures = 5;
constexpr auto MaxRespawnDelay = 5000ms;
constexpr auto SpareTopUpDelay = 20ms;

QString ms(std::chrono::milliseconds d)
{
    return QStringLiteral("%1 ms").arg(d.count());
}

WorkerStatus statusOf(const WorkerProcess *w)
{
    const WorkerInfo &info = w->info();
    return info.fresh ? WorkerStatus::makeFresh() : WorkerStatus::makeOld(info.competence);
}
} // namespace

TaskQueuePrivate::TaskQueuePrivate(TaskQueue *q, Manager *m, const QString &kind, TaskKind *taskKind,
                                   const QString &pluginFile)
    : q(q)
    , manager(ManagerPrivate::get(m))
    , kind(kind)
    , taskKind(taskKind)
    , pluginFile(pluginFile)
{
    environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QLatin1String(Wire::EnvServer), manager->serverName());
    environment.insert(QLatin1String(Wire::EnvKind), kind);
    environment.insert(QLatin1String(Wire::EnvPlugin), pluginFile);
    for (const QString &assignment : taskKind->extraEnvironment()) {
        const qsizetype eq = assignment.indexOf(QLatin1Char('='));
        if (eq > 0)
            environment.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    m_respawnTimer.setSingleShot(true);
    connect(&m_respawnTimer, &QTimer::timeout, this, &TaskQueuePrivate::scheduleDispatch);
    m_spareTimer.setSingleShot(true);
    m_spareTimer.setInterval(SpareTopUpDelay);
    connect(&m_spareTimer, &QTimer::timeout, this, [this] {
        m_spareTopUp = true;
        scheduleDispatch();
    });
}

TaskQueuePrivate::~TaskQueuePrivate()
{
    abandon(QStringLiteral("the queue was destroyed"));
}

WorkerProcess *TaskQueuePrivate::worker(int id) const
{
    auto it = workers.find(id);
    return it == workers.end() ? nullptr : it->second;
}

int TaskQueuePrivate::capacity() const
{
    return maxWorkers + (m_sparesWanted ? warmSpares : 0);
}

int TaskQueuePrivate::liveWorkerCount() const
{
    return int(std::count_if(workers.begin(), workers.end(),
                             [](const auto &entry) { return !entry.second->isQuitting(); }));
}

TaskId TaskQueuePrivate::enqueue(Task task, std::unique_ptr<TaskHooks> hooks, bool batch)
{
    const TaskId id = manager->nextTaskId();
    task.id = id;
    const int priority = task.priority;
    TaskRecord &record = tasks[id];
    record.task = std::move(task);
    record.hooks = std::move(hooks);
    record.batch = batch;
    pending.insert(id, priority);
    m_sparesWanted = true;
    emit q->taskQueued(id);
    if (stopped) // still one outcome, still never from inside enqueue()
        QMetaObject::invokeMethod(q, [this, id] { cancel(id); }, Qt::QueuedConnection);
    else
        scheduleDispatch();
    return id;
}

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
    if (stopped)
        return;
    auto count = [this](auto &&predicate) {
        return int(std::count_if(workers.begin(), workers.end(),
                                 [&](const auto &entry) { return !entry.second->isQuitting() && predicate(entry.second->info()); }));
    };
    auto isIdle = [](const WorkerInfo &info) { return info.state == WorkerInfo::State::Idle; };
    auto isStarting = [](const WorkerInfo &info) { return info.state == WorkerInfo::State::Starting; };
    auto isBusy = [](const WorkerInfo &info) { return info.state == WorkerInfo::State::Busy; };

    // Idle workers take the best task they match, while fewer than
    // maxWorkers run (warm spares may make more idle workers than that).
    // Collect them first: a handler of the signals emitted here may change
    // the pool.
    // Old workers first: their competence may serve a task that any fresh
    // worker would have to start from scratch (proof repair, caches).
    QList<int> idle;
    qsizetype oldWorkers = 0;
    for (const auto &[id, w] : workers) {
        if (w->info().state != WorkerInfo::State::Idle || w->isQuitting())
            continue;
        if (w->info().fresh)
            idle.append(id);
        else
            idle.insert(oldWorkers++, id);
    }
    int busy = count(isBusy);
    for (int id : std::as_const(idle)) {
        if (busy >= maxWorkers)
            break;
        if (WorkerProcess *w = worker(id); w && w->info().state == WorkerInfo::State::Idle && assign(w))
            ++busy;
        if (stopped)
            return;
    }

    // Start workers for what is left, up to the pool size.
    const int spareTarget = m_sparesWanted ? warmSpares : 0;
    const int capacity = this->capacity();
    int live = liveWorkerCount();
    int starting = count(isStarting);
    while (!m_respawnTimer.isActive() && live < maxWorkers && pending.size() > starting) {
        spawnWorker();
        ++live;
        ++starting;
    }
    // Warm spares: fresh workers started, connected and idle ahead of need,
    // beyond those the queued tasks will take. They are topped up a moment
    // later, not now: starting a process blocks this thread for a few
    // milliseconds, which would delay the answer of the task that just took
    // the last spare.
    int uncommitted = count([](const WorkerInfo &info) { return info.fresh && info.state == WorkerInfo::State::Idle; })
                      + starting - int(std::min<qsizetype>(pending.size(), starting));
    if (uncommitted < spareTarget && live < capacity && !m_respawnTimer.isActive()) {
        if (m_spareTopUp) {
            while (uncommitted < spareTarget && live < capacity) {
                spawnWorker();
                ++live;
                ++uncommitted;
            }
        } else if (!m_spareTimer.isActive()) {
            m_spareTimer.start();
        }
    }
    m_spareTopUp = false;

    // The pool is full of idle Old workers that match nothing queued: retire
    // one so that a fresh worker can take the work (no task starves).
    if (!pending.isEmpty() && live >= capacity && starting == 0 && busy < maxWorkers) {
        for (const auto &[id, w] : workers) {
            if (w->info().state == WorkerInfo::State::Idle && !w->isQuitting() && !w->info().fresh) {
                qCDebug(lcQueue).noquote() << kind << ": retiring worker" << id << "which matches no queued task";
                retire(w);
                scheduleDispatch();
                break;
            }
        }
    }

    // A shrunk pool: retire idle workers beyond the size.
    for (auto it = workers.begin(); it != workers.end() && liveWorkerCount() > capacity; ++it) {
        WorkerProcess *w = it->second;
        if (!w->isQuitting() && isIdle(w->info()))
            retire(w);
    }
}

// The queued task an idle worker takes: the first it matches, or for an Old
// worker the one of highest affinity among the first few it matches at the
// top priority it matches (a window, so a long queue costs nothing extra).
std::optional<TaskId> TaskQueuePrivate::chooseTask(const WorkerStatus &status) const
{
    constexpr int AffinityWindow = 64;
    std::optional<TaskId> best;
    int bestAffinity = 0;
    int bestPriority = 0;
    int scanned = 0;
    for (auto it = pending.begin(); it != pending.end(); ++it) {
        if (best && (it->priority < bestPriority || ++scanned > AffinityWindow))
            break;
        const Task &task = tasks.at(it->id).task;
        if (!taskKind->taskMatch(status, task))
            continue;
        if (status.fresh)
            return it->id;
        const int affinity = taskKind->taskAffinity(status, task);
        if (!best && affinity == NoAffinity)
            return it->id; // the kind does not rank tasks: queue order, and no further look
        if (!best || affinity > bestAffinity) {
            best = it->id;
            bestAffinity = affinity;
            bestPriority = it->priority;
        }
    }
    return best;
}

bool TaskQueuePrivate::assign(WorkerProcess *w)
{
    const WorkerStatus status = statusOf(w);
    while (const std::optional<TaskId> chosen = chooseTask(status)) {
        const TaskId id = *chosen;
        TaskRecord &record = tasks.at(id);
        pending.remove(id, record.task.priority);
        const std::optional<QCborValue> request = taskKind->requestOfTask(status, record.task);
        if (!request) {
            finishTask(id, Outcome::Dropped, QStringLiteral("the task kind found the task obsolete"));
            continue; // handlers may have changed the queue: choose again
        }
        bool sent = false;
        if (record.batch) {
            QCborMap message = Wire::message(Wire::Type::Request);
            message.insert(Wire::Key::Task, qint64(id));
            message.insert(Wire::Key::Body, *request);
            message.insert(Wire::Key::Batch, true);
            sent = w->send(message);
        } else {
            sent = w->send(Wire::Type::Request, qint64(id), *request);
        }
        if (!sent) {
            const QString reason = QStringLiteral("the request exceeds the frame limit of %1 bytes")
                                       .arg(manager->maxFrameSize);
            taskKind->onMarshalError(reason, record.task);
            finishTask(id, Outcome::MarshalError, reason);
            continue;
        }
        record.state = TaskRecord::State::Running;
        record.workerId = w->id();
        ++record.attempts;
        if (!record.clock.isValid())
            record.clock.start();
        w->info().state = WorkerInfo::State::Busy;
        w->info().currentTask = id;
        w->stopIdleClock();
        armTimers(record, w);
        emit q->taskStarted(id, w->id());
        emit q->workerBusy(w->id(), id);
        // The hook may send the worker a message: it follows the request.
        if (auto it = tasks.find(id); it != tasks.end() && it->second.hooks && it->second.hooks->onStart)
            it->second.hooks->onStart(TaskContext(q, id, w->id()));
        return true;
    }
    return false;
}

void TaskQueuePrivate::armTimers(TaskRecord &record, WorkerProcess *w)
{
    const TaskOptions &options = record.task.options;
    const TaskId id = record.task.id;
    const int workerId = w->id();
    auto makeTimer = [this](std::chrono::milliseconds after, auto &&onTimeout) {
        auto timer = std::make_unique<QTimer>();
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
        connect(timer.get(), &QTimer::timeout, this, onTimeout);
        timer->start(after);
        return timer;
    };
    auto killNow = [this, id, workerId] {
        auto it = tasks.find(id);
        WorkerProcess *w = worker(workerId);
        if (it == tasks.end() || !w || w->info().currentTask != id)
            return;
        it->second.timedOut = true;
        qCInfo(lcQueue).noquote() << kind << ": task" << id << "still running; sending SIGKILL";
        w->signalGroup(SIGKILL);
        if (const auto callback = it->second.task.options.onKillTimeout)
            callback();
    };
    if (options.termTimeout > 0ms) {
        record.termTimer = makeTimer(options.termTimeout, [this, id, workerId, killNow, makeTimer] {
            auto it = tasks.find(id);
            WorkerProcess *w = worker(workerId);
            if (it == tasks.end() || !w || w->info().currentTask != id)
                return;
            TaskRecord &r = it->second;
            r.timedOut = true;
            qCInfo(lcQueue).noquote() << kind << ": task" << id << "ran past" << ms(r.task.options.termTimeout)
                            << "; sending" << signalName(r.task.options.termSignal);
            w->signalGroup(r.task.options.termSignal);
            if (r.task.options.killTimeout > 0ms)
                r.killTimer = makeTimer(r.task.options.killTimeout, killNow);
            if (const auto callback = r.task.options.onTermTimeout)
                callback();
        });
    } else if (options.killTimeout > 0ms) {
        record.killTimer = makeTimer(options.killTimeout, killNow);
    }
}

bool TaskQueuePrivate::cancel(TaskId id, bool interrupt)
{
    auto it = tasks.find(id);
    if (it == tasks.end())
        return false;
    TaskRecord &record = it->second;
    if (record.state == TaskRecord::State::Queued) {
        finishTask(id, Outcome::Cancelled, QStringLiteral("cancelled before it started"));
        return true;
    }
    WorkerProcess *w = worker(record.workerId);
    if (!w)
        return false;
    record.interruptRequested = record.interruptRequested || interrupt;
    if (record.cancelRequested)
        return true;
    record.cancelRequested = true;
    QCborMap message = Wire::message(Wire::Type::Cancel);
    message.insert(Wire::Key::Task, qint64(id));
    w->send(message);
    const int workerId = w->id();
    record.graceTimer = std::make_unique<QTimer>();
    record.graceTimer->setSingleShot(true);
    record.graceTimer->setTimerType(Qt::PreciseTimer);
    connect(record.graceTimer.get(), &QTimer::timeout, this, [this, id, workerId] {
        auto it = tasks.find(id);
        WorkerProcess *w = worker(workerId);
        if (it == tasks.end() || !w || w->info().currentTask != id)
            return;
        const int signal = it->second.interruptRequested ? SIGINT : SIGKILL;
        qCInfo(lcQueue).noquote() << kind << ": task" << id << "did not stop within" << ms(cancelGrace) << "; sending"
                        << signalName(signal);
        w->signalGroup(signal);
    });
    record.graceTimer->start(cancelGrace);
    return true;
}

void TaskQueuePrivate::finishTask(TaskId id, Outcome outcome, const QString &message, const QCborValue &response,
                                  bool reportDrained)
{
    auto it = tasks.find(id);
    if (it == tasks.end())
        return;
    TaskRecord record = std::move(it->second);
    tasks.erase(it);
    if (record.state == TaskRecord::State::Queued)
        pending.remove(id, record.task.priority);

    TaskResult result;
    result.outcome = outcome;
    result.response = response;
    result.message = message;
    result.workerId = record.workerId;
    result.attempts = record.attempts;
    if (record.clock.isValid())
        result.elapsed = std::chrono::milliseconds(record.clock.elapsed());

    switch (outcome) {
    case Outcome::Cancelled:
        taskKind->onTaskEnded(record.task, EndReason::Cancelled);
        break;
    case Outcome::TimedOut:
        taskKind->onTaskEnded(record.task, EndReason::TimedOut);
        break;
    case Outcome::WorkerDied:
        taskKind->onTaskEnded(record.task, EndReason::WorkerDied);
        break;
    default:
        break;
    }
    qCDebug(lcQueue).noquote() << kind << ": task" << id << outcomeName(outcome) << message;
    if (record.hooks && record.hooks->onFinish)
        record.hooks->onFinish(result);
    emit q->taskFinished(id, result);
    if (reportDrained && tasks.empty())
        emit q->drained();
}

void TaskQueuePrivate::spawnWorker()
{
    const int id = manager->nextWorkerId();
    auto *w = new WorkerProcess(id, manager->maxFrameSize, this);
    w->setHeartbeat(heartbeatInterval, heartbeatAllowance);
    w->setHandshakeTimeout(handshakeTimeout);
    connect(w, &WorkerProcess::connected, this, [this, w] { onConnected(w); });
    connect(w, &WorkerProcess::messageReceived, this, [this, w](const QCborMap &m) { onMessage(w, m); });
    connect(w, &WorkerProcess::idleTooLong, this, [this, w] {
        if (w->info().state == WorkerInfo::State::Idle && !w->isQuitting()) {
            qCDebug(lcQueue).noquote() << kind << ": retiring idle worker" << w->id();
            retire(w);
            // Nothing came for it: keep no spares until work comes again.
            if (pending.isEmpty())
                m_sparesWanted = false;
        }
    });
    connect(w, &WorkerProcess::outputLine, q, [this, id](const QString &line) { emit q->workerOutput(id, line); });
    // Queued: a process that fails to start may say so from inside start().
    connect(w, &WorkerProcess::finished, this,
            [this, w](const QString &status) { onWorkerFinished(w, status); }, Qt::QueuedConnection);
    workers.emplace(id, w);
    manager->expectHello(w, kind);

    QProcessEnvironment env = environment;
    env.insert(QLatin1String(Wire::EnvWorkerId), QString::number(id));
    w->start(manager->workerProgram, taskKind->extraArguments(), env,
             {addressSpaceLimit, qint64(cpuTimeLimit.count())}, manager->secret());
    qCDebug(lcQueue).noquote() << kind << ": started worker" << id << "pid" << w->pid();
    emit q->workerStarted(id, w->pid());
}

void TaskQueuePrivate::retire(WorkerProcess *w)
{
    manager->forget(w);
    w->quit(quitTimeout);
}

void TaskQueuePrivate::onConnected(WorkerProcess *w)
{
    m_programStarted = true;
    QCborArray standing;
    for (const QCborValue &value : std::as_const(forwarded))
        standing.append(value);
    QCborMap welcome = Wire::message(Wire::Type::Welcome);
    welcome.insert(Wire::Key::MaxFrame, manager->maxFrameSize);
    welcome.insert(Wire::Key::Feedback, standing);
    welcome.insert(Wire::Key::Init, workerEnvironment);
    if (!w->send(welcome)) {
        w->kill(QStringLiteral("the forwarded feedback exceeds the frame limit"));
        return;
    }
    w->info().state = WorkerInfo::State::Idle;
    emit q->workerReady(w->id());
    if (stopped) {
        retire(w);
    } else {
        w->startIdleClock(idleTimeout);
        scheduleDispatch();
    }
}

void TaskQueuePrivate::onMessage(WorkerProcess *w, const QCborMap &message)
{
    switch (Wire::typeOf(message)) {
    case Wire::Type::Response:
        onTaskAnswer(w, message, true);
        return;
    case Wire::Type::Error:
        onTaskAnswer(w, message, false);
        return;
    case Wire::Type::Feedback: {
        const TaskId id = TaskId(Wire::integerOf(message.value(Wire::Key::Task)));
        if (id != 0 && id == w->info().currentTask)
            emit q->taskFeedback(id, message.value(Wire::Key::Body));
        return;
    }
    case Wire::Type::Message:
        onWorkerMessage(w, message);
        return;
    case Wire::Type::Ask:
        onAsk(w, message);
        return;
    default:
        w->kill(QStringLiteral("protocol error: a worker may not send \"%1\"")
                    .arg(Wire::typeName(Wire::typeOf(message))));
        return;
    }
}

void TaskQueuePrivate::onTaskAnswer(WorkerProcess *w, const QCborMap &message, bool isResponse)
{
    const TaskId id = TaskId(Wire::integerOf(message.value(Wire::Key::Task)));
    WorkerInfo &info = w->info();
    if (info.state != WorkerInfo::State::Busy || id != info.currentTask) {
        w->kill(QStringLiteral("protocol error: answer for task %1 while running task %2").arg(id).arg(info.currentTask));
        return;
    }
    auto it = tasks.find(id);
    Q_ASSERT(it != tasks.end());
    TaskRecord &record = it->second;
    record.termTimer.reset();
    record.killTimer.reset();
    record.graceTimer.reset();
    info.state = WorkerInfo::State::Idle;
    info.currentTask = 0;

    if (record.cancelRequested) {
        // It stopped cooperatively: whatever it answered, the task is cancelled.
        afterTask(w, false);
        finishTask(id, Outcome::Cancelled, QStringLiteral("cancelled while running"), {}, false);
    } else if (!isResponse) {
        const QString text = message.value(Wire::Key::Message).toString();
        if (message.value(Wire::Key::ErrorKind).toString() == Wire::ErrorMarshal) {
            taskKind->onMarshalError(text, record.task);
            afterTask(w, false);
            finishTask(id, Outcome::MarshalError, text, {}, false);
        } else {
            afterTask(w, false);
            finishTask(id, Outcome::Failed, text, {}, false);
        }
    } else {
        ++info.tasksDone;
        m_crashStreak = 0;
        m_startFailures = 0;
        const QCborValue response = message.value(Wire::Key::Body);
        Decision decision = taskKind->useResponse(statusOf(w), record.task, response);
        if (decision.stay) {
            info.fresh = false;
            info.competence = decision.competence;
            for (Task &task : decision.newTasks)
                enqueue(std::move(task));
        } else {
            retire(w);
        }
        afterTask(w, true);
        finishTask(id, Outcome::Done, {}, response, false);
    }
    // The place to add more work comes before the verdict that all is done.
    if (w->info().state == WorkerInfo::State::Idle && !w->isQuitting() && pending.isEmpty() && !stopped)
        emit q->queueEmptied(w->id());
    if (tasks.empty())
        emit q->drained();
    scheduleDispatch();
}

void TaskQueuePrivate::onWorkerMessage(WorkerProcess *w, const QCborMap &message)
{
    const TaskId id = TaskId(Wire::integerOf(message.value(Wire::Key::Task)));
    const QCborValue body = message.value(Wire::Key::Body);
    if (id == 0 || id != w->info().currentTask) {
        emit q->workerMessage(w->id(), body);
        return;
    }
    if (auto it = tasks.find(id); it != tasks.end() && it->second.hooks && it->second.hooks->onMessage)
        it->second.hooks->onMessage(TaskContext(q, id, w->id()), body);
    emit q->taskMessage(id, body);
}

void TaskQueuePrivate::onAsk(WorkerProcess *w, const QCborMap &message)
{
    const qint64 serial = Wire::integerOf(message.value(Wire::Key::Serial));
    QPointer<WorkerProcess> worker(w);
    const qint64 maxFrame = manager->maxFrameSize;
    WorkerRequest request(message.value(Wire::Key::Body), TaskId(Wire::integerOf(message.value(Wire::Key::Task))), w->id(),
                          [worker, serial, maxFrame](const QCborValue &answer, const QString &error) {
                              if (!worker || !worker->isConnected())
                                  return;
                              QCborMap reply = Wire::message(Wire::Type::Answer);
                              reply.insert(Wire::Key::Serial, serial);
                              if (error.isEmpty())
                                  reply.insert(Wire::Key::Body, answer);
                              else
                                  reply.insert(Wire::Key::Message, error);
                              if (!worker->send(reply)) {
                                  QCborMap tooBig = Wire::message(Wire::Type::Answer);
                                  tooBig.insert(Wire::Key::Serial, serial);
                                  tooBig.insert(Wire::Key::Message,
                                                QStringLiteral("the answer exceeds the frame limit of %1 bytes").arg(maxFrame));
                                  worker->send(tooBig);
                              }
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

// After a task, a worker is idle again unless it was retired. One that ended
// a task without a response is kept only if it was Old: a Fresh one is no
// longer fresh, and nobody told us what it is now.
void TaskQueuePrivate::afterTask(WorkerProcess *w, bool answered)
{
    if (!answered && w->info().fresh)
        retire(w);
    if (!w->isQuitting() && (stopped || liveWorkerCount() > capacity()))
        retire(w);
    if (!w->isQuitting() && maxTasksPerWorker > 0 && w->info().tasksDone >= maxTasksPerWorker) {
        qCDebug(lcQueue).noquote() << kind << ": recycling worker" << w->id() << "after" << w->info().tasksDone << "tasks";
        retire(w);
    }
    if (!w->isQuitting() && memoryCeiling > 0) {
        const qint64 rss = w->residentBytes();
        if (rss > memoryCeiling) {
            qCInfo(lcQueue).noquote() << kind << ": recycling worker" << w->id() << "using" << rss
                                      << "bytes, above the ceiling of" << memoryCeiling;
            retire(w);
        }
    }
    if (!w->isQuitting()) {
        w->startIdleClock(idleTimeout);
        emit q->workerIdle(w->id());
    }
}

void TaskQueuePrivate::onWorkerFinished(WorkerProcess *w, const QString &status)
{
    const int workerId = w->id();
    workers.erase(workerId);
    manager->forget(w);
    const bool wasConnected = w->everConnected();
    const bool wasQuitting = w->isQuitting();
    const TaskId current = w->info().currentTask;
    const QString reason = w->deathReason().isEmpty() ? status
                                                      : QStringLiteral("%1 (%2)").arg(w->deathReason(), status);
    w->deleteLater();
    if (status == QLatin1String("exited with code 0") && wasQuitting)
        qCDebug(lcQueue).noquote() << kind << ": worker" << workerId << reason;
    else
        qCInfo(lcQueue).noquote() << kind << ": worker" << workerId << reason;
    emit q->workerExited(workerId, reason);

    bool requeued = false;
    if (current != 0) {
        auto it = tasks.find(current);
        Q_ASSERT(it != tasks.end());
        TaskRecord &record = it->second;
        record.termTimer.reset();
        record.killTimer.reset();
        record.graceTimer.reset();
        if (record.cancelRequested) {
            finishTask(current, Outcome::Cancelled, QStringLiteral("cancelled; its worker %1").arg(reason));
        } else if (record.timedOut) {
            const auto limit = record.task.options.termTimeout > 0ms ? record.task.options.termTimeout
                                                                      : record.task.options.killTimeout;
            finishTask(current, Outcome::TimedOut,
                       QStringLiteral("timed out after %1; its worker %2").arg(ms(limit), reason));
        } else if (!stopped && record.attempts <= record.task.options.retries) {
            requeued = true;
            qCInfo(lcQueue).noquote() << kind << ": retrying task" << current << "(attempt" << record.attempts + 1 << "of"
                            << record.task.options.retries + 1 << ")";
            record.state = TaskRecord::State::Queued;
            record.workerId = -1;
            pending.insert(current, record.task.priority);
        } else {
            finishTask(current, Outcome::WorkerDied, reason);
        }
    } else if (wasConnected && !wasQuitting) {
        taskKind->onTaskEnded(std::nullopt, EndReason::WorkerDied);
    }

    // A worker that dies before finishing any task starts a crash loop when
    // it had no task (the program or the plugin is broken) or its task runs
    // again; a task that crashes its worker and ends is that task's outcome,
    // and the next one gets a worker at once.
    const bool unasked = !wasQuitting && !stopped && !w->wasSignalledByUser();
    if (unasked && w->info().tasksDone == 0 && (current == 0 || requeued)) {
        ++m_crashStreak;
        backOffIfCrashLooping();
    }
    if (unasked && current == 0 && w->info().tasksDone == 0)
        onStartFailure(reason, wasConnected, killedFromOutside(w));

    reportStoppedIfDone();
    scheduleDispatch();
}

bool TaskQueuePrivate::killedFromOutside(const WorkerProcess *w)
{
    if (!w->deathReason().isEmpty())
        return false; // Drover killed it
    switch (w->terminatingSignal()) {
    case SIGKILL: // the OOM killer, a user's kill
    case SIGTERM:
    case SIGINT:
    case SIGHUP:
        return true;
    default: // its own crash (SIGSEGV, SIGABRT, ...), or an exit
        return false;
    }
}

void TaskQueuePrivate::onStartFailure(const QString &status, bool connected, bool fromOutside)
{
    QString message = connected ? QStringLiteral("a %1 worker died before its first task: %2").arg(kind, status)
                                : QStringLiteral("a %1 worker could not start: %2").arg(kind, status);
    // A signal from outside (a kill storm, the OOM killer) says nothing of
    // the program, once it has started fine: back off, but do not give up.
    if (fromOutside && m_programStarted) {
        message += QStringLiteral(", by a signal from outside; the program has started before, so the queue keeps trying");
        if (m_respawnTimer.isActive())
            message += QStringLiteral(" (next start in %1)").arg(ms(std::chrono::milliseconds(m_respawnTimer.remainingTime())));
        qCInfo(lcQueue).noquote() << message;
        emit q->errorOccurred(message);
        return;
    }
    ++m_startFailures;
    if (m_startFailures >= MaxStartFailures) {
        message += QStringLiteral("; %1 failures in a row, so the queued tasks end").arg(m_startFailures);
        // Start afresh: the next task (a fixed setting, a new program) gets a worker at once.
        m_startFailures = 0;
        m_crashStreak = 0;
        m_respawnTimer.stop();
        m_sparesWanted = false; // no spares either, until work comes again
        qCWarning(lcQueue).noquote() << message;
        emit q->errorOccurred(message);
        QList<TaskId> queued;
        for (const auto &key : pending)
            queued << key.id;
        for (TaskId id : std::as_const(queued))
            finishTask(id, Outcome::WorkerDied, QStringLiteral("no worker could start: %1").arg(status));
        return;
    }
    if (m_respawnTimer.isActive())
        message += QStringLiteral("; trying again in %1").arg(ms(std::chrono::milliseconds(m_respawnTimer.remainingTime())));
    qCWarning(lcQueue).noquote() << message;
    emit q->errorOccurred(message);
}

// Workers that keep dying before they finish a task (a plugin that crashes
// at start, a run of crashing tasks) are not replaced at full speed: the
// first is replaced at once, then after 100 ms, 200 ms, ... at most 5 s.
void TaskQueuePrivate::backOffIfCrashLooping()
{
    if (m_crashStreak < 2 || m_respawnTimer.isActive())
        return;
    const int doublings = std::min(m_crashStreak - 2, 6);
    const auto delay = std::min(MaxRespawnDelay, std::chrono::milliseconds(100ms * (1 << doublings)));
    qCInfo(lcQueue).noquote() << kind << ":" << m_crashStreak << "workers in a row died before finishing a task;"
                              << "next start in" << ms(delay);
    m_respawnTimer.start(delay);
}

void TaskQueuePrivate::stop()
{
    if (stopped)
        return;
    QList<TaskId> queued;
    for (const auto &key : pending)
        queued << key.id;
    for (TaskId id : std::as_const(queued))
        finishTask(id, Outcome::Cancelled, QStringLiteral("the queue was stopped"));
    stopped = true;
    m_respawnTimer.stop();
    QList<TaskId> runningTasks;
    for (const auto &[id, record] : tasks) {
        if (record.state == TaskRecord::State::Running)
            runningTasks << id;
    }
    for (TaskId id : std::as_const(runningTasks))
        cancel(id);
    for (const auto &[id, w] : workers) {
        if (w->info().state != WorkerInfo::State::Busy)
            retire(w);
    }
    QMetaObject::invokeMethod(this, &TaskQueuePrivate::reportStoppedIfDone, Qt::QueuedConnection);
}

void TaskQueuePrivate::reportStoppedIfDone()
{
    if (stopped && workers.empty() && !stoppedReported) {
        stoppedReported = true;
        emit q->stopped();
    }
}

void TaskQueuePrivate::abandon(const QString &why)
{
    stopped = true;
    m_respawnTimer.stop();
    // Kill and reap every worker before reporting, so nothing of ours is
    // alive once the outcomes are out.
    std::map<int, WorkerProcess *> doomed;
    doomed.swap(workers);
    // All are told at once, so they end their descendants together; each
    // is then reaped (or, if it does not end soon, killed outright).
    for (const auto &[id, w] : doomed) {
        w->disconnect(this);
        manager->forget(w);
        w->signalGroup(SIGTERM);
    }
    for (const auto &[id, w] : doomed)
        delete w;
    QList<TaskId> alive;
    for (const auto &[id, record] : tasks)
        alive << id;
    std::sort(alive.begin(), alive.end());
    for (TaskId id : std::as_const(alive))
        finishTask(id, Outcome::Cancelled, why);
}

} // namespace Internal

// ---- TaskQueue ---------------------------------------------------------------

TaskQueue::TaskQueue(Manager *manager, const QString &kind, TaskKind *taskKind, const QString &pluginFile)
    : d(std::make_unique<Internal::TaskQueuePrivate>(this, manager, kind, taskKind, pluginFile))
{
}

TaskQueue::~TaskQueue()
{
    d->abandon(QStringLiteral("the queue was destroyed"));
}

QString TaskQueue::kind() const { return d->kind; }
TaskKind *TaskQueue::taskKind() const { return d->taskKind; }

TaskId TaskQueue::enqueue(Task task)
{
    return d->enqueue(std::move(task));
}

TaskId TaskQueue::enqueue(Task task, TaskHooks hooks)
{
    return d->enqueue(std::move(task), std::make_unique<TaskHooks>(std::move(hooks)));
}

bool TaskQueue::sendMessage(TaskId id, const QCborValue &value)
{
    auto it = d->tasks.find(id);
    if (it == d->tasks.end() || it->second.state != Internal::TaskRecord::State::Running)
        return false;
    Internal::WorkerProcess *w = d->worker(it->second.workerId);
    if (!w || !w->isConnected())
        return false;
    QCborMap message = Internal::Wire::message(Internal::Wire::Type::Message);
    message.insert(Internal::Wire::Key::Task, qint64(id));
    message.insert(Internal::Wire::Key::Body, value);
    return w->send(message);
}

void TaskQueue::setRequestHandler(RequestHandler handler) { d->requestHandler = std::move(handler); }
void TaskQueue::setWorkerEnvironment(const QCborValue &environment) { d->workerEnvironment = environment; }

void TaskQueue::clear()
{
    QList<TaskId> queued;
    for (const auto &key : d->pending)
        queued << key.id;
    cancel(queued);
}

bool TaskQueue::waitForDrained(std::chrono::milliseconds timeout)
{
    if (d->tasks.empty())
        return true;
    QEventLoop loop;
    connect(this, &TaskQueue::drained, &loop, &QEventLoop::quit);
    QTimer deadline;
    if (timeout != std::chrono::milliseconds::max()) {
        deadline.setSingleShot(true);
        connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(timeout);
    }
    loop.exec();
    return d->tasks.empty();
}

bool TaskQueue::setPriority(TaskId id, int priority)
{
    auto it = d->tasks.find(id);
    if (it == d->tasks.end() || it->second.state != Internal::TaskRecord::State::Queued)
        return false;
    if (it->second.task.priority == priority)
        return true;
    d->pending.remove(id, it->second.task.priority);
    it->second.task.priority = priority;
    d->pending.insert(id, priority);
    emit taskPriorityChanged(id, priority);
    return true;
}

bool TaskQueue::cancel(TaskId id) { return d->cancel(id); }

int TaskQueue::cancel(const QList<TaskId> &ids)
{
    int alive = 0;
    for (TaskId id : ids)
        alive += d->cancel(id) ? 1 : 0;
    return alive;
}

void TaskQueue::cancelAll()
{
    QList<TaskId> ids;
    for (const auto &[id, record] : d->tasks)
        ids << id;
    std::sort(ids.begin(), ids.end());
    for (TaskId id : std::as_const(ids))
        d->cancel(id);
}

void TaskQueue::forwardFeedback(const QCborValue &value)
{
    d->forwarded.append(value);
    QCborMap message = Internal::Wire::message(Internal::Wire::Type::Broadcast);
    message.insert(Internal::Wire::Key::Body, value);
    for (const auto &[id, w] : d->workers) {
        if (w->isConnected())
            w->send(message);
    }
}

void TaskQueue::clearForwardedFeedback()
{
    d->forwarded.clear();
    QCborMap message = Internal::Wire::message(Internal::Wire::Type::Broadcast);
    message.insert(Internal::Wire::Key::Clear, true);
    for (const auto &[id, w] : d->workers) {
        if (w->isConnected())
            w->send(message);
    }
}

void TaskQueue::setMaxWorkers(int count)
{
    d->maxWorkers = std::max(1, count);
    d->scheduleDispatch();
}

int TaskQueue::maxWorkers() const { return d->maxWorkers; }

void TaskQueue::setCancelGrace(std::chrono::milliseconds grace) { d->cancelGrace = grace; }
std::chrono::milliseconds TaskQueue::cancelGrace() const { return d->cancelGrace; }

void TaskQueue::setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds allowance)
{
    d->heartbeatInterval = interval;
    d->heartbeatAllowance = allowance;
    for (const auto &[id, w] : d->workers)
        w->setHeartbeat(interval, allowance);
}

void TaskQueue::setWarmSpares(int count)
{
    d->warmSpares = std::max(0, count);
    d->scheduleDispatch();
}

int TaskQueue::warmSpares() const { return d->warmSpares; }

void TaskQueue::setMaxTasksPerWorker(int tasks) { d->maxTasksPerWorker = std::max(0, tasks); }
void TaskQueue::setMemoryCeiling(qint64 bytes) { d->memoryCeiling = std::max<qint64>(0, bytes); }
void TaskQueue::setIdleTimeout(std::chrono::milliseconds timeout) { d->idleTimeout = timeout; }

void TaskQueue::setResourceLimits(qint64 addressSpaceBytes, std::chrono::seconds cpuTime)
{
    d->addressSpaceLimit = std::max<qint64>(0, addressSpaceBytes);
    d->cpuTimeLimit = cpuTime;
}

void TaskQueue::setHandshakeTimeout(std::chrono::milliseconds timeout) { d->handshakeTimeout = timeout; }
void TaskQueue::setQuitTimeout(std::chrono::milliseconds timeout) { d->quitTimeout = timeout; }

void TaskQueue::stop() { d->stop(); }
bool TaskQueue::isStopped() const { return d->stopped; }

int TaskQueue::queuedCount() const { return int(d->pending.size()); }
int TaskQueue::runningCount() const
{
    // Derived from the workers, never kept in a counter that could drift.
    return int(std::count_if(d->workers.begin(), d->workers.end(), [](const auto &entry) {
        return entry.second->info().state == WorkerInfo::State::Busy;
    }));
}

QList<TaskId> TaskQueue::tasks() const
{
    QList<TaskId> ids;
    ids.reserve(qsizetype(d->tasks.size()));
    for (const auto &[id, record] : d->tasks)
        ids << id;
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::optional<Task> TaskQueue::task(TaskId id) const
{
    auto it = d->tasks.find(id);
    if (it == d->tasks.end())
        return std::nullopt;
    return it->second.task;
}

bool TaskQueue::isRunning(TaskId id) const
{
    auto it = d->tasks.find(id);
    return it != d->tasks.end() && it->second.state == Internal::TaskRecord::State::Running;
}

QList<WorkerInfo> TaskQueue::workers() const
{
    QList<WorkerInfo> infos;
    for (const auto &[id, w] : d->workers) {
        infos << w->info();
        infos.last().rssBytes = w->residentBytes();
    }
    return infos;
}

bool TaskQueue::interruptWorker(int workerId)
{
    Internal::WorkerProcess *w = d->worker(workerId);
    if (!w)
        return false;
    w->markSignalledByUser();
    if (const TaskId task = w->info().currentTask)
        return d->cancel(task, true);
    w->signalGroup(SIGINT);
    return true;
}

bool TaskQueue::terminateWorker(int workerId)
{
    Internal::WorkerProcess *w = d->worker(workerId);
    if (!w)
        return false;
    w->markSignalledByUser();
    w->signalGroup(SIGTERM);
    return true;
}

bool TaskQueue::killWorker(int workerId)
{
    Internal::WorkerProcess *w = d->worker(workerId);
    if (!w)
        return false;
    w->markSignalledByUser();
    w->signalGroup(SIGKILL);
    return true;
}

} // namespace Drover
