#pragma once

#include "drover/workerinfo.h"
#include "wire/messages.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QStringList>
#include <QtCore/QTimer>

#include <chrono>

class QIODevice;

namespace Drover::Internal {

//! One drover-worker process and, once it said hello, its connection.
//!
//! It owns the process from start to reaping: finished() fires exactly once
//! on every path (failed to start, exited, crashed, killed), after the
//! process is gone. Whenever the worker ends, what is left of its process
//! group is killed, and destroying it kills the group and reaps the worker.
//!
//! It is the one owner of the worker's state (info()), changed only by the
//! transitions below: Starting at start(); Idle once welcomed (ready());
//! Busy with a task (beginTask()) and Idle again after it (endTask());
//! Stopping once told to quit or killed, by Drover or a kill control
//! (quit(), kill(), stopping()). The queue decides when; the worker keeps
//! the state consistent.
class WorkerProcess : public QObject
{
    Q_OBJECT
public:
    WorkerProcess(int id, qint64 maxFrameSize, QObject *parent = nullptr);
    ~WorkerProcess() override;

    struct Limits
    {
        qint64 addressSpace = 0;   //!< bytes, 0: unlimited
        qint64 cpuSeconds = 0;     //!< 0: unlimited
    };

    //! Starts the worker. The secret reaches it on an inherited pipe named
    //! by DROVER_SECRET_FD, never in its environment (/proc/PID/environ).
    void start(const QString &program, const QStringList &arguments,
               const QProcessEnvironment &environment, Limits limits, const QByteArray &secret);
    //! Starts a remote worker through its launcher (srun, ssh): the command
    //! is the launcher's, and `setup` (docs/remote.md) is written to its
    //! stdin, which stays open so that the worker sees its end when the
    //! launcher or this manager is gone. No limits: they would bind the
    //! launcher, not the worker.
    void startThrough(const QString &program, const QStringList &arguments,
                      const QProcessEnvironment &environment, const QByteArray &setup);

    //! Resident memory of the worker process now (0 if unknown).
    qint64 residentBytes() const;

    //! While idle: idleTooLong() fires once after this long (0: never).
    void startIdleClock(std::chrono::milliseconds timeout);
    void stopIdleClock() { m_idleTimer.stop(); }

    int id() const { return m_info.id; }
    qint64 pid() const { return m_info.pid; }
    const WorkerInfo &info() const { return m_info; }
    bool isIdle() const { return m_info.state == WorkerInfo::State::Idle; }
    //! When it last ended a task (or became ready): the least recently used
    //! Old worker is the one retired for a task none matches.
    std::chrono::steady_clock::time_point lastUsed() const { return m_lastUsed; }
    bool isStopping() const { return m_info.state == WorkerInfo::State::Stopping; }
    TaskId currentTask() const { return m_info.currentTask; }

    // Transitions (see the class comment).
    //! Welcomed: Starting -> Idle.
    void ready();
    //! Idle -> Busy with a task.
    void beginTask(TaskId task);
    //! Its task ended: Busy -> Idle (a Stopping worker stays Stopping, and
    //! one that holds a task stays Busy, its current task 0 until the held
    //! one begins or goes back). With `answered`, it counts as a task done.
    void endTask(bool answered);
    //! Prefetch (queue/prefetch.cpp): a request sent while it is Busy, which
    //! the worker begins as soon as it has answered its current task.
    void hold(TaskId task) { m_info.heldTask = task; m_heldWithdrawing = false; }
    TaskId heldTask() const { return m_info.heldTask; }
    //! A Withdraw for the held task is on its way: until its answer, the
    //! held task is begun only if the worker says so (a frame of it, or
    //! Withdrawn without `taken`).
    void markWithdrawing() { m_heldWithdrawing = true; }
    bool isWithdrawing() const { return m_heldWithdrawing; }
    //! The worker began its held task: it is the current task now.
    void beginHeld();
    //! The worker gave its held task back: Idle if it has no current task.
    void releaseHeld();
    //! It keeps what it learnt: Old from now on, with this competence.
    void becomeOld(const QCborValue &competence);
    //! A signal that ends it is on its way (a kill control): -> Stopping.
    void stopping() { m_info.state = WorkerInfo::State::Stopping; }
    bool isConnected() const { return m_socket != nullptr; }
    //! Started through a launcher; its connection is TCP.
    bool isRemote() const { return m_remote; }
    bool hasFinished() const { return m_finished; }
    //! Whether it ever completed the handshake.
    bool everConnected() const { return m_everConnected; }

    //! Takes over the connection once the manager accepted its hello; the
    //! reader holds whatever arrived after the hello.
    //! A QLocalSocket, or a QSslSocket for a remote worker; it is owned
    //! from now on.
    void attach(QIODevice *socket, Wire::FrameReader reader);

