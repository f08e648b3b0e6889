#pragma once

// Per-task hooks (Tezt's Scheduler: add_task callbacks) and requests from workers to
// the master (Nproc: Full interface), for TaskQueue::enqueue() and
// TaskQueue::setRequestHandler(). Everything here runs on the manager's thread.

#include "drover/global.h"
#include "drover/task.h"
#include "drover/taskresult.h"

#include <QtCore/QCborValue>
#include <QtCore/QPointer>

#include <functional>
#include <memory>

namespace Drover {

class TaskQueue;

//! What a hook may do with the running task: name it, and send its worker a
//! message (for example a free port that was not known at enqueue time).
class DROVER_EXPORT TaskContext
{
public:
    TaskContext(TaskQueue *queue, TaskId task, int workerId);

    TaskId taskId() const { return m_task; }
    int workerId() const { return m_workerId; }
    //! Reaches the worker's WorkerContext::receiveMessage(); false once the
    //! task is no longer running there, or if the message exceeds the frame
    //! limit (nothing is sent).
    bool sendMessage(const QCborValue &value) const;

private:
    QPointer<TaskQueue> m_queue;
    TaskId m_task;
    int m_workerId;
};

//! Callbacks for one task, given to TaskQueue::enqueue(); the one place for
//! them (TaskOptions is data). Each is optional.
struct TaskHooks
{
    //! The task was sent to a worker (again, after a retry).
    std::function<void(const TaskContext &)> onStart;
    //! The worker sent a message with WorkerContext::sendMessage().
    std::function<void(const TaskContext &, const QCborValue &)> onMessage;
    //! The task's one outcome, just before TaskQueue::taskFinished().
    std::function<void(const TaskResult &)> onFinish;
    //! TaskOptions::termTimeout passed and termSignal was sent (Tezt's
    //! Scheduler: on_term_timeout).
    std::function<void(const TaskContext &)> onTermTimeout;
    //! TaskOptions::killTimeout passed and SIGKILL was sent (on_kill_timeout).
    std::function<void(const TaskContext &)> onKillTimeout;
};

//! A question a worker asked with WorkerContext::ask(). Answer it once, now
//! or later (copies share the same question); a question never answered
//! ends, in the worker, with its timeout.
class DROVER_EXPORT WorkerRequest
{
public:
    using Reply = std::function<void(const QCborValue &answer, const QString &error)>;
    WorkerRequest(QCborValue question, TaskId task, int workerId, Reply reply);

    const QCborValue &question() const { return m_question; }
    TaskId taskId() const { return m_task; }   //!< 0 when asked outside a task
    int workerId() const { return m_workerId; }

    //! An answer over the frame limit reaches the worker as an error.
    void answer(const QCborValue &value) const;
    void fail(const QString &error) const;
    bool isAnswered() const { return *m_answered; }

private:
    QCborValue m_question;
    TaskId m_task;
    int m_workerId;
    Reply m_reply;
    std::shared_ptr<bool> m_answered;
};

using RequestHandler = std::function<void(const WorkerRequest &request)>;

} // namespace Drover
