#include "pool/workerprocess.h"

#include "logging.h"
#include "pool/processstatus.h"

#include <QtCore/QFile>
#include "transport/connection.h"

#include <QtCore/QIODevice>

#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace Drover::Internal {

namespace {
constexpr auto DefaultHandshakeTimeout = 30s;
// A worker closes its socket just before it exits; give it this long to be
// reaped with its own status before it is killed.
constexpr auto SocketGoneGrace = 2s;
// How long a worker being destroyed has to end its descendants and exit.
constexpr auto TerminateGrace = 1s;
} // namespace

WorkerProcess::WorkerProcess(int id, qint64 maxFrameSize, QObject *parent)
    : QObject(parent)
    , m_maxFrameSize(maxFrameSize)
    , m_reader(maxFrameSize)
{
    m_info.id = id;
    m_handshakeTimer.setSingleShot(true);
    m_handshakeTimer.setInterval(DefaultHandshakeTimeout);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        kill(QStringLiteral("did not connect within %1 ms").arg(m_handshakeTimer.interval()));
    });
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        const bool lingered = m_quitting && m_process.state() != QProcess::NotRunning;
        signalGroup(SIGKILL);
        if (lingered)
            emit killTimedOut();
    });
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &WorkerProcess::heartbeat);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &WorkerProcess::idleTooLong);

    connect(&m_process, &QProcess::finished, this, &WorkerProcess::onProcessFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &WorkerProcess::onProcessError);
    connect(&m_process, &QProcess::readyReadStandardOutput, this,
            [this] { readOutput(QProcess::StandardOutput); });
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { readOutput(QProcess::StandardError); });
}

WorkerProcess::~WorkerProcess()
{
    if (m_socket) {
        m_socket->disconnect(this);
        Connection::abort(m_socket);
        delete m_socket;
    }
    if (m_process.state() != QProcess::NotRunning) {
        // SIGTERM first: the worker then ends every process its tasks
        // started, even those that left its group; SIGKILL if it lingers.
        m_process.disconnect(this);
        signalGroup(SIGTERM);
        if (!m_process.waitForFinished(int(std::chrono::milliseconds(TerminateGrace).count()))) {
            signalGroup(SIGKILL);
            m_process.waitForFinished(5000);
        }
        killLeftoverGroup(pid());
    }
}

void WorkerProcess::start(const QString &program, const QStringList &arguments,
                          const QProcessEnvironment &environment, Limits limits, const QByteArray &secret)
{
    // The secret goes through a pipe that only the worker inherits: its
    // environment is readable in /proc by the same user. A pipe's buffer
    // holds it whole, so the write end is closed before the start.
    int secretPipe[2] = {-1, -1};
    QProcessEnvironment env = environment;
    if (::pipe2(secretPipe, O_CLOEXEC) == 0) {
        const ssize_t written = ::write(secretPipe[1], secret.constData(), size_t(secret.size()));
        Q_UNUSED(written);
        ::close(secretPipe[1]);
        env.insert(QLatin1String(Wire::EnvSecretFd), QString::number(secretPipe[0]));
    }
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    m_process.setProcessEnvironment(env);
    launch(secretPipe[0], limits);
}

void WorkerProcess::startThrough(const QString &program, const QStringList &arguments,
                                 const QProcessEnvironment &environment, const QByteArray &setup)
{
    m_remote = true;
    m_process.setProgram(program);
    m_process.setArguments(arguments);
    m_process.setProcessEnvironment(environment);
    launch(-1, {});
    // A pipe's buffer holds the setup whole; stdin stays open (its end
    // tells the worker that its master is gone).
    if (m_process.state() != QProcess::NotRunning)
        m_process.write(setup);
}

void WorkerProcess::launch(int secretFd, Limits limits)
{
    m_addressSpaceLimit = limits.addressSpace;
    m_process.setChildProcessModifier([limits, secretFd] {
        // In the child between fork and exec: async-signal-safe calls only.
        // Its own process group, so signals reach the worker's children.
        // When its master dies, even by SIGKILL, the worker gets SIGTERM,
        // ends its group and exits (workerproc/descendants.h); a launcher
        // (srun, ssh) ends its remote worker.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (secretFd >= 0)
            ::fcntl(secretFd, F_SETFD, 0); // this one survives exec
        if (limits.addressSpace > 0) {
            const rlimit as{rlim_t(limits.addressSpace), rlim_t(limits.addressSpace)};
            ::setrlimit(RLIMIT_AS, &as);
        }
        if (limits.cpuSeconds > 0) {
            // SIGXCPU at the soft limit, SIGKILL a second later.
            const rlimit cpu{rlim_t(limits.cpuSeconds), rlim_t(limits.cpuSeconds + 1)};
            ::setrlimit(RLIMIT_CPU, &cpu);
        }
    });
    m_oomKillsAtStart = kernelOomKills();
    m_info.startedAt = QDateTime::currentDateTime();
    m_info.state = WorkerInfo::State::Starting;
    m_handshakeTimer.start();
    m_process.start();
    m_info.pid = m_process.processId();
    if (secretFd >= 0)
        ::close(secretFd);
}