    //! Sends a message (wire/messages.h); false when it exceeds the frame
    //! limit (nothing sent).
    template<typename Message>
    bool send(const Message &message)
    {
        return sendFrame(Wire::frameOf(m_writer, message, m_maxFrameSize));
    }

    //! Signals the worker's process group.
    void signalGroup(int signal);
    //! SIGKILL, remembering why: deathReason() then explains the death;
    //! -> Stopping.
    void kill(const QString &reason);
    //! Asks the worker to exit; kills it if it has not after killAfter;
    //! -> Stopping.
    void quit(std::chrono::milliseconds killAfter);
    //! SIGTERM to its group now, SIGKILL if it has not exited after
    //! killAfter; it is quitting from then on; -> Stopping.
    void terminate(std::chrono::milliseconds killAfter);
    bool isQuitting() const { return m_quitting; }

    //! A user's kill control reached it: its death is no start failure.
    void markSignalledByUser() { m_signalledByUser = true; }
    bool wasSignalledByUser() const { return m_signalledByUser; }
    //! The queue signalled it on purpose: its task's deadline, or the end
    //! of a cancel's grace.
    void markSignalledByQueue() { m_signalledByQueue = true; }
    //! Whether its end was asked for: told to quit (retired, recycled, idle
    //! too long, stopped) or terminated, a user's kill control, or a signal
    //! of its task's deadline or cancel grace. Not when it crashed, exited
    //! on its own, was killed from outside, or killed by Drover for a fault
    //! (deathReason()).
    bool endWasAsked() const { return m_quitting || m_signalledByUser || m_signalledByQueue; }

    //! The last lines (at most a few, each cut short) it wrote on stderr
    //! since its current or last task began (since it started, before any
    //! task): what a crash said.
    QStringList lastWords() const { return m_recentErrors; }

    //! The signal that ended the worker, 0 if it exited or is alive.
    int terminatingSignal() const;
    //! Ended by a signal someone else sent (a user's kill, the OOM killer):
    //! not Drover, not its own crash.
    bool killedFromOutside() const;

    //! Set when Drover itself killed the worker (protocol error, heartbeats,
    //! handshake); empty when the worker died on its own or by a user's signal.
    QString deathReason() const { return m_deathReason; }

    void setHandshakeTimeout(std::chrono::milliseconds timeout) { m_handshakeTimer.setInterval(timeout); }
    void setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds allowance);

Q_SIGNALS:
    void connected();
    //! A message other than a pong (heartbeats are this class's business).
    void messageReceived(const Drover::Internal::Wire::Received &message);
    //! A line the worker wrote (without its newline); the last one when it
    //! ends, with no newline, too.
    void outputLine(const QString &line, QProcess::ProcessChannel channel);
    void finished(const QString &status);
    void idleTooLong();
    //! Told to quit or terminated, it had not exited when its time was up:
    //! SIGKILL was sent.
    void killTimedOut();

private:
    void launch(int secretFd, Limits limits);
    void readFrames();
    void readLastFrames();
    //! Writes an encoded frame (empty: over the limit, false).
    bool sendFrame(QByteArrayView frame);
    //! Emits each whole line read; at the end, the rest as a last line.
    void readOutput(QProcess::ProcessChannel channel, bool atEnd = false);
    void emitOutputLine(QProcess::ProcessChannel channel, const char *data, qsizetype size);
    void onSocketGone();
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void heartbeat();
    void finish(const QString &status);

    WorkerInfo m_info;
    std::chrono::steady_clock::time_point m_lastUsed = std::chrono::steady_clock::now();
    qint64 m_maxFrameSize;
    QProcess m_process;
    QIODevice *m_socket = nullptr;
    Wire::FrameReader m_reader;
    Wire::FrameWriter m_writer;
    QTimer m_handshakeTimer;
    QTimer m_heartbeatTimer;
    QTimer m_killTimer;
    QTimer m_idleTimer;
    QElapsedTimer m_lastHeard;
    std::chrono::milliseconds m_heartbeatAllowance{0};
    QByteArray m_partialOutput[2];
    QStringList m_recentErrors;
    QString m_deathReason;
    quint64 m_pingSerial = 0;
    bool m_heldWithdrawing = false;
    bool m_quitting = false;
    bool m_finished = false;
    bool m_everConnected = false;
    bool m_signalledByUser = false;
    bool m_signalledByQueue = false;
    bool m_remote = false;
    qint64 m_oomKillsAtStart = -1;
    qint64 m_addressSpaceLimit = 0;
};

} // namespace Drover::Internal
