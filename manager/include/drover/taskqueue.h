#pragma once

#include "drover/global.h"
#include "drover/hooks.h"
#include "drover/task.h"
#include "drover/taskresult.h"
#include "drover/workerinfo.h"

#include <QtCore/QCborValue>
#include <QtCore/QFuture>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace Drover {

//! How TaskQueue::map() cuts its inputs into tasks and delivers results.
struct MapOptions
{
    //! Inputs per task: one request carries this many, cutting the per-task
    //! cost for small work (Nproc: granularity).
    int granularity = 1;
    //! Deliver results (QFutureWatcher::resultsReadyAt) strictly in input
    //! order; otherwise each chunk's results as soon as it completes. The
    //! future's results() are in input order either way.
    bool ordered = false;
    int priority = 0;
    TaskOptions options;
    //! At most this many chunks queued or running at once (0: no limit). A
    //! stream's source is pulled only as chunks end: back-pressure (Nproc's
    //! iter_stream).
    int maxChunksInFlight = 0;
    //! A chunk that does not end Done: CancelAll cancels the other chunks
    //! and the future (failureOf() says why); Continue gives each of its
    //! inputs an undefined QCborValue as result and goes on (Nproc's `g
    //! None`; the chunk's outcome still reaches taskFinished()).
    enum class OnFailure { CancelAll, Continue };
    OnFailure onFailure = OnFailure::CancelAll;
};

class Manager;
class TaskKind;
namespace Internal { class TaskQueuePrivate; }

//! The queue and worker pool of one task kind (Coq's AsyncTaskQueue: MakeQueue).
//!
//! Owned by its Manager; lives on the Manager's thread and must only be used
//! from it. Every task enqueued reaches exactly one outcome, reported once by
//! taskFinished() - also when its worker crashes, it is cancelled or timed
//! out, or the queue is stopped or destroyed.
class DROVER_EXPORT TaskQueue : public QObject
{
    Q_OBJECT
public:
    //! What errorOccurred() reports (as QProcess::ProcessError does for a process).
    enum class Error {
        //! A worker could not start, or died before its first task; the
        //! queue starts another (backing off from the second in a row).
        WorkerFailedToStart,
        //! The fifth such failure in a row: the queued tasks ended
        //! WorkerDied; the next task starts afresh.
        WorkersCannotStart,
        //! A worker was ended before its first task by a signal from
        //! outside (SIGKILL, SIGTERM, SIGINT, SIGHUP: a user, the OOM killer)
        //! after others had started fine; the queue backs off and keeps trying.
        WorkerKilledFromOutside,
        //! A message that belongs to no task was not sent because it exceeds
        //! the frame limit (Manager::setMaxFrameSize()): a worker's message
        //! from initWorker(), or a welcome that no longer fits after the
        //! limit was lowered or with its per-worker environment (that
        //! worker is killed). Everything that belongs
        //! to a task ends it MarshalError instead (docs/wire.md).
        MessageTooLarge,
        //! A line of the workers' output could not be written to the file
        //! setOutputTarget() chose (the disk is full, say); once per file.
        OutputNotWritten,
    };
    Q_ENUM(Error)

    //! Where a worker wrote a line of workerOutput().
    enum class OutputChannel { StandardOutput, StandardError };
    Q_ENUM(OutputChannel)

    //! Where a channel of the workers' output goes (rpc_parallel: Fd_redirection).
    enum class OutputTarget {
        Signal,       //!< workerOutput(), line by line (the default)
        AppendToFile, //!< the end of a file, whole lines, every worker's
        TruncateFile, //!< a file emptied by setOutputTarget(), then as AppendToFile
        Discard,      //!< nowhere
    };
    Q_ENUM(OutputTarget)

    ~TaskQueue() override;

    QString kind() const;
    //! The plugin's master half (owned by the plugin loader).
    TaskKind *taskKind() const;

    //! Queues a task and returns its id. Dispatch happens from the event
    //! loop: no outcome is ever reported from inside enqueue().
    TaskId enqueue(Task task);
    //! The same, with callbacks for this task (see TaskHooks).
    TaskId enqueue(Task task, TaskHooks hooks);

    //! Queues a task and returns a future of its result, finished with its
    //! one outcome. Cancelling the future cancels the task, and a task that
    //! ends Cancelled cancels the future.
    QFuture<TaskResult> submit(Task task);

