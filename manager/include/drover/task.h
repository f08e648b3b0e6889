#pragma once

#include <QtCore/QCborValue>
#include <QtCore/QString>

#include <chrono>
#include <csignal>

namespace Drover {

//! Identifies a task within its Manager; never reused, never 0.
using TaskId = quint64;

//! What a task may cost and how it is stopped when it runs too long or its worker dies.
struct TaskOptions
{
    //! How many times the task is run again when its worker dies under it.
    int retries = 0;
    //! After this long running, the worker is sent termSignal (zero: never).
    std::chrono::milliseconds termTimeout{0};
    //! After termSignal (or after the start when termTimeout is zero), SIGKILL (zero: never).
    std::chrono::milliseconds killTimeout{0};
    //! The signal that termTimeout sends.
    int termSignal = SIGTERM;
    // Callbacks when they fire are TaskHooks::onTermTimeout and onKillTimeout:
    // options are data, hooks are the one place for a task's callbacks.
};

//! A unit of work for a task kind. Lives in the master only; the kind's
//! requestOfTask() turns it into the request a worker receives.
struct Task
{
    TaskId id = 0;          //!< assigned by TaskQueue::enqueue()
    QCborValue payload;     //!< the kind's own description of the work
    int priority = 0;       //!< higher runs first; equal priorities run in enqueue order
    QString name;           //!< for logs and user interfaces (Coq's AsyncTaskQueue: name_of_task)
    TaskOptions options;
    //! 0: any worker. Otherwise the id of one live worker of the queue
    //! (WorkerInfo::id, TaskQueue::taskStarted()) that alone runs the task,
    //! whatever the kind's taskMatch() says: it waits while that worker is
    //! busy, and ends WorkerDied, never retried, if the worker is not
    //! there or quitting at enqueue() (from the event loop) or is gone
    //! before the task ends.
    int pinnedWorker = 0;
};

} // namespace Drover
