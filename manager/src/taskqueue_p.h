#pragma once

#include "drover/taskkind.h"
#include "drover/taskqueue.h"
#include "pendingtasks.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QTimer>

#include <map>
#include <memory>
#include <unordered_map>

namespace Drover::Internal {

class ManagerPrivate;
class WorkerProcess;

//! A task from enqueue() to its outcome.
struct TaskRecord
{
    enum class State { Queued, Running };

    Task task;
    State state = State::Queued;
    int workerId = -1;
    int attempts = 0;
    bool cancelRequested = false;
    bool interruptRequested = false;
    bool timedOut = false;
    bool batch = false;                 // a map() chunk: the request is run element by element
    std::unique_ptr<TaskHooks> hooks;   // only when given
    QElapsedTimer clock;                // since the first start
    std::unique_ptr<QTimer> termTimer;  // only while running, only if asked for
    std::unique_ptr<QTimer> killTimer;
    std::unique_ptr<QTimer> graceTimer;
};

class TaskQueuePrivate : public QObject
{
    Q_OBJECT
public:
    TaskQueuePrivate(TaskQueue *q, Manager *manager, const QString &kind, TaskKind *taskKind,
                     const QString &pluginFile);
    ~TaskQueuePrivate() override;

    TaskId enqueue(Task task, std::unique_ptr<TaskHooks> hooks = {}, bool batch = false);
    bool cancel(TaskId id, bool interrupt = false);
    void stop();
    //! Kills and reaps every worker now and cancels every task (destruction).
    void abandon(const QString &why);

    void scheduleDispatch();
    WorkerProcess *worker(int id) const;
    int liveWorkerCount() const;
    //! How many workers may live: the pool size plus the wanted warm spares.
    int capacity() const;

    TaskQueue *q;
    ManagerPrivate *manager;
    QString kind;
    TaskKind *taskKind;
    QString pluginFile;

    std::unordered_map<TaskId, TaskRecord> tasks;
    PendingTasks pending;
    std::map<int, WorkerProcess *> workers;
    QList<QCborValue> forwarded;
    QProcessEnvironment environment;
    QCborValue workerEnvironment;
    RequestHandler requestHandler;

    int maxWorkers = 1;
    int warmSpares = 0;
    std::chrono::milliseconds cancelGrace{2000};
    std::chrono::milliseconds quitTimeout{5000};
    std::chrono::milliseconds heartbeatInterval{1000};
    std::chrono::milliseconds heartbeatAllowance{15000};
    std::chrono::milliseconds handshakeTimeout{30000};
    std::chrono::milliseconds idleTimeout{0};
    int maxTasksPerWorker = 0;
    qint64 memoryCeiling = 0;
    qint64 addressSpaceLimit = 0;
    std::chrono::seconds cpuTimeLimit{0};
    bool stopped = false;
    bool stoppedReported = false;

private:
    void dispatch();
    std::optional<TaskId> chooseTask(const WorkerStatus &status) const;
    bool assign(WorkerProcess *w);
    void spawnWorker();
    void retire(WorkerProcess *w);
    void armTimers(TaskRecord &record, WorkerProcess *w);
    void finishTask(TaskId id, Outcome outcome, const QString &message, const QCborValue &response = {},
                    bool reportDrained = true);
    void afterTask(WorkerProcess *w, bool keepFresh);

    void onConnected(WorkerProcess *w);
    void onMessage(WorkerProcess *w, const QCborMap &message);
    void onTaskAnswer(WorkerProcess *w, const QCborMap &message, bool isResponse);
    void onWorkerMessage(WorkerProcess *w, const QCborMap &message);
    void onAsk(WorkerProcess *w, const QCborMap &message);
    void onWorkerFinished(WorkerProcess *w, const QString &status);
    void onStartFailure(const QString &status, bool connected, bool fromOutside);
    //! Ended by a signal that someone else sent (not Drover, not a crash).
    static bool killedFromOutside(const WorkerProcess *w);
    void backOffIfCrashLooping();
    void reportStoppedIfDone();

    QTimer m_respawnTimer;
    QTimer m_spareTimer;       // tops up warm spares a moment after the need
    bool m_spareTopUp = false;
    int m_startFailures = 0;  // workers in a row that died before taking a task
    bool m_programStarted = false; // a worker of this queue has connected
    int m_crashStreak = 0;    // workers in a row that died unasked without finishing a task
    bool m_dispatchScheduled = false;
    bool m_sparesWanted = true;
};

} // namespace Drover::Internal
