#pragma once

#include <QtCore/QCborValue>
#include <QtCore/QList>

namespace Drover {

//! What TaskKind::perform() can do besides computing its response. It is
//! handed to perform() on the worker's compute thread; every function here
//! may be called from that thread (and is safe from any thread).
class WorkerContext
{
public:
    virtual ~WorkerContext() = default;

    //! Sends a feedback value to the master while the task runs; it arrives
    //! as TaskQueue::taskFeedback() before the task's outcome.
    virtual void sendFeedback(const QCborValue &value) = 0;

    //! True once the master asked the running task to stop. perform() should
    //! poll it and return early (any response will do: the task ends as
    //! cancelled). A worker that does not stop is killed after a grace period.
    virtual bool isCancelled() const = 0;

    //! Every value the master forwarded with TaskQueue::forwardFeedback() and
    //! that still stands, oldest first.
    virtual QList<QCborValue> forwardedFeedback() const = 0;

    //! This worker's id, as the master's signals name it.
    virtual int workerId() const = 0;
};

} // namespace Drover
