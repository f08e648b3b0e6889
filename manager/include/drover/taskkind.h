#pragma once

// The task-kind contract (Coq's AsyncTaskQueue, task-kind signature, in
// C++). A plugin implements one TaskKind; its master half runs in the IDE's
// process on the thread of the Manager, its worker half (perform) in a
// drover-worker process on a compute thread. This header, task.h and
// workercontext.h are all a plugin includes; it links Qt6::Core only.

#include "drover/task.h"
#include "drover/workercontext.h"

#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QtPlugin>

#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

namespace Drover {

//! The plugin API version this header describes. A plugin's JSON metadata
//! carries it as "apiVersion"; the manager refuses any other. Version 2
//! added TaskKind::taskAffinity().
inline constexpr int PluginApiVersion = 2;

//! What TaskKind::taskAffinity() returns for "no ranking": queue order.
inline constexpr int NoAffinity = std::numeric_limits<int>::min();

//! What a worker knows (Coq's AsyncTaskQueue: worker_status): Fresh when born; Old with
//! the competence that useResponse() returned when it stays after a task.
struct WorkerStatus
{
    bool fresh = true;
    QCborValue competence;  //!< only meaningful when !fresh

    static WorkerStatus makeFresh() { return {}; }
    static WorkerStatus makeOld(QCborValue c) { return {false, std::move(c)}; }
};

//! useResponse()'s verdict on the worker: Stay (kept, Old with a competence,
//! optionally enqueueing new tasks at once) or End (retired).
struct Decision
{
    bool stay = false;
    QCborValue competence;
    QList<Task> newTasks;

    static Decision end() { return {}; }
    static Decision keep(QCborValue competence, QList<Task> newTasks = {})
    {
        return {true, std::move(competence), std::move(newTasks)};
    }
};

//! Why a task ended without a response (Coq's AsyncTaskQueue:
//! on_task_cancellation_or_expiration_or_slave_death).
enum class EndReason { Cancelled, TimedOut, WorkerDied };

//! Thrown by perform() to end the task as Outcome::Failed with this message.
//! Any other std::exception does the same with its what().
class TaskFailure : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class TaskKind
{
public:
    virtual ~TaskKind() = default;

    // ---- master half: called on the Manager's thread -------------------

    //! The request to send to a worker of this status, or nullopt when the
    //! task is obsolete (it then ends as Outcome::Dropped). Default: payload.
    virtual std::optional<QCborValue> requestOfTask(const WorkerStatus &status, const Task &task)
    {
        Q_UNUSED(status);
        return task.payload;
    }

    //! Whether a worker of this status may take the task. Default: any.
    virtual bool taskMatch(const WorkerStatus &status, const Task &task)
    {
        Q_UNUSED(status);
        Q_UNUSED(task);
        return true;
    }

    //! How well an Old worker's competence serves a task it matches, for
    //! kinds whose workers keep a cache: an idle Old worker takes, among the
    //! first 64 queued tasks of the highest priority it matches, the one with
    //! the highest affinity (ties: queue order), and idle Old workers are
    //! offered work before fresh ones. Default NoAffinity: the kind does not
    //! rank tasks, so the worker takes the first task it matches and no
    //! other is looked at. An override that returns NoAffinity for the first
    //! matching task means the same for that dispatch.
    virtual int taskAffinity(const WorkerStatus &status, const Task &task)
    {
        Q_UNUSED(status);
        Q_UNUSED(task);
        return NoAffinity;
    }

    //! Decides the worker's fate after a response. Default: End, so every
    //! task gets a fresh worker (Coq's proof workers). Also called when a
    //! task cancelled while running was answered all the same (perform()
    //! saw isCancelled() and returned): the task still ends Cancelled, but
    //! the answer says what the worker now holds, so it may Stay (its
    //! newTasks are dropped).
    virtual Decision useResponse(const WorkerStatus &status, const Task &task,
                                 const QCborValue &response)
    {
        Q_UNUSED(status);
        Q_UNUSED(task);
        Q_UNUSED(response);
        return Decision::end();
    }

    //! A request or response of this task could not be encoded or decoded,
    //! or it, or feedback or a message the task sent, exceeded the frame
    //! limit; the task ends as Outcome::MarshalError.
    virtual void onMarshalError(const QString &message, const Task &task)
    {
        Q_UNUSED(message);
        Q_UNUSED(task);
    }

    //! Called exactly once for every task that ends cancelled, timed out or
    //! with its worker dead, and with nullopt when an idle worker dies.
    virtual void onTaskEnded(const std::optional<Task> &task, EndReason reason)
    {
        Q_UNUSED(task);
        Q_UNUSED(reason);
    }

    //! Extra command-line arguments for drover-worker (Coq's AsyncTaskQueue: extra_env).
    virtual QStringList extraArguments() const { return {}; }

    //! Extra environment for drover-worker, as NAME=VALUE strings.
    virtual QStringList extraEnvironment() const { return {}; }

    // ---- worker half: called in drover-worker ---------------------------

    //! Once per worker, on the compute thread, before its first task.
    virtual void initWorker(WorkerContext &context) { Q_UNUSED(context); }

    //! Computes the response to a request, on the worker's compute thread.
    //! Throw TaskFailure to fail the task.
    virtual QCborValue perform(const QCborValue &request, WorkerContext &context) = 0;
};

} // namespace Drover

#define DROVER_TASKKIND_IID "org.drover.TaskKind/1"
Q_DECLARE_INTERFACE(Drover::TaskKind, DROVER_TASKKIND_IID)
