#include "pool/workerpool.h"

#include "drover/taskkind.h"
#include "logging.h"
#include "manager_p.h"
#include "pool/workerprocess.h"
#include "transport/launcher.h"
#include "wire/auth.h"

#include <QtCore/QPointer>
#include <QtCore/QIODevice>

#include <csignal>

namespace Drover::Internal {

WorkerPool::WorkerPool(ManagerPrivate *manager, const QString &kind, TaskKind *taskKind, const QString &pluginFile,
                       QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_kind(kind)
    , m_taskKind(taskKind)
    , m_pluginFile(pluginFile)
{
    m_environment = QProcessEnvironment::systemEnvironment();
    m_environment.insert(QLatin1String(Wire::EnvServer), manager->admission.serverName());
    m_environment.insert(QLatin1String(Wire::EnvKind), kind);
    m_environment.insert(QLatin1String(Wire::EnvPlugin), pluginFile);
    for (const QString &assignment : taskKind->extraEnvironment()) {
        const qsizetype eq = assignment.indexOf(QLatin1Char('='));
        if (eq > 0)
            m_environment.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
}

WorkerPool::~WorkerPool()
{
    terminateAll();
}

WorkerProcess *WorkerPool::worker(int id) const
{
    auto it = m_workers.find(id);
    return it == m_workers.end() ? nullptr : it->second;
}

int WorkerPool::liveCount() const
{
    return int(std::count_if(m_workers.begin(), m_workers.end(),
                             [](const auto &entry) { return !entry.second->isQuitting(); }));
}

WorkerProcess *WorkerPool::spawn()
{
    const int id = m_manager->nextWorkerId();
    auto *w = new WorkerProcess(id, m_manager->maxFrameSize, this);
    w->setHeartbeat(settings.heartbeatInterval, settings.heartbeatAllowance);
    w->setHandshakeTimeout(settings.handshakeTimeout);
    connect(w, &WorkerProcess::connected, this, [this, w] { emit workerConnected(w); });
    connect(w, &WorkerProcess::messageReceived, this,
            [this, w](const Wire::Received &m) { emit messageReceived(w, m); });
    connect(w, &WorkerProcess::idleTooLong, this, [this, w] { emit idleTooLong(w); });
    connect(w, &WorkerProcess::killTimedOut, this, [this, id] { emit killTimedOut(id); });
    connect(w, &WorkerProcess::outputLine, this,
            [this, id](const QString &line, QProcess::ProcessChannel channel) { emit outputLine(id, line, channel); });
    // Queued: a process that fails to start may say so from inside start().
    connect(w, &WorkerProcess::finished, this, [this, w](const QString &status) { onFinished(w, status); },
            Qt::QueuedConnection);
    m_workers.emplace(id, w);

    // The admission hands the worker its connection once its hello checks
    // out; the pool, not the manager, knows the process.
    QPointer<WorkerProcess> guard(w);
    WorkerAdmission::Expectation expected;
    expected.kind = m_kind;
    expected.pid = [guard] { return guard ? guard->pid() : qint64(-1); };
    expected.admit = [guard](QIODevice *socket, Wire::FrameReader rest) {
        if (guard)
            guard->attach(socket, std::move(rest));
        else
            delete socket;
    };
    expected.refuse = [guard](const QString &why) {
        if (guard)
            guard->kill(QStringLiteral("handshake refused: %1").arg(why));
    };
    if (!m_manager->launcher.isNull()) {
        if (m_pluginBuild.isEmpty())
            m_pluginBuild = Wire::Auth::buildIdOf(m_pluginFile);
        expected.remote = true;
        expected.workerBuild = m_manager->workerBuild();
        expected.pluginBuild = m_pluginBuild;
        expected.pluginFile = m_pluginFile;
    }
    m_manager->admission.expect(id, std::move(expected));
    if (!m_manager->launcher.isNull()) {
        startRemote(w);
        return w;
    }

    QProcessEnvironment env = m_environment;
    env.insert(QLatin1String(Wire::EnvWorkerId), QString::number(id));
    // The token server's jobserver, for the builds a task starts.
    if (const TokenSource *source = m_manager->jobSlots.source()) {
        if (const TokenSource::ChildJobserver jobserver = source->childJobserver(); !jobserver.fifo.isEmpty()) {
            env.insert(QLatin1String(Wire::EnvJobserverFifo), jobserver.fifo);
            env.insert(QLatin1String(Wire::EnvJobserverSlots), QString::number(jobserver.jobs));
        }
    }
    w->start(m_manager->workerProgram, m_taskKind->extraArguments(), env,
             {settings.addressSpaceLimit, qint64(settings.cpuTimeLimit.count())}, m_manager->admission.secret());
    qCDebug(lcQueue).noquote() << m_kind << ": started worker" << id << "pid" << w->pid();
    return w;
}

void WorkerPool::startRemote(WorkerProcess *w)
{
    Launcher::Setup setup;
    setup.server = m_manager->remoteServer();
    setup.fingerprint = m_manager->admission.fingerprint();
    setup.secret = m_manager->admission.secret();
    setup.workerId = w->id();
    setup.kind = m_kind;
    setup.pluginFile = m_pluginFile;
    setup.extraEnvironment = m_taskKind->extraEnvironment();
    QStringList command = m_manager->launcher.command(m_manager->workerProgram, m_taskKind->extraArguments());
    const QString program = command.takeFirst();
    w->startThrough(program, command, Launcher::environment(QProcessEnvironment::systemEnvironment()),
                    Launcher::setupText(setup));
    qCDebug(lcQueue).noquote() << m_kind << ": launched remote worker" << w->id() << "through pid" << w->pid();
}

void WorkerPool::retire(WorkerProcess *w)
{
    m_manager->admission.forget(w->id());
    w->quit(settings.quitTimeout);
}

void WorkerPool::terminate(WorkerProcess *w)
{
    m_manager->admission.forget(w->id());
    w->terminate(settings.quitTimeout);
}

QString WorkerPool::recycleReason(const WorkerProcess *w) const
{
    const int done = w->info().tasksDone;
    if (settings.maxTasksPerWorker > 0 && done >= settings.maxTasksPerWorker)
        return QStringLiteral("after %1 tasks").arg(done);
    if (settings.memoryCeiling > 0) {
        const qint64 rss = w->residentBytes();
        if (rss > settings.memoryCeiling)
            return QStringLiteral("using %1 bytes, above the ceiling of %2").arg(rss).arg(settings.memoryCeiling);
    }
    return {};
}

void WorkerPool::setHeartbeat(std::chrono::milliseconds interval, std::chrono::milliseconds allowance)
{
    settings.heartbeatInterval = interval;
    settings.heartbeatAllowance = allowance;
    for (const auto &[id, w] : m_workers)
        w->setHeartbeat(interval, allowance);
}

void WorkerPool::onFinished(WorkerProcess *w, const QString &status)
{
    m_workers.erase(w->id());
    m_manager->admission.forget(w->id());
    emit workerFinished(w, status);
    w->deleteLater();
}

void WorkerPool::terminateAll()
{
    std::map<int, WorkerProcess *> doomed;
    doomed.swap(m_workers);
    for (const auto &[id, w] : doomed) {
        w->disconnect(this);
        m_manager->admission.forget(id);
        w->signalGroup(SIGTERM);
    }
    for (const auto &[id, w] : doomed)
        delete w; // reaps it (WorkerProcess::~WorkerProcess)
}

} // namespace Drover::Internal