    //! Runs the kind's perform() on every input, `granularity` inputs per
    //! task, and returns a future of the outputs (one per input, in input
    //! order in results()). The chunk tasks have an array of inputs as their
    //! payload and the request the worker gets is run element by element. If
    //! a chunk does not end Done, the future is cancelled and its remaining
    //! chunks with it; failureOf() then says why.
    QFuture<QCborValue> map(const QList<QCborValue> &inputs, const MapOptions &options = {});
    //! map() over a stream: inputs pulled from `next` (std::nullopt: the
    //! end) as chunks may start, so that at most maxChunksInFlight chunks
    //! exist at once; results numbered in the order the inputs came. `next`
    //! is called on the queue's thread, never after the future is finished.
    QFuture<QCborValue> mapStream(std::function<std::optional<QCborValue>()> next, const MapOptions &options = {});
    //! The same over the results of a future as they are reported (its end
    //! is the stream's; a chunk short of granularity waits for more unless
    //! the stream has ended). Cancelling the map does not cancel `inputs`.
    QFuture<QCborValue> mapStream(const QFuture<QCborValue> &inputs, const MapOptions &options = {});
    //! Why a future returned by map() was cancelled because a chunk did not
    //! end Done (cancelled by clear() or the queue's end included). Empty if
    //! it was not cancelled or is not finished yet, if its holder cancelled
    //! it (QFuture::cancel(): the holder knows why), or if it is unknown to
    //! this queue.
    QString failureOf(const QFuture<QCborValue> &future) const;

    //! Sends a message to the worker running a task; false if it is not
    //! running, or if the message exceeds the frame limit (nothing is sent).
    bool sendMessage(TaskId id, const QCborValue &value);

    //! Answers WorkerContext::ask() from workers. Without a handler, every
    //! question fails at once with "no request handler".
    void setRequestHandler(RequestHandler handler);
    RequestHandler requestHandler() const;

    //! Sends one channel of every worker's output, from now on, to a
    //! target; `path` names the file of the two file targets and must be
    //! empty for the others. The file is opened (created if need be) at the
    //! call; false, with the reason in *error and the previous target kept,
    //! if it cannot be, or the path is missing or given for no file. On
    //! every target the last line, even without a newline, is kept (a file
    //! gets it with a newline), and the last lines of stderr still go into
    //! the outcome of a task whose worker died.
    bool setOutputTarget(OutputChannel channel, OutputTarget target, const QString &path = {},
                         QString *error = nullptr);
    OutputTarget outputTarget(OutputChannel channel) const;

    //! Data every worker receives once when it starts (Nproc: env; rpc_parallel:
    //! init_arg), read with WorkerContext::workerEnvironment(). Applies to
    //! workers started afterwards. Returns false, and keeps the previous
    //! environment, when the welcome that carries it with the forwarded
    //! feedback would exceed the frame limit.
    bool setWorkerEnvironment(const QCborValue &environment);
    QCborValue workerEnvironment() const;
    //! A worker's own environment, from its id (rpc_parallel: an init_arg
    //! per spawn; the id is the one of workerStarted() and of
    //! Task::pinnedWorker).
    using WorkerEnvironmentFunction = std::function<QCborValue(int workerId)>;
    //! Per-worker data instead of one value: the function is called on the
    //! queue's thread once for each worker started afterwards, when it
    //! connects, and its result is that worker's workerEnvironment().
    //! setWorkerEnvironment() drops it; an empty function goes back to the
    //! value. A result over the frame limit, or a function that throws,
    //! ends that worker before its first task (errorOccurred(), as a worker
    //! that cannot start).
    void setPerWorkerEnvironment(WorkerEnvironmentFunction environmentOf);
    //! Names a request for logs and the worker table (Coq's AsyncTaskQueue:
    //! name_of_request): called on the queue's thread with the task and the
    //! request requestOfTask() made for the worker that takes it.
    using RequestNamer = std::function<QString(const Task &task, const QCborValue &request)>;
    //! Without a namer (the default), a request is named after its task:
    //! Task::name, or "task N" when that is empty.
    void setRequestNamer(RequestNamer namer);
    //! The name of the request a running task's worker got; empty unless
    //! the task is running. WorkerListModel shows it as the worker's task.
    QString requestName(TaskId id) const;

    //! Changes the priority of a queued task (Coq's AsyncTaskQueue: set_order). Returns
    //! false if it is not queued any more. A task held by a busy worker
    //! (setPrefetch()) takes the new priority and is asked back, to be
    //! queued in its new place; if its worker had already begun it, it runs
    //! there, as a running task would.
    bool setPriority(TaskId id, int priority);

