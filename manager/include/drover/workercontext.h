#pragma once

#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QString>

#include <chrono>
#include <optional>

namespace Drover {

//! What TaskKind::perform() can do besides computing its response. It is
//! handed to perform() on the worker's compute thread; every function here
//! may be called from that thread (and is safe from any thread).
class WorkerContext
{
public:
    virtual ~WorkerContext() = default;

    //! Sends a feedback value to the master while the task runs; it arrives
    //! as TaskQueue::taskFeedback() before the task's outcome. It is written
    //! to the socket before this returns, so it survives a crash right after.
    //! A value over the frame limit is not sent, and the task then ends
    //! MarshalError whatever perform() returns.
    virtual void sendFeedback(const QCborValue &value) = 0;

    //! True once the master asked the running task to stop. perform() should
    //! poll it and return early (any response will do: the task ends as
    //! cancelled). A worker that does not stop is killed after a grace period.
    virtual bool isCancelled() const = 0;

    //! Every value the master forwarded with TaskQueue::forwardFeedback() and
    //! that still stands, oldest first.
    virtual QList<QCborValue> forwardedFeedback() const = 0;

    //! This worker's id, as the master's signals name it: unique among the
    //! workers of its Manager, whatever their queue, and never reused.
    virtual int workerId() const = 0;

    //! The data given once per worker with TaskQueue::setWorkerEnvironment()
    //! (Nproc: env): read it instead of sending it with every task.
    virtual QCborValue workerEnvironment() const { return {}; }

    //! Sends a message to the master during a task: it reaches the task's
    //! onMessage hook and TaskQueue::taskMessage(). Outside a task (from
    //! initWorker) it reaches TaskQueue::workerMessage(). A value over the
    //! frame limit is not sent: the task then ends MarshalError (outside a
    //! task, the queue's errorOccurred() says so).
    virtual void sendMessage(const QCborValue &value) { Q_UNUSED(value); }

    //! The next message the master sent to this task (TaskQueue::sendMessage()
    //! or a hook's TaskContext), waiting up to `wait`; nullopt if none came,
    //! or the task was cancelled meanwhile.
    virtual std::optional<QCborValue> receiveMessage(std::chrono::milliseconds wait)
    {
        Q_UNUSED(wait);
        return std::nullopt;
    }

    //! Asks the master a question and blocks until its request handler
    //! answers (Nproc: Full interface). Returns nullopt, with *error
    //! saying why, when there is no handler, the handler failed, no answer
    //! came within `timeout`, the task was cancelled while waiting, or the
    //! question or its answer exceeds the frame limit (told at once).
    virtual std::optional<QCborValue> ask(const QCborValue &question, std::chrono::milliseconds timeout,
                                          QString *error = nullptr)
    {
        Q_UNUSED(question);
        Q_UNUSED(timeout);
        if (error)
            *error = QStringLiteral("this context cannot reach a master");
        return std::nullopt;
    }

    // The functions above with a body have one so that test doubles of a
    // context need only the first four; drover-worker implements them all.
};

} // namespace Drover
