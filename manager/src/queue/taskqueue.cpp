// The public TaskQueue: every method forwards to TaskQueuePrivate
// (taskqueue_p.h), where the work is done.

#include "drover/taskqueue.h"

#include "pool/processtree.h"
#include "pool/workerprocess.h"
#include "queue/taskqueue_p.h"

#include <QtCore/QEventLoop>

#include <algorithm>
#include <csignal>

namespace Drover {

using Internal::TaskRecord;

TaskQueue::TaskQueue(Manager *manager, const QString &kind, TaskKind *taskKind, const QString &pluginFile)
    : d(std::make_unique<Internal::TaskQueuePrivate>(this, manager, kind, taskKind, pluginFile))
{
}

TaskQueue::~TaskQueue()
{
    // While this object is whole: handlers of the outcomes may still call it.
    d->end();
}

QString TaskQueue::kind() const { return d->kind; }
TaskKind *TaskQueue::taskKind() const { return d->taskKind; }

TaskId TaskQueue::enqueue(Task task) { return d->enqueue(std::move(task)); }

TaskId TaskQueue::enqueue(Task task, TaskHooks hooks)
{
    return d->enqueue(std::move(task), std::make_unique<TaskHooks>(std::move(hooks)));
}

bool TaskQueue::sendMessage(TaskId id, const QCborValue &value) { return d->sendMessage(id, value); }

void TaskQueue::setRequestHandler(RequestHandler handler) { d->requestHandler = std::move(handler); }
RequestHandler TaskQueue::requestHandler() const { return d->requestHandler; }
bool TaskQueue::setWorkerEnvironment(const QCborValue &environment) { return d->setWorkerEnvironment(environment); }
QCborValue TaskQueue::workerEnvironment() const { return d->workerEnvironment; }
void TaskQueue::setRequestNamer(RequestNamer namer) { d->requestNamer = std::move(namer); }

QString TaskQueue::requestName(TaskId id) const
{
    const TaskRecord *record = d->book.find(id);
    return record && record->state == TaskRecord::State::Running ? record->requestName : QString();
}

void TaskQueue::setPerWorkerEnvironment(WorkerEnvironmentFunction environmentOf)
{
    d->environmentOf = std::move(environmentOf);
}

bool TaskQueue::setOutputTarget(OutputChannel channel, OutputTarget target, const QString &path, QString *error)
{
    return d->output.set(channel, target, path, error);
}
TaskQueue::OutputTarget TaskQueue::outputTarget(OutputChannel channel) const { return d->output.target(channel); }

void TaskQueue::clear() { cancel(d->book.queuedIds() + d->heldIds()); }

bool TaskQueue::waitForDrained(std::chrono::milliseconds timeout)
{
    if (d->book.isEmpty())
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
    return d->book.isEmpty();
}

bool TaskQueue::setPriority(TaskId id, int priority)
{
    return d->setPriority(id, priority);
}

void TaskQueue::setPrefetch(bool enabled)
{
    d->prefetch = enabled;
}

bool TaskQueue::prefetch() const
{
    return d->prefetch;
}

bool TaskQueue::cancel(TaskId id) { return d->cancel(id); }

int TaskQueue::cancel(const QList<TaskId> &ids)
{
    return int(std::count_if(ids.begin(), ids.end(), [this](TaskId id) { return d->cancel(id); }));
}

void TaskQueue::cancelAll() { cancel(d->book.ids()); }

bool TaskQueue::forwardFeedback(const QCborValue &value) { return d->broadcast(Internal::Wire::Broadcast{value, false}); }
void TaskQueue::clearForwardedFeedback() { d->broadcast(Internal::Wire::Broadcast{{}, true}); }

void TaskQueue::setMaxWorkers(int count)
{
    d->maxWorkers = std::max(1, count);
    d->scheduleDispatch();
}
int TaskQueue::maxWorkers() const { return d->maxWorkers; }

void TaskQueue::setWarmSpares(int count)
{
    d->warmSpares = std::max(0, count);
    d->scheduleDispatch();
}
int TaskQueue::warmSpares() const { return d->warmSpares; }

void TaskQueue::setCancelGrace(std::chrono::milliseconds grace) { d->cancelGrace = grace; }
std::chrono::milliseconds TaskQueue::cancelGrace() const { return d->cancelGrace; }

void TaskQueue::setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds allowance)
{
    d->pool.setHeartbeat(interval, allowance);
}
std::chrono::milliseconds TaskQueue::heartbeatInterval() const { return d->pool.settings.heartbeatInterval; }
std::chrono::milliseconds TaskQueue::heartbeatAllowance() const { return d->pool.settings.heartbeatAllowance; }