    //! Cancels a task: a queued one ends Cancelled at once; a running one is
    //! told through the worker's cooperative flag and ends Cancelled when the
    //! worker answers, or its worker is killed after cancelGrace(). Returns
    //! false if the task is unknown or already ended.
    bool cancel(TaskId id);
    //! Cancels each of the tasks; returns how many were still alive.
    int cancel(const QList<TaskId> &ids);
    //! Cancels every queued and running task.
    void cancelAll();
    //! Removes every queued task (each ends Cancelled); running ones go on.
    void clear();

    //! For programs without their own event loop: runs one until no task is
    //! queued or running, or the timeout passes. Returns whether it drained.
    //! Delayed work needs no timer of Drover's: QTimer::singleShot(delay,
    //! queue, [=] { queue->enqueue(task); }). It returns once the queue is
    //! empty: it does not wait for such timers of the caller's that would
    //! enqueue more later (their events run while it waits, though).
    bool waitForDrained(std::chrono::milliseconds timeout = std::chrono::milliseconds::max());

    //! Sends a value to every live worker and to every worker started later
    //! (Coq's AsyncTaskQueue: forward_feedback); it stands until clearForwardedFeedback().
    //! Returns false, and neither keeps nor sends the value, when the welcome
    //! that carries every standing value to a new worker would exceed the
    //! frame limit (Manager::setMaxFrameSize()).
    bool forwardFeedback(const QCborValue &value);
    void clearForwardedFeedback();

    //! The pool size: at most this many workers run at once (default 1).
    void setMaxWorkers(int count);
    int maxWorkers() const;

    //! Warm spares: this many fresh workers are kept started, connected and
    //! idle beyond those running tasks (still at most maxWorkers() run
    //! tasks), so a task does not wait for a process to start. Spares left
    //! idle past the idle timeout are retired, and not replaced until work
    //! comes again. Default 0.
    void setWarmSpares(int count);
    int warmSpares() const;

    //! Prefetch (default on): while more tasks are queued than idle and
    //! starting workers can take, each busy Old worker (one that a
    //! useResponse() kept) is sent the next task it matches, and begins it
    //! the moment it has answered its current one, without waiting for a
    //! round trip. Such a held task (WorkerInfo::heldTask) has not started:
    //! its taskStarted(), timeouts and attempt count begin when it does. It
    //! is asked back, and queued again, when its priority changes, when a
    //! queued task of higher priority comes, when another worker idles with
    //! nothing queued, and when after the current task's useResponse() the
    //! worker no longer matches it. cancel(), clear() and stop() end it
    //! Cancelled at once, as a queued task. If its worker dies or quits, it
    //! is queued again, not counted as an attempt. (Had the worker begun it
    //! already, it runs on for a priority change or a steal; otherwise its
    //! run is cancelled and nothing it sends reaches the task.) Never for workers that are Fresh (so never
    //! for a kind whose workers serve one task), and off while job slots are
    //! shared with other processes (Manager::setJobsCap(), make's
    //! jobserver). Turning it off sends no more; tasks held stay held.
    void setPrefetch(bool enabled);
    bool prefetch() const;

    //! How long a cancelled running task may take to stop before its worker
    //! is killed (default 2 s).
    void setCancelGrace(std::chrono::milliseconds grace);
    std::chrono::milliseconds cancelGrace() const;

