#include "drover/manager.h"

#include "drover/taskqueue.h"
#include "locations.h"
#include "logging.h"
#include "manager_p.h"
#include "taskqueue_p.h"
#include "workerprocess.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRandomGenerator>
#include <QtNetwork/QLocalSocket>

#include <sys/resource.h>

namespace Drover {

namespace Internal {

namespace {
// Compares without an early exit, so timing does not tell how much matched.
bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    return raw.toHex();
}

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
    , m_secret(randomHex(32))
{
    raiseDescriptorLimit();
    // The socket is abstract (no file), so anyone on the machine may
    // connect: a connection is only accepted with the secret and from the
    // very process started for that worker id (SO_PEERCRED), and until then
    // the gate keeps it cheap.
    m_gate.isExpectedPid = [this](qint64 pid) { return isExpectedPid(pid); };
    connect(&m_listener, &WorkerListener::accepted, &m_gate, &HandshakeGate::admit);
    connect(&m_listener, &WorkerListener::outOfDescriptors, this, [this](bool *freed) {
        *freed = m_gate.dropOldestStranger(QStringLiteral("out of file descriptors"));
    });
    connect(&m_listener, &WorkerListener::trouble, this, [this](const QString &message) {
        qCWarning(lcManager).noquote() << message;
        emit this->q->errorOccurred(message);
    });
    connect(&m_gate, &HandshakeGate::helloArrived, this, &ManagerPrivate::checkHello);
    connect(&m_gate, &HandshakeGate::refused, this, [this](const QString &message) {
        emit this->q->protocolError(message);
    });
}

ManagerPrivate::~ManagerPrivate() = default;

bool ManagerPrivate::listen()
{
    if (m_listener.isListening())
        return true;
    // Named from randomness of its own: the name is public (/proc/net/unix).
    const QString name = QStringLiteral("drover-%1-%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(QString::fromLatin1(randomHex(8)));
    QString why;
    if (!m_listener.listen(name, &why)) {
        error = QStringLiteral("cannot listen on the local socket: %1").arg(why);
        return false;
    }
    m_serverName = Wire::AbstractPrefix + name;
    qCDebug(lcManager) << "listening on" << m_serverName;
    return true;
}

void ManagerPrivate::expectHello(WorkerProcess *worker, const QString &kind)
{
    m_expected.insert(worker->id(), {worker, kind});
}

void ManagerPrivate::forget(WorkerProcess *worker)
{
    m_expected.remove(worker->id());
}

bool ManagerPrivate::isExpectedPid(qint64 pid) const
{
    for (const Expected &expected : m_expected) {
        if (expected.worker && expected.worker->pid() == pid)
            return true;
    }
    return false;
}

void ManagerPrivate::refuse(int fd, const QString &reason, WorkerProcess *ours)
{
    m_gate.refuse(fd, reason);
    if (ours)
        ours->kill(QStringLiteral("handshake refused: %1").arg(reason));
}

void ManagerPrivate::checkHello(int fd, const Peer &peer, const QCborMap &hello)
{
    if (!sameSecret(hello.value(Wire::Key::Secret).toByteArray(), m_secret)) {
        refuse(fd, QStringLiteral("hello with a wrong secret"), nullptr);
        return;
    }
    const int id = int(Wire::integerOf(hello.value(Wire::Key::WorkerId), -1));
    const Expected expected = m_expected.value(id);
    WorkerProcess *worker = expected.worker.data();
    if (!worker) {
        // With the right secret, this is one of ours that was given up
        // (killed, timed out) before its hello came: no intruder.
        if (id > 0 && id < m_nextWorkerId) {
            m_gate.refuse(fd, QStringLiteral("worker %1 said hello after it was given up").arg(id), HandshakeGate::Quietly);
            return;
        }
        refuse(fd, QStringLiteral("hello from worker id %1, which this manager never started").arg(id), nullptr);
        return;
    }
    if (peer.pid != worker->pid()) {
        refuse(fd, QStringLiteral("hello for worker %1 from pid %2, which is not the process started for it (pid %3)")
                       .arg(id).arg(peer.pid).arg(worker->pid()), nullptr);
        return;
    }
    const qint64 version = Wire::integerOf(hello.value(Wire::Key::Version), -1);
    if (version != Wire::ProtocolVersion) {
        refuse(fd, QStringLiteral("worker %1 speaks protocol version %2; this manager speaks %3")
                       .arg(id).arg(version).arg(Wire::ProtocolVersion), worker);
        return;
    }
    const QString kind = hello.value(Wire::Key::Kind).toString();
    if (kind != expected.kind) {
        refuse(fd, QStringLiteral("worker %1 says it serves kind \"%2\", not \"%3\"").arg(id).arg(kind, expected.kind),
               worker);
        return;
    }
    m_expected.remove(id);
    qCDebug(lcManager) << "worker" << id << "pid" << peer.pid << "connected";
    Wire::FrameReader rest;
    QLocalSocket *socket = m_gate.release(fd, &rest); // ends the life of peer
    rest.setMaxFrameSize(maxFrameSize);
    worker->attach(socket, std::move(rest));
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
    for (auto &[kind, queue] : d->queues)
        queue->d->abandon(QStringLiteral("the manager was destroyed"));
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
    auto *queue = new TaskQueue(this, kind, taskKind, d->registry.find(kind)->file);
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
}

qint64 Manager::maxFrameSize() const
{
    return d->maxFrameSize;
}

void Manager::stop()
{
    for (auto &[kind, queue] : d->queues)
        queue->stop();
}

} // namespace Drover