void WorkerProcess::ready()
{
    if (m_info.state == WorkerInfo::State::Starting)
        m_info.state = WorkerInfo::State::Idle;
    m_lastUsed = std::chrono::steady_clock::now();
}

void WorkerProcess::beginTask(TaskId task)
{
    m_info.state = WorkerInfo::State::Busy;
    m_info.currentTask = task;
    m_idleTimer.stop();
    m_recentErrors.clear(); // the last words of a crash are this task's
}

void WorkerProcess::endTask(bool answered)
{
    if (m_info.state == WorkerInfo::State::Busy && m_info.heldTask == 0)
        m_info.state = WorkerInfo::State::Idle;
    m_info.currentTask = 0;
    if (answered)
        ++m_info.tasksDone;
    m_lastUsed = std::chrono::steady_clock::now();
}

void WorkerProcess::beginHeld()
{
    const TaskId task = m_info.heldTask;
    m_info.heldTask = 0;
    m_heldWithdrawing = false;
    if (m_info.state == WorkerInfo::State::Stopping)
        m_info.currentTask = task;
    else
        beginTask(task);
}

void WorkerProcess::releaseHeld()
{
    m_info.heldTask = 0;
    m_heldWithdrawing = false;
    if (m_info.state == WorkerInfo::State::Busy && m_info.currentTask == 0)
        m_info.state = WorkerInfo::State::Idle;
}

void WorkerProcess::becomeOld(const QCborValue &competence)
{
    m_info.fresh = false;
    m_info.competence = competence;
}

bool WorkerProcess::killedFromOutside() const
{
    if (!m_deathReason.isEmpty())
        return false; // Drover killed it
    switch (terminatingSignal()) {
    case SIGKILL: // the OOM killer, a user's kill
    case SIGTERM:
    case SIGINT:
    case SIGHUP:
        return true;
    default: // its own crash (SIGSEGV, SIGABRT, ...), or an exit
        return false;
    }
}

int WorkerProcess::terminatingSignal() const
{
    if (m_process.state() != QProcess::NotRunning || m_process.exitStatus() != QProcess::CrashExit)
        return 0;
    return m_process.exitCode();
}

void WorkerProcess::attach(QIODevice *socket, Wire::FrameReader reader)
{
    m_handshakeTimer.stop();
    m_everConnected = true;
    m_socket = socket;
    m_socket->setParent(this);
    m_reader = std::move(reader);
    m_lastHeard.start();
    connect(m_socket, &QIODevice::readyRead, this, &WorkerProcess::readFrames);
    Connection::onDisconnected(m_socket, this, [this] { onSocketGone(); });
    if (m_heartbeatAllowance > 0ms)
        m_heartbeatTimer.start();
    emit connected();
    readFrames();
}

void WorkerProcess::startIdleClock(std::chrono::milliseconds timeout)
{
    if (timeout > 0ms)
        m_idleTimer.start(timeout);
    else
        m_idleTimer.stop();
}

qint64 WorkerProcess::residentBytes() const
{
    if (m_process.state() == QProcess::NotRunning)
        return 0;
    // /proc/PID/statm: size resident shared ... in pages.
    QFile statm(QStringLiteral("/proc/%1/statm").arg(pid()));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * ::sysconf(_SC_PAGESIZE) : 0;
}

void WorkerProcess::setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds allowance)
{
    m_heartbeatTimer.setInterval(interval);
    m_heartbeatAllowance = allowance;
    if (m_socket && allowance > 0ms)
        m_heartbeatTimer.start();
    else if (allowance <= 0ms)
        m_heartbeatTimer.stop();
}

bool WorkerProcess::sendFrame(QByteArrayView frame)
{
    if (frame.isEmpty())
        return false;
    if (m_socket && Connection::isConnected(m_socket))
        Connection::write(m_socket, frame);
    return true;
}