    //! Heartbeats: each connected worker is pinged every interval, and one
    //! that sends nothing for allowance is killed with the status "stopped
    //! answering heartbeats" (defaults 1 s and 15 s; allowance zero: off).
    void setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds allowance);
    std::chrono::milliseconds heartbeatInterval() const;
    std::chrono::milliseconds heartbeatAllowance() const;
    //! How long a started worker may take to connect and say hello before it
    //! is killed (default 30 s). Applies to workers started afterwards.
    void setHandshakeTimeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds handshakeTimeout() const;
    //! How long a worker told to quit may take to exit before it is killed
    //! (default 5 s).
    void setQuitTimeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds quitTimeout() const;

    //! Recycling: a worker is retired after this many tasks (0: never), or
    //! when its resident memory is above the ceiling after a task (0: none).
    void setMaxTasksPerWorker(int tasks);
    int maxTasksPerWorker() const;
    void setMemoryCeiling(qint64 bytes);
    qint64 memoryCeiling() const;
    //! An idle worker is retired after this long without a task (0: never).
    void setIdleTimeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds idleTimeout() const;
    //! Limits applied in each worker process before it starts (setrlimit):
    //! address space in bytes and CPU time (0: unlimited). A task that runs
    //! into them ends as its worker's death, with the reason the kernel gave.
    void setResourceLimits(qint64 addressSpaceBytes, std::chrono::seconds cpuTime);
    qint64 addressSpaceLimit() const;
    std::chrono::seconds cpuTimeLimit() const;

    //! Stops starting tasks, cancels what is queued and running (a running
    //! task is told, and its worker SIGKILLed after cancelGrace()), and asks
    //! every idle worker to quit. stopped() fires once no worker is left.
    //! Tasks enqueued while stopped end Cancelled, from the event loop.
    void stop();
    //! Stops after the work (Nproc: close): what is queued and running, and
    //! what is enqueued meanwhile, runs to its outcome; then every worker
    //! is asked to quit and stopped() fires. queueEmptied() does not fire
    //! meanwhile; isStopped() is true from the call. stop() or terminate()
    //! later cut it short.
    void stopWhenDrained();
    //! Stops at once by signal: what is queued ends Cancelled, every
    //! worker's process group gets SIGTERM, and SIGKILL if it is still
    //! there after quitTimeout() (workerKillTimedOut()). Running tasks end
    //! Cancelled. Also after stop(), to hurry its workers.
    void terminate();
    //! Takes and runs tasks again after any of the three; workers that are still
    //! quitting go on quitting, new ones start. If stopped() has not fired
    //! yet, it will not for that stop. Nothing while the queue runs.
    void start();
    //! Since stop(), stopWhenDrained() or terminate(), until start().
    bool isStopped() const;

    int queuedCount() const;
    int runningCount() const;
    //! The queued and running tasks, by id.
    QList<TaskId> tasks() const;
    //! A copy of a queued or running task; nullopt once it has ended.
    std::optional<Task> task(TaskId id) const;
    bool isRunning(TaskId id) const;
    //! The queued task is next for a ready worker but waits for one of the
    //! machine's job slots (make's jobserver or the token server,
    //! docs/jobserver.md); see taskWaitingForSlot().
    bool isWaitingForSlot(TaskId id) const;
    //! Snapshot of the live workers, by id, with their memory and that of
    //! the processes they started (reads /proc once per call).
    QList<WorkerInfo> workers() const;
    //! Asks every idle worker to quit, as the idle timeout would: for a
    //! program that closed what its workers were holding (a document).
    //! Busy workers are left alone.
    void retireIdleWorkers();

    //! GUI kill controls for one worker (its whole process group is
    //! signalled; the worker is Stopping from then on). Its task, if any,
    //! is handled as a worker death, unless its answer was already on the
    //! way. False if the worker is unknown or gone.
    bool interruptWorker(int workerId); //!< cooperative cancel, then SIGINT
    bool terminateWorker(int workerId); //!< SIGTERM
    bool killWorker(int workerId);      //!< SIGKILL

