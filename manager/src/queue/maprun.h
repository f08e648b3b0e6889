#pragma once

#include "drover/taskqueue.h"

#include <QtCore/QFutureInterface>
#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <functional>
#include <map>
#include <memory>
#include <optional>

template<typename T>
class QFutureWatcher;

namespace Drover::Internal {

//! One run of TaskQueue::map() or mapStream(): pulls inputs from its
//! source, cuts them into chunk tasks (at most maxChunksInFlight at once),
//! and reports the chunks' outputs into its future, numbered by input.
//! Lives as long as a chunk's hook or the future's watcher holds it; all on
//! the queue's thread.
class MapRun : public std::enable_shared_from_this<MapRun>
{
public:
    //! How the run reaches its queue (TaskQueue's private enqueue).
    using Enqueue = std::function<TaskId(Task, TaskHooks)>;

    MapRun(TaskQueue *queue, const MapOptions &options, Enqueue enqueue);

    //! The source: a generator (nullopt: the end), or a future's results.
    void pullFrom(std::function<std::optional<QCborValue>()> next, int knownChunks = -1);
    void pullFrom(const QFuture<QCborValue> &inputs);

    QFuture<QCborValue> future() { return m_promise.future(); }
    //! Makes the chunks the source and maxChunksInFlight allow now.
    void pump();
    //! The holder cancelled the future: no more chunks, the running ones
    //! cancelled.
    void cancel();

private:
    struct Held
    {
        qsizetype begin;
        QList<QCborValue> values;
    };
    //! Up to `granularity` inputs, or none when the source has none now.
    QList<QCborValue> take();
    void startChunk(QList<QCborValue> inputs);
    void chunkEnded(int chunk, qsizetype begin, qsizetype count, const TaskResult &result);
    void deliver(int chunk, qsizetype begin, QList<QCborValue> values);
    void end();

    TaskQueue *m_queue;
    MapOptions m_options;
    Enqueue m_enqueue;
    QFutureInterface<QCborValue> m_promise;

    std::function<std::optional<QCborValue>()> m_next; // a generator source
    QFuture<QCborValue> m_inputs;                      // or a future's
    QPointer<QFutureWatcher<QCborValue>> m_watcher;
    QList<QCborValue> m_buffered; // the future's results not chunked yet
    int m_taken = 0;              // the future's results read so far
    bool m_sourceEnded = false;
    int m_knownChunks = -1;       // map() over a list: for the chunks' names

    qsizetype m_nextInput = 0;
    int m_chunksMade = 0;
    QHash<int, TaskId> m_running;      // chunk -> its task
    int m_nextDelivery = 0;            // ordered: the first chunk not delivered yet
    std::map<int, Held> m_held;        // ordered: completed chunks waiting for earlier ones
    bool m_over = false;
    bool m_pumping = false;
};

} // namespace Drover::Internal
