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
#include <unordered_map>
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
    //! TaskQueue::setPriority(): a queued task moves; a held one is given
    //! back to be queued in its new place (prefetch.cpp).
    bool setPriority(TaskId id, int priority);
    //! The tasks held by workers (not started), by id.
    QList<TaskId> heldIds() const;

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
    bool prefetch = true; //!< TaskQueue::setPrefetch()
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

    // prefetch.cpp: a request held by each busy Old worker (docs/architecture.md)
    //! Sends a busy worker the next task it matches while more are queued
    //! than `takers` (idle and starting workers that may take them).
    void prefetchFor(int takers);
    //! The same for one worker whose held task just began.
    void prefetchAfterAnswer(WorkerProcess *w);
    //! Sends w the next task it matches, to hold.
    void holdNext(WorkerProcess *w);
    //! A held task that a queued one of higher priority outranks is given back.
    void keepHeldInOrder();
    //! Asks the worker for its held task back (once; Withdrawn answers).
    void withdrawHeld(WorkerProcess *w);
    //! After the worker's current task: its held task begins, unless a
    //! Withdraw is on its way (then the worker says).
    void afterCurrentTask(WorkerProcess *w);
    //! The worker began its held task: it starts (taskStarted), or, if it is
    //! no longer the worker's to run, it runs as a stray whose frames and
    //! answer are not the task's.
    void heldBegan(WorkerProcess *w);
    //! The held task's record leaves the worker (quitting, stopped, dead):
    //! queued again, not an attempt, or Cancelled if cancel() was called.
    void detachHeld(WorkerProcess *w, bool cancel, const QString &why);
    //! After useResponse() changed the worker: is its held task still a match?
    void recheckHeld(WorkerProcess *w);
    void onWithdrawn(WorkerProcess *w, const Wire::Withdrawn &message);
    //! A held task ends Cancelled at once, as a queued one; its worker is
    //! asked not to begin it, and if it had, runs it as a stray.
    void cancelHeld(WorkerProcess *w, TaskId id, const QString &why);
    //! Idle workers take back what busy ones hold when nothing is queued.
    void stealHeld();

    //! The answer of a stray task (the worker ran what was no longer its own).
    void strayAnswered(WorkerProcess *w, TaskId id, Outcome outcome, const QCborValue &response);
    //! Whether task `id` is running on w (its frames are the task's).
    bool runsOn(const WorkerProcess *w, TaskId id) const;
    //! A frame of task `id` came from w: if it is the held one, it began.
    void noteFrameOf(WorkerProcess *w, TaskId id);
    void startTask(WorkerProcess *w, TaskRecord &record);

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
    //! Tasks a worker may begin although they are no longer its own (a held
    //! task cancelled, or stale): what its answer goes to useResponse() with.
    std::unordered_map<TaskId, Task> m_strays;
};

} // namespace Drover::Internal