void TaskQueue::setHandshakeTimeout(std::chrono::milliseconds timeout) { d->pool.settings.handshakeTimeout = timeout; }
std::chrono::milliseconds TaskQueue::handshakeTimeout() const { return d->pool.settings.handshakeTimeout; }
void TaskQueue::setQuitTimeout(std::chrono::milliseconds timeout) { d->pool.settings.quitTimeout = timeout; }
std::chrono::milliseconds TaskQueue::quitTimeout() const { return d->pool.settings.quitTimeout; }

void TaskQueue::setMaxTasksPerWorker(int tasks) { d->pool.settings.maxTasksPerWorker = std::max(0, tasks); }
int TaskQueue::maxTasksPerWorker() const { return d->pool.settings.maxTasksPerWorker; }
void TaskQueue::setMemoryCeiling(qint64 bytes) { d->pool.settings.memoryCeiling = std::max<qint64>(0, bytes); }
qint64 TaskQueue::memoryCeiling() const { return d->pool.settings.memoryCeiling; }
void TaskQueue::setIdleTimeout(std::chrono::milliseconds timeout) { d->pool.settings.idleTimeout = timeout; }
std::chrono::milliseconds TaskQueue::idleTimeout() const { return d->pool.settings.idleTimeout; }

void TaskQueue::setResourceLimits(qint64 addressSpaceBytes, std::chrono::seconds cpuTime)
{
    d->pool.settings.addressSpaceLimit = std::max<qint64>(0, addressSpaceBytes);
    d->pool.settings.cpuTimeLimit = cpuTime;
}
qint64 TaskQueue::addressSpaceLimit() const { return d->pool.settings.addressSpaceLimit; }
std::chrono::seconds TaskQueue::cpuTimeLimit() const { return d->pool.settings.cpuTimeLimit; }

void TaskQueue::stop() { d->stop(Internal::StopMode::Cancel); }
void TaskQueue::stopWhenDrained() { d->stop(Internal::StopMode::Drain); }
void TaskQueue::terminate() { d->stop(Internal::StopMode::Terminate); }
void TaskQueue::start() { d->start(); }
bool TaskQueue::isStopped() const { return d->stopped || d->draining; }

int TaskQueue::queuedCount() const { return int(d->book.pending().size()); }

int TaskQueue::runningCount() const
{
    // Derived from the workers, never kept in a counter that could drift;
    // a worker being killed still runs its task until it is reaped.
    const auto &workers = d->pool.workers();
    return int(std::count_if(workers.begin(), workers.end(),
                             [](const auto &entry) { return entry.second->currentTask() != 0; }));
}

QList<TaskId> TaskQueue::tasks() const { return d->book.ids(); }

std::optional<Task> TaskQueue::task(TaskId id) const
{
    const TaskRecord *record = d->book.find(id);
    return record ? std::optional<Task>(record->task) : std::nullopt;
}

bool TaskQueue::isRunning(TaskId id) const
{
    const TaskRecord *record = d->book.find(id);
    return record && record->state == TaskRecord::State::Running;
}

bool TaskQueue::isWaitingForSlot(TaskId id) const
{
    const TaskRecord *record = d->book.find(id);
    return record && record->state == TaskRecord::State::Queued && record->waitingForSlot;
}

QList<WorkerInfo> TaskQueue::workers() const
{
    QList<WorkerInfo> infos;
    if (d->pool.workers().empty())
        return infos; // and no walk of /proc for nothing
    const Internal::ProcessTree processes = Internal::ProcessTree::snapshot();
    for (const auto &[id, w] : d->pool.workers()) {
        infos << w->info();
        WorkerInfo &info = infos.last();
        info.rssBytes = w->residentBytes();
        QList<Internal::ProcessTree::Process> started = processes.descendantsOf(w->pid());
        std::sort(started.begin(), started.end(), [](const auto &a, const auto &b) { return a.rssBytes > b.rssBytes; });
        for (const Internal::ProcessTree::Process &p : std::as_const(started)) {
            info.descendantRssBytes += p.rssBytes;
            info.descendantNames << p.name;
        }
    }
    return infos;
}

void TaskQueue::retireIdleWorkers()
{
    for (const auto &[id, w] : d->pool.workers())
        d->onIdleTooLong(w);
}

bool TaskQueue::interruptWorker(int workerId) { return d->signalWorker(workerId, SIGINT); }
bool TaskQueue::terminateWorker(int workerId) { return d->signalWorker(workerId, SIGTERM); }
bool TaskQueue::killWorker(int workerId) { return d->signalWorker(workerId, SIGKILL); }

} // namespace Drover
