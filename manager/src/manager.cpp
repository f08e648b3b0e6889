#include "drover/manager.h"

#include "drover/taskqueue.h"
#include "plugins/locations.h"
#include "logging.h"
#include "manager_p.h"
#include "slots/slotsetup.h"

#include "wire/auth.h"

#include <QtCore/QCoreApplication>
#include <QtNetwork/QHostAddress>

#include <sys/resource.h>

namespace Drover {

namespace Internal {

namespace {
// As servers do: a master holds a socket per worker and per connection
// being checked, so it may use every descriptor its hard limit allows.
void raiseDescriptorLimit()
{
    static const bool raised = [] {
        rlimit limit{};
        if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
            const rlim_t before = limit.rlim_cur;
            limit.rlim_cur = limit.rlim_max;
            if (::setrlimit(RLIMIT_NOFILE, &limit) == 0)
                qCDebug(lcManager) << "raised the file descriptor limit from" << before << "to" << limit.rlim_cur;
        }
        return true;
    }();
    Q_UNUSED(raised);
}
} // namespace

ManagerPrivate::ManagerPrivate(Manager *q)
    : q(q)
    , defaultPaths(defaultPluginPaths())
    , workerProgram(defaultWorkerProgram())
{
    raiseDescriptorLimit();
    jobSlots.setSource(tokenSourceFromEnvironment());
    connect(&admission, &WorkerAdmission::trouble, q, &Manager::errorOccurred);
    connect(&admission, &WorkerAdmission::protocolError, q, &Manager::protocolError);
}

ManagerPrivate::~ManagerPrivate() = default;

bool ManagerPrivate::listen()
{
    QString why;
    if (admission.listen(&why))
        return true;
    error = QStringLiteral("cannot listen on the local socket: %1").arg(why);
    return false;
}

QString ManagerPrivate::remoteServer() const
{
    return (admission.isTcpEncrypted() ? Wire::TlsPrefix : Wire::TcpPrefix) + q->remoteAddress();
}

QString ManagerPrivate::workerBuild()
{
    if (workerBuildOf[0] != workerProgram) {
        workerBuildOf[0] = workerProgram;
        workerBuildOf[1] = Wire::Auth::buildIdOf(workerProgram);
    }
    return workerBuildOf[1];
}

} // namespace Internal

Manager::Manager(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Internal::ManagerPrivate>(this))
{
    qRegisterMetaType<Drover::TaskResult>();
    qRegisterMetaType<Drover::TaskId>("Drover::TaskId");
}

Manager::~Manager()
{
    // Queues first: they kill and reap their workers and report the outcome
    // of every task still alive, while the manager's state is intact.
    d->destroying = true;
    d->queues.clear();
}

void Manager::addPluginPath(const QString &directory)
{
    d->addedPaths.append(directory);
}

QStringList Manager::pluginPaths() const
{
    return d->addedPaths + d->defaultPaths;
}

QStringList Manager::availableKinds() const
{
    d->registry.scan(pluginPaths());
    QStringList kinds;
    for (const auto &entry : d->registry.entries())
        kinds << entry.kind;
    return kinds;
}

QList<PluginError> Manager::pluginErrors() const
{
    d->registry.scan(pluginPaths());
    return d->registry.errors();
}

TaskQueue *Manager::queue(const QString &kind)
{
    if (auto it = d->queues.find(kind); it != d->queues.end())
        return it->second.get();
    d->registry.scan(pluginPaths());
    QString error;
    TaskKind *taskKind = d->registry.load(kind, &error);
    if (!taskKind) {
        d->error = error;
        qCWarning(Internal::lcManager).noquote() << error;
        return nullptr;
    }
    if (!d->listen())
        return nullptr;
    const Internal::PluginRegistry::Entry *entry = d->registry.find(kind);
    auto *queue = new TaskQueue(this, kind, taskKind, entry->file);
    queue->setPrefetch(entry->prefetch); // the kind's own say (docs/plugins.md)
    d->queues.emplace(kind, std::unique_ptr<TaskQueue>(queue));
    return queue;
}

QString Manager::errorString() const
{
    return d->error;
}

void Manager::setWorkerProgram(const QString &program)
{
    d->workerProgram = program;
}

QString Manager::workerProgram() const
{
    return d->workerProgram;
}

void Manager::setMaxFrameSize(qint64 bytes)
{
    d->maxFrameSize = bytes;
    d->admission.setMaxFrameSize(bytes);
}

qint64 Manager::maxFrameSize() const
{
    return d->maxFrameSize;
}

bool Manager::setJobsCap(int cap)
{
    if (cap < 0 || cap > 4096) {
        d->error = QStringLiteral("a jobs cap of %1: it must be 0 (none) to 4096").arg(cap);
        return false;
    }
    if (cap == 0) {
        d->jobSlots.setSource(nullptr);
        return true;
    }
    QString error;
    std::unique_ptr<Internal::TokenSource> source = Internal::tokenServerSource(cap, &error);
    d->jobSlots.setSource(std::move(source));
    if (!d->jobSlots.source()) {
        d->error = error;
        return false;
    }
    return true;
}

bool Manager::setRemoteWorkers(const QString &listen, const QString &launcher, const QString &connectAddress)
{
    const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = listen.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host);
    if (!portOk || port > 65535 || address.isNull()) {
        d->error = QStringLiteral("\"%1\" is not an address to listen on (HOST:PORT, HOST a numeric address)").arg(listen);
        return false;
    }
    QString error;
    const Internal::Launcher parsed = Internal::Launcher::parse(launcher, &error);
    const bool tls = !address.isLoopback() || d->tlsOnLoopback;
    if (parsed.isNull() || !d->admission.listenTcp(address, quint16(port), tls, &error)) {
        d->error = error;
        return false;
    }
    d->launcher = parsed;
    d->remoteHost = connectAddress.isEmpty() ? address.toString() : connectAddress;
    return true;
}

void Manager::setTlsOnLoopback(bool on)
{
    d->tlsOnLoopback = on;
}

bool Manager::isRemoteEncrypted() const
{
    return d->admission.isListeningTcp() && d->admission.isTcpEncrypted();
}

QString Manager::remoteAddress() const
{
    if (!d->admission.isListeningTcp())
        return {};
    const QString &to = d->remoteHost;
    const bool hasPort = to.startsWith(QLatin1Char('[')) ? to.contains(QLatin1String("]:")) : to.count(QLatin1Char(':')) == 1;
    if (hasPort)
        return to;
    const bool bracket = to.contains(QLatin1Char(':'));
    return (bracket ? QLatin1Char('[') + to + QLatin1Char(']') : to) + QLatin1Char(':')
        + QString::number(d->admission.tcpPort());
}

void Manager::stop()
{
    for (auto &[kind, queue] : d->queues)
        queue->stop();
}

} // namespace Drover
