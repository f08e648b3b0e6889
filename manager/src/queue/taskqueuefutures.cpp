// TaskQueue::submit(), map() and mapStream(): futures over the one queue,
// with no machinery of their own beside per-task hooks (a map's run is
// queue/maprun.h).

#include "drover/taskkind.h"
#include "drover/taskqueue.h"
#include "queue/mapfailure.h"
#include "queue/maprun.h"
#include "queue/taskqueue_p.h"

#include <QtCore/QCborArray>
#include <QtCore/QFutureInterface>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>

#include <memory>


namespace Drover {

namespace {
// Cancelling a future from outside cancels the tasks behind it.
template<typename T>
void cancelTasksWithFuture(TaskQueue *queue, const QFuture<T> &future, std::function<void()> cancelTasks)
{
    auto *watcher = new QFutureWatcher<T>(queue);
    QObject::connect(watcher, &QFutureWatcherBase::canceled, queue, std::move(cancelTasks));
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(future);
}
} // namespace

QFuture<TaskResult> TaskQueue::submit(Task task)
{
    // A QPromise is move-only and a hook is copied: the hook shares it.
    auto promise = std::make_shared<QPromise<TaskResult>>();
    promise->start();
    QFuture<TaskResult> future = promise->future();
    TaskHooks hooks;
    hooks.onFinish = [promise](const TaskResult &result) {
        promise->addResult(result);
        if (result.outcome == Outcome::Cancelled)
            promise->future().cancel();
        promise->finish();
    };
    const TaskId id = enqueue(std::move(task), std::move(hooks));
    cancelTasksWithFuture(this, future, [this, id] { cancel(id); });
    return future;
}

namespace {
std::shared_ptr<Internal::MapRun> startMap(TaskQueue *queue, const MapOptions &options, Internal::MapRun::Enqueue enqueue,
                                           const std::function<void(Internal::MapRun &)> &source)
{
    auto run = std::make_shared<Internal::MapRun>(queue, options, std::move(enqueue));
    source(*run);
    cancelTasksWithFuture(queue, run->future(), [run] { run->cancel(); });
    run->pump();
    return run;
}
} // namespace

QFuture<QCborValue> TaskQueue::map(const QList<QCborValue> &inputs, const MapOptions &options)
{
    const qsizetype granularity = std::max(1, options.granularity);
    const int chunks = int((inputs.size() + granularity - 1) / granularity);
    auto next = [inputs, i = qsizetype(0)]() mutable -> std::optional<QCborValue> {
        return i < inputs.size() ? std::optional<QCborValue>(inputs.at(i++)) : std::nullopt;
    };
    return startMap(this, options, [this](Task task, TaskHooks hooks) {
               return d->enqueue(std::move(task), std::make_unique<TaskHooks>(std::move(hooks)), true);
           }, [&](Internal::MapRun &run) { run.pullFrom(std::move(next), chunks); })
        ->future();
}

QFuture<QCborValue> TaskQueue::mapStream(std::function<std::optional<QCborValue>()> next, const MapOptions &options)
{
    return startMap(this, options, [this](Task task, TaskHooks hooks) {
               return d->enqueue(std::move(task), std::make_unique<TaskHooks>(std::move(hooks)), true);
           }, [&](Internal::MapRun &run) { run.pullFrom(std::move(next)); })
        ->future();
}

QFuture<QCborValue> TaskQueue::mapStream(const QFuture<QCborValue> &inputs, const MapOptions &options)
{
    return startMap(this, options, [this](Task task, TaskHooks hooks) {
               return d->enqueue(std::move(task), std::make_unique<TaskHooks>(std::move(hooks)), true);
           }, [&](Internal::MapRun &run) { run.pullFrom(inputs); })
        ->future();
}

// The reason is the exception the future holds, not a table beside it:
// nothing is kept for futures nobody asks about. A future its holder
// cancelled holds none, and the holder knows why.
QString TaskQueue::failureOf(const QFuture<QCborValue> &future) const
{
    // Only a finished future is asked: waitForFinished() would wait.
    if (!future.isCanceled() || !future.isFinished())
        return {};
    try {
        QFuture<QCborValue>(future).waitForFinished(); // rethrows what it holds
    } catch (const Internal::MapFailure &failure) {
        if (failure.queue() == this)
            return QString::fromStdString(failure.what());
    } catch (...) {
    }
    return {};
}

} // namespace Drover
