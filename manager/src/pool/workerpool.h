#pragma once

#include "wire/wire.h"

#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QProcessEnvironment>

#include <chrono>
#include <map>

namespace Drover {
class TaskKind;
}

namespace Drover::Internal {

class ManagerPrivate;
class WorkerProcess;

//! The worker processes of one queue: it starts them (with the environment
//! and limits the queue's settings say), retires and recycles them, and
//! reaps them. What a worker is doing is its own state (WorkerProcess);
//! which task it takes is the queue's choice.
class WorkerPool : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        std::chrono::milliseconds heartbeatInterval{1000};
        std::chrono::milliseconds heartbeatAllowance{15000};
        std::chrono::milliseconds handshakeTimeout{30000};
        std::chrono::milliseconds quitTimeout{5000};
        std::chrono::milliseconds idleTimeout{0};
        int maxTasksPerWorker = 0;
        qint64 memoryCeiling = 0;
        qint64 addressSpaceLimit = 0;
        std::chrono::seconds cpuTimeLimit{0};
    };

    WorkerPool(ManagerPrivate *manager, const QString &kind, TaskKind *taskKind, const QString &pluginFile,
               QObject *parent = nullptr);
    //! Terminates and reaps every worker left (terminateAll()).
    ~WorkerPool() override;

    Settings settings;

    //! Starts a worker; it reports through the signals below.
    WorkerProcess *spawn();
    //! Tells a worker to quit (killed after the quit timeout).
    void retire(WorkerProcess *worker);
    //! SIGTERM now, SIGKILL after the quit timeout.
    void terminate(WorkerProcess *worker);
    //! Every worker gets SIGTERM at once (so they end their descendants
    //! together) and is then reaped, SIGKILLed if it lingers. Silent: no
    //! signal of the pool fires for them.
    void terminateAll();
    //! The heartbeat of every worker, now and later.
    void setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds allowance);

    WorkerProcess *worker(int id) const;
    const std::map<int, WorkerProcess *> &workers() const { return m_workers; }
    bool isEmpty() const { return m_workers.empty(); }
    //! Workers not told to quit.
    int liveCount() const;
    //! Why a worker that just ended a task should make way for a new one
    //! (its task count, its memory); empty to keep it.
    QString recycleReason(const WorkerProcess *worker) const;

Q_SIGNALS:
    //! A worker was authenticated: it waits for its welcome.
    void workerConnected(Drover::Internal::WorkerProcess *worker);
    void messageReceived(Drover::Internal::WorkerProcess *worker, const Drover::Internal::Wire::Received &message);
    //! An idle worker had no task for the idle timeout.
    void idleTooLong(Drover::Internal::WorkerProcess *worker);
    void outputLine(int workerId, const QString &line, QProcess::ProcessChannel channel);
    //! A worker told to quit or terminated was SIGKILLed at its deadline.
    void killTimedOut(int workerId);
    //! A worker is gone and reaped, from the event loop; it is no longer in
    //! workers() and is deleted once the handlers return.
    void workerFinished(Drover::Internal::WorkerProcess *worker, const QString &status);

private:
    void onFinished(WorkerProcess *worker, const QString &status);
    //! Starts `w` through the manager's launcher (docs/remote.md).
    void startRemote(WorkerProcess *worker);

    ManagerPrivate *m_manager;
    QString m_kind;
    TaskKind *m_taskKind;
    QString m_pluginFile;
    QString m_pluginBuild; // read at the first remote start
    QProcessEnvironment m_environment;
    std::map<int, WorkerProcess *> m_workers;
};

} // namespace Drover::Internal
