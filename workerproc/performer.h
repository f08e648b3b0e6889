#pragma once

#include "drover/task.h"
#include "wire/messages.h"

#include <QtCore/QCborValue>
#include <QtCore/QThread>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace Drover {
class TaskKind;
}
class ManagerLink;
class WorkerState;

//! The compute thread: runs the task kind's worker half, one job at a time
//! in the order the main thread posts them, and writes each task's answer
//! to the manager itself. The main thread hands a job over with a condition
//! variable (no event is posted), and the answer does not go back through
//! the main thread: a task costs the worker one thread wake-up.
class Performer : public QThread
{
public:
    Performer(Drover::TaskKind *kind, WorkerState *context, ManagerLink *link);
    ~Performer() override;

    // main thread
    //! Runs initWorker() before anything posted later.
    void postInit();
    //! A batch request (TaskQueue::map) is an array: perform() runs once per
    //! element and the response is the array of their results.
    void postTask(Drover::TaskId task, QCborValue request, bool batch);
    //! Takes back a posted task that has not begun: true if it was still
    //! waiting (it never runs), false if it began or is unknown.
    bool withdraw(Drover::TaskId task);

protected:
    void run() override;

private:
    struct Job
    {
        Drover::TaskId task = 0; //!< 0: initWorker()
        QCborValue request;
        bool batch = false;
    };

    void post(Job job);
    void perform(const Job &job);
    void warmUp();
    void sendError(Drover::TaskId task, Drover::Internal::Wire::Error::Kind kind, const QString &message);

    Drover::TaskKind *m_kind;
    WorkerState *m_context;
    ManagerLink *m_link;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
};
