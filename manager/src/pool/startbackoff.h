#pragma once

#include "drover/taskqueue.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <chrono>

namespace Drover::Internal {

//! A queue's memory of workers that die young, and what it does about it.
//!
//! Workers that keep dying before they finish a task (a plugin that crashes
//! at start, a run of crashing tasks) are not replaced at full speed: the
//! first at once, then after 100 ms, 200 ms, ... at most 5 s. After five in
//! a row that die before their first task, the queued tasks end: no worker
//! will come. A signal from outside (a kill storm, the OOM killer) says
//! nothing of the program once it has started fine: it backs off, but
//! never gives up.
class StartBackoff : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxStartFailures = 5;

    explicit StartBackoff(const QString &kind, QObject *parent = nullptr);

    //! A worker of the queue connected: the program can start.
    void workerConnected() { m_programStarted = true; }
    //! A worker finished a task: the streaks are over.
    void taskDone();
    //! A worker died unasked before finishing any task, with no task or
    //! with a task that runs again: one more in the crash streak.
    void diedYoung();

    struct Verdict
    {
        QString message; //!< for errorOccurred()
        TaskQueue::Error error = TaskQueue::Error::WorkerFailedToStart;
        bool giveUp = false; //!< the queued tasks end WorkerDied
    };
    //! A worker died unasked before its first task.
    Verdict startFailed(const QString &status, bool connected, bool fromOutside);

    //! No worker is to be started now.
    bool isWaiting() const { return m_respawnTimer.isActive(); }
    //! Forgets the wait (the queue stops).
    void stop() { m_respawnTimer.stop(); }

Q_SIGNALS:
    //! The wait is over: workers may start again.
    void waitOver();

private:
    QString m_kind;
    QTimer m_respawnTimer;
    int m_startFailures = 0;       // workers in a row that died before taking a task
    int m_crashStreak = 0;         // workers in a row that died unasked without finishing a task
    bool m_programStarted = false; // a worker of this queue has connected
};

} // namespace Drover::Internal
