#pragma once

#include "drover/taskkind.h"
#include "drover/taskqueue.h"
#include "pool/startbackoff.h"
#include "pool/workerpool.h"
#include "queue/deadlines.h"
#include "queue/outputroutes.h"
#include "queue/taskbook.h"
#include "wire/messages.h"

#include <QtCore/QCborArray>
#include <QtCore/QTimer>

#include <memory>
#include <utility>

namespace Drover::Internal {

class ManagerPrivate;
class WorkerProcess;

//! How a queue stops: TaskQueue::stop(), stopWhenDrained(), terminate().
enum class StopMode { Cancel, Drain, Terminate };

//! What a TaskQueue is made of. Its methods are spread over files by job:
//! taskqueue_p.cpp  tasks in and out: enqueue, cancel, outcomes, stop, end;
//! dispatch.cpp     which worker takes which task, and the pool's size;
//! workerevents.cpp what the queue does when a worker speaks, runs out of
//!                  time or dies.
//! The choices themselves are in scheduler.h, the records in taskbook.h,
//! the processes in pool/.
class TaskQueuePrivate : public QObject
{
    Q_OBJECT
public:
    TaskQueuePrivate(TaskQueue *q, Manager *manager, const QString &kind, TaskKind *taskKind,
                     const QString &pluginFile);
    ~TaskQueuePrivate() override;

    static TaskQueuePrivate *get(TaskQueue *queue) { return queue->d.get(); }

    // taskqueue_p.cpp
    TaskId enqueue(Task task, std::unique_ptr<TaskHooks> hooks = {}, bool batch = false);
    bool cancel(TaskId id, bool interrupt = false);
    bool sendMessage(TaskId id, const QCborValue &value);
    //! False when a value to forward would not fit in a welcome (not kept).
    bool broadcast(const Wire::Broadcast &message);
    //! False when the environment would not fit in a welcome (not kept).
    //! Drops a per-worker function.
    bool setWorkerEnvironment(const QCborValue &environment);
    //! Whether a task pinned to this worker may wait for it: it is there
    //! and not quitting.
    bool canRunPinned(int workerId) const;
    //! Every queued task pinned to a worker that is gone ends WorkerDied.
    void endTasksPinnedTo(int workerId, const QString &why);
    void stop(StopMode mode);
    void start();
    //! Kills and reaps every worker now and cancels every task with `why`.
    //! Once: later calls do nothing.
    void abandon(const QString &why);
    //! The queue (or its manager) is being destroyed: abandon() with the reason.
    void end();
    //! A kill control (interrupt, terminate, kill) for one worker.
    bool signalWorker(int workerId, int signal);
    //! Retires an idle worker as the idle timeout does (a busy one stays).
    void onIdleTooLong(WorkerProcess *w);

    // dispatch.cpp
    //! Dispatch runs once from the event loop however often it is asked for.
    void scheduleDispatch();
    //! How many workers may live: the pool size plus the wanted warm spares.
    int capacity() const { return maxWorkers + (m_sparesWanted ? warmSpares : 0); }

    TaskQueue *q;
    ManagerPrivate *manager;
    QString kind;
    TaskKind *taskKind;

    TaskBook book;
    WorkerPool pool;
    QCborArray forwarded;
    QCborValue workerEnvironment;
    TaskQueue::WorkerEnvironmentFunction environmentOf; //!< per worker, instead of workerEnvironment
    RequestHandler requestHandler;
    TaskQueue::RequestNamer requestNamer;
    OutputRoutes output;

    int maxWorkers = 1;
    int warmSpares = 0;
    std::chrono::milliseconds cancelGrace{2000};
    bool stopped = false;
    bool draining = false; //!< stop(Drain): runs what it has, then stops

private:
    // taskqueue_p.cpp
    void finishTask(TaskId id, Outcome outcome, const QString &message, const QCborValue &response = {},
                    bool reportDrained = true);
    //! Every queued task ends with this outcome.
    void finishQueued(Outcome outcome, const QString &message);
    void reportStoppedIfDone();
    //! stop(Drain) once nothing is queued or running (from the event loop,
    //! so that the last outcome's handlers may still add work).
    void closeIfDrained();
    //! Whether a welcome with this much forwarded feedback and environment
    //! (their encoded sizes) fits in a frame.
    bool welcomeFits(const QCborArray &feedback, qint64 feedbackBytes, const QCborValue &environment,
                     qint64 environmentBytes) const;

    // dispatch.cpp
    void dispatch();
    bool assign(WorkerProcess *w);
    //! taskWaitingForSlot() for m_slotCandidate, once per attempt.
    void reportWaitingForSlot();
    //! The request's name (TaskQueue::setRequestNamer()).
    QString nameOfRequest(const Task &task, const QCborValue &request) const;
    //! queueEmptied() if nothing is queued and a worker could take work:
    //! `candidate` if it is idle, else another idle one, else 0 when the
    //! pool has room to start one.
    void reportQueueEmptied(WorkerProcess *candidate);

    // workerevents.cpp
    void connectPool();
    void onConnected(WorkerProcess *w);
    void onMessage(WorkerProcess *w, const Wire::Received &message);
    void onTaskAnswer(WorkerProcess *w, TaskId id, Outcome outcome, const QString &text, const QCborValue &response);
    void onWorkerMessage(WorkerProcess *w, const Wire::Message &message);
    void onAsk(WorkerProcess *w, const Wire::Ask &ask);
    void onDeadline(TaskId id, int workerId, Deadlines::Kind kind);
    void onWorkerFinished(WorkerProcess *w, const QString &status);
    //! After a task, a worker is idle again unless it must go.
    void afterTask(WorkerProcess *w, bool answered);

    Deadlines m_deadlines;
    StartBackoff m_backoff;
    QTimer m_spareTimer;       // tops up warm spares a moment after the need
    bool m_spareTopUp = false;
    bool m_dispatchScheduled = false;
    bool m_sparesWanted = true;
    bool m_stoppedReported = false;
    bool m_abandoned = false;
    bool m_waitingForSlot = false; // the last assign() found no job slot free
    //! The task and worker of that assign(), said waiting once the slots
    //! are known to be full (reportWaitingForSlot()).
    std::pair<TaskId, int> m_slotCandidate{0, 0};
    bool m_terminated = false;
    qint64 m_forwardedBytes = 0;   // encoded size of `forwarded`'s values
    qint64 m_environmentBytes = 0; // encoded size of workerEnvironment
};

} // namespace Drover::Internal
