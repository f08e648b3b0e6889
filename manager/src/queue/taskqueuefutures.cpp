// TaskQueue::submit() and TaskQueue::map(): futures over the one queue, with
// no machinery of their own beside per-task hooks.

#include "drover/taskkind.h"
#include "drover/taskqueue.h"
#include "queue/taskqueue_p.h"

#include <QtCore/QCborArray>
#include <QtCore/QFutureInterface>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>

#include <memory>

#include <map>

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
//! What a map() future holds when one of its chunks did not end Done. It
//! names its queue, so that failureOf() speaks only of its own futures.
class MapFailure : public TaskFailure
{
public:
    MapFailure(const TaskQueue *queue, const QString &why)
        : TaskFailure(why.toStdString())
        , m_queue(queue)
    {
    }
    const TaskQueue *queue() const { return m_queue; }

private:
    const TaskQueue *m_queue;
};

struct MapRun
{
    // Not a QPromise: Qt 6.4's has no addResults(), and a chunk's results
    // reported one by one would cost map() a store and a signal per input.
    QFutureInterface<QCborValue> promise;
    int granularity = 1;
    bool ordered = false;
    int remaining = 0;
    int nextChunk = 0;                    // ordered: the first chunk not delivered yet
    std::map<int, QList<QCborValue>> held; // ordered: completed chunks waiting for earlier ones
    QList<TaskId> chunks;
    bool over = false;
};
} // namespace

QFuture<QCborValue> TaskQueue::map(const QList<QCborValue> &inputs, const MapOptions &options)
{
    auto run = std::make_shared<MapRun>();
    run->granularity = std::max(1, options.granularity);
    run->ordered = options.ordered;
    run->promise.reportStarted();
    QFuture<QCborValue> future = run->promise.future();
    const int chunkCount = int((inputs.size() + run->granularity - 1) / run->granularity);
    run->remaining = chunkCount;
    if (chunkCount == 0) {
        run->promise.reportFinished();
        return future;
    }

    for (int chunk = 0; chunk < chunkCount; ++chunk) {
        const qsizetype begin = qsizetype(chunk) * run->granularity;
        const qsizetype count = std::min<qsizetype>(run->granularity, inputs.size() - begin);
        QCborArray items;
        for (qsizetype i = begin; i < begin + count; ++i)
            items.append(inputs.at(i));
        Task task;
        task.payload = items;
        task.priority = options.priority;
        task.options = options.options;
        task.name = QStringLiteral("map chunk %1/%2").arg(chunk + 1).arg(chunkCount);

        TaskHooks hooks;
        hooks.onFinish = [this, run, chunk, count](const TaskResult &result) {
            if (run->over)
                return;
            const QCborArray outputs = result.response.toArray();
            if (result.outcome != Outcome::Done || outputs.size() != count) {
                run->over = true;
                const QString why = result.outcome == Outcome::Done
                    ? QStringLiteral("map chunk %1 answered %2 results for %3 inputs").arg(chunk + 1).arg(outputs.size()).arg(count)
                    : QStringLiteral("map chunk %1 ended %2: %3").arg(chunk + 1).arg(outcomeName(result.outcome), result.message);
                run->promise.reportException(std::make_exception_ptr(MapFailure(this, why)));
                run->promise.reportFinished();
                cancel(run->chunks);
                return;
            }
            QList<QCborValue> values;
            values.reserve(outputs.size());
            for (const QCborValue &v : outputs)
                values.append(v);
            if (!run->ordered) {
                run->promise.reportResults(values, chunk * run->granularity);
            } else {
                run->held.emplace(chunk, std::move(values));
                for (auto it = run->held.begin(); it != run->held.end() && it->first == run->nextChunk;
                     it = run->held.erase(it)) {
                    run->promise.reportResults(it->second, run->nextChunk * run->granularity);
                    ++run->nextChunk;
                }
            }
            if (--run->remaining == 0) {
                run->over = true;
                run->promise.reportFinished();
            }
        };
        run->chunks << d->enqueue(std::move(task), std::make_unique<TaskHooks>(std::move(hooks)), true);
    }
    cancelTasksWithFuture(this, future, [this, run] {
        if (!run->over) {
            run->over = true;
            run->promise.reportFinished();
        }
        cancel(run->chunks);
    });
    return future;
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
    } catch (const MapFailure &failure) {
        if (failure.queue() == this)
            return QString::fromStdString(failure.what());
    } catch (...) {
    }
    return {};
}

} // namespace Drover