Q_SIGNALS:
    // All signals are emitted on the queue's thread. "From the event loop"
    // means never from inside a call of this class.

    //! A task was queued: from inside enqueue(), submit() and map(), and
    //! for the tasks a useResponse() decision adds. Once per task.
    void taskQueued(Drover::TaskId id);
    //! setPriority() moved a queued task; from inside setPriority().
    void taskPriorityChanged(Drover::TaskId id, int priority);
    //! The task's request went to a worker; from the event loop. Once per
    //! attempt: a task retried after its worker died starts again.
    void taskStarted(Drover::TaskId id, int workerId);
    //! A ready worker chose this queued task, but every job slot of the
    //! machine is taken (docs/jobserver.md): the task stays queued, shown
    //! as waiting, until a slot is free. From the event loop, at most once
    //! per attempt; taskStarted() follows when it gets a slot, unless it
    //! ends first (cancelled, the queue stopped). workerId is the worker
    //! that chose it; another one may run it in the end.
    void taskWaitingForSlot(Drover::TaskId id, int workerId);
    //! The running task's worker sent feedback (WorkerContext::sendFeedback()),
    //! in the order it was sent; from the event loop, only between the
    //! task's taskStarted() and its taskFinished().
    void taskFeedback(Drover::TaskId id, const QCborValue &value);
    //! A running task's worker sent a message (WorkerContext::sendMessage());
    //! from the event loop.
    void taskMessage(Drover::TaskId id, const QCborValue &value);
    //! The task's one outcome: exactly once per task, never from inside
    //! enqueue(). From the event loop, except where a call ends queued
    //! tasks itself: cancel() of a queued task, clear(), cancelAll() and
    //! stop() emit it for those tasks before they return, and destroying
    //! the queue (or its Manager) emits it, Cancelled, for every task left.
    void taskFinished(Drover::TaskId id, const Drover::TaskResult &result);
    //! No task is queued or running any more: right after the last
    //! taskFinished().
    void drained();
    //! A worker could take work and nothing is queued: the place to add
    //! more work (Tezt's Scheduler: on_empty_queue), for every kind. From
    //! the event loop, after the outcome of a task that ran (before
    //! drained()) and when a worker becomes ready with nothing queued (a
    //! warm spare); never while the queue is stopped. idleWorkerId is an
    //! idle worker that would take the work, or 0 when none is idle but
    //! the pool has room to start one (a fresh-worker kind, whose worker
    //! ends with its task).
    void queueEmptied(int idleWorkerId);

    //! A worker process was started (pid known, not yet connected); from
    //! the event loop, when the pool grows.
    void workerStarted(int workerId, qint64 pid);
    //! The worker connected, was authenticated and welcomed: it can take
    //! tasks. From the event loop; once per worker.
    void workerReady(int workerId);
    //! A worker took a task; right after that task's taskStarted().
    void workerBusy(int workerId, Drover::TaskId task);
    //! A worker that stays finished its task and waits for the next one;
    //! from the event loop, before that task's taskFinished().
    void workerIdle(int workerId);
    //! The worker's process is gone and reaped; status is human-readable
    //! ("exited with code 3", "was killed by SIGKILL": exitStatusText(),
    //! "failed to start: ...", or why Drover killed it).
    //! For a task that dies with its worker, this comes before the task's
    //! taskFinished() (or its retry's taskStarted()). Once per worker, from
    //! the event loop (destroying the queue reaps its workers silently).
    void workerExited(int workerId, const QString &status);
    //! Right after workerExited(), for a worker whose end nobody asked for
    //! (Tezt's Scheduler: on_unexpected_worker_exit): it crashed, exited on
    //! its own, failed to start, was killed from outside Drover, or Drover
    //! killed it for a fault (a protocol error, silent heartbeats, no
    //! hello). Not for the exits Drover asked for: told to quit (retired,
    //! idle too long, recycled, the pool shrank, a stop), terminate(), a
    //! kill control (killWorker() ...), or the signal of its task's
    //! timeout or of a cancel's grace. From the event loop.
    void workerExitedUnexpectedly(int workerId, const QString &status);
    //! Output the worker wrote on a channel whose target is Signal (the
    //! default; setOutputTarget()), one line at a time (without its newline),
    //! with the channel it came on, in order on each channel. A last line
    //! without a newline (a crash message, typically) comes when the
    //! worker ends, before its workerExited(). From the event loop. (The
    //! channel was added after the first release: a slot that takes only
    //! the id and the line still connects.)
    void workerOutput(int workerId, const QString &line, Drover::TaskQueue::OutputChannel channel);
    //! A worker sent a message outside any task (from initWorker()); from
    //! the event loop.
    void workerMessage(int workerId, const QCborValue &value);

    //! Something went wrong that is not one task's outcome (see Error);
    //! the message says what, for a person. The queue keeps running. From
    //! the event loop. The message comes first so that a slot taking only
    //! the text still connects.
    void errorOccurred(const QString &message, Drover::TaskQueue::Error error);
    //! After stop(): every worker has exited. Once per stop(), from the
    //! event loop.
    void stopped();
    //! A worker told to quit (retired, or stopped) or terminated had not
    //! exited within quitTimeout() and was sent SIGKILL (Tezt's Scheduler:
    //! on_worker_kill_timeout); its workerExited() follows. From the event
    //! loop.
    void workerKillTimedOut(int workerId);

private:
    friend class Manager;
    friend class Internal::TaskQueuePrivate;
    TaskQueue(Manager *manager, const QString &kind, TaskKind *taskKind, const QString &pluginFile);
    std::unique_ptr<Internal::TaskQueuePrivate> d;
};

} // namespace Drover