void WorkerProcess::signalGroup(int signal)
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    qCDebug(lcWorker) << "worker" << id() << "pid" << pid() << "gets" << signalName(signal);
    signalProcessGroup(pid(), signal);
}

void WorkerProcess::kill(const QString &reason)
{
    if (m_deathReason.isEmpty())
        m_deathReason = reason;
    qCWarning(lcWorker) << "killing worker" << id() << "pid" << pid() << ":" << reason;
    stopping();
    if (m_socket)
        Connection::abort(m_socket);
    signalGroup(SIGKILL);
}

void WorkerProcess::quit(std::chrono::milliseconds killAfter)
{
    if (m_quitting)
        return;
    m_quitting = true;
    stopping();
    m_heartbeatTimer.stop();
    if (m_socket && Connection::isConnected(m_socket)) {
        // send() flushes; the socket may be found closed (and dropped) in
        // the process, so m_socket is not touched after it.
        send(Wire::Quit{});
        m_killTimer.start(killAfter);
    } else {
        signalGroup(SIGKILL);
    }
}

void WorkerProcess::terminate(std::chrono::milliseconds killAfter)
{
    if (m_quitting && m_killTimer.isActive() && m_killTimer.remainingTime() <= int(killAfter.count())) {
        signalGroup(SIGTERM); // told to quit already: hurry it, keep the earlier deadline
        return;
    }
    m_quitting = true;
    stopping();
    m_heartbeatTimer.stop();
    signalGroup(SIGTERM);
    m_killTimer.start(killAfter);
}

void WorkerProcess::readFrames()
{
    if (!m_socket)
        return;
    m_reader.readFrom(m_socket);
    m_lastHeard.restart();
    const bool intact = m_reader.drain([this](const Wire::Received &message) {
        if (message.type != Wire::Type::Pong)
            emit messageReceived(message);
        return m_socket != nullptr; // a handler may have killed us
    });
    if (!intact)
        kill(QStringLiteral("protocol error: %1").arg(m_reader.errorString()));
}

void WorkerProcess::heartbeat()
{
    if (!m_socket)
        return;
    const std::chrono::milliseconds silent{m_lastHeard.elapsed()};
    if (silent > m_heartbeatAllowance) {
        kill(QStringLiteral("stopped answering heartbeats for %1 ms").arg(silent.count()));
        return;
    }
    send(Wire::Ping{qint64(++m_pingSerial)});
}

void WorkerProcess::onSocketGone()
{
    m_heartbeatTimer.stop();
    if (m_socket) {
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    if (m_process.state() != QProcess::NotRunning && !m_killTimer.isActive())
        m_killTimer.start(m_quitting ? m_killTimer.interval() : int(std::chrono::milliseconds(SocketGoneGrace).count()));
}

void WorkerProcess::readLastFrames()
{
    // The process may be reaped before its socket is read: what it wrote
    // just before it died (its last feedback, even its answer) is still in
    // the kernel. It is read now, so it comes before the death, not lost
    // with the connection.
    while (m_socket && Connection::isConnected(m_socket) && m_socket->waitForReadyRead(0)) {
    }
    readFrames();
}

void WorkerProcess::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    // Whatever its task started and left in its group dies with it, however
    // it ended (the worker ends its group itself when it can: this covers a
    // worker that was killed outright).
    killLeftoverGroup(pid());
    readLastFrames();
    readOutput(QProcess::StandardOutput, true);
    readOutput(QProcess::StandardError, true);
    QString text = workerEndText(status, exitCode, m_addressSpaceLimit, m_oomKillsAtStart, !m_deathReason.isEmpty());
    if (!m_everConnected && !m_recentErrors.isEmpty())
        text += QStringLiteral(" before connecting: ") + m_recentErrors.join(QLatin1String(" | "));
    finish(text);
}

void WorkerProcess::onProcessError(QProcess::ProcessError error)
{
    if (error == QProcess::FailedToStart)
        finish(QStringLiteral("failed to start %1: %2").arg(m_process.program(), m_process.errorString()));
}

void WorkerProcess::finish(const QString &status)
{
    if (m_finished)
        return;
    m_finished = true;
    m_handshakeTimer.stop();
    m_heartbeatTimer.stop();
    m_killTimer.stop();
    m_idleTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        Connection::abort(m_socket);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    qCDebug(lcWorker) << "worker" << id() << "pid" << pid() << status;
    emit finished(status);
}

} // namespace Drover::Internal
