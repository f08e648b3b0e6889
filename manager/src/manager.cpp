#include "drover/manager.h"

#include "drover/taskqueue.h"
#include "locations.h"
#include "logging.h"
#include "manager_p.h"
#include "taskqueue_p.h"
#include "workerprocess.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtNetwork/QLocalSocket>

#include <sys/socket.h>

using namespace std::chrono_literals;

namespace Drover {

namespace Internal {

namespace {
constexpr auto HelloTimeout = 10s;

qint64 peerPid(QLocalSocket *socket)
{
    ucred credentials{};
    socklen_t length = sizeof credentials;
    if (::getsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
        return -1;
    return credentials.pid;
}

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
} // namespace

ManagerPrivate::ManagerPrivate(Manager *q)
    : q(q)
    , defaultPaths(defaultPluginPaths())
    , workerProgram(defaultWorkerProgram())
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    m_secret = raw.toHex();
    // An abstract socket: no file exists, so none is left behind even when the
    // master is SIGKILLed. Anyone on the machine may connect, so a connection
    // is only accepted with the secret and from the very process started for
    // that worker id (SO_PEERCRED).
    m_server.setSocketOptions(QLocalServer::AbstractNamespaceOption);
    connect(&m_server, &QLocalServer::newConnection, this, &ManagerPrivate::onNewConnection);
}

ManagerPrivate::~ManagerPrivate()
{
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
        it.key()->disconnect(this);
        it.key()->abort();
        delete it.key();
    }
    m_server.close();
}

bool ManagerPrivate::listen()
{
    if (m_server.isListening())
        return true;
    const QString name = QStringLiteral("drover-%1-%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(QString::fromLatin1(m_secret.left(12)));
    if (!m_server.listen(name)) {
        error = QStringLiteral("cannot listen on the local socket %1: %2").arg(name, m_server.errorString());
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

void ManagerPrivate::onNewConnection()
{
    while (QLocalSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(nullptr);
        auto *timer = new QTimer(socket);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, socket] {
            refuse(socket, QStringLiteral("no hello within %1 ms").arg(std::chrono::milliseconds(HelloTimeout).count()));
        });
        timer->start(HelloTimeout);
        m_pending.insert(socket, {Wire::FrameReader(maxFrameSize), timer});
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readHello(socket); });
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] { dropPending(socket); });
        if (socket->bytesAvailable() > 0)
            readHello(socket);
    }
}

void ManagerPrivate::dropPending(QLocalSocket *socket)
{
    if (m_pending.remove(socket)) {
        socket->disconnect(this);
        socket->deleteLater();
    }
}

void ManagerPrivate::refuse(QLocalSocket *socket, const QString &reason, WorkerProcess *ours)
{
    const QString message = QStringLiteral("refused a worker connection: %1").arg(reason);
    qCWarning(lcWire).noquote() << message;
    emit q->protocolError(message);
    if (ours)
        ours->kill(QStringLiteral("handshake refused: %1").arg(reason));
    socket->disconnect(this);
    m_pending.remove(socket);
    socket->abort();
    socket->deleteLater();
}

void ManagerPrivate::readHello(QLocalSocket *socket)
{
    auto it = m_pending.find(socket);
    if (it == m_pending.end())
        return;
    Wire::FrameReader &reader = it->reader;
    reader.addData(socket->readAll());
    QCborMap hello;
    switch (reader.next(&hello)) {
    case Wire::FrameReader::Status::NeedMore:
        return;
    case Wire::FrameReader::Status::Error:
        refuse(socket, reader.errorString());
        return;
    case Wire::FrameReader::Status::Message:
        break;
    }
    if (Wire::typeOf(hello) != Wire::Type::Hello) {
        refuse(socket, QStringLiteral("first message is \"%1\", not hello").arg(Wire::typeName(Wire::typeOf(hello))));
        return;
    }
    if (!sameSecret(hello.value(Wire::Key::Secret).toByteArray(), m_secret)) {
        refuse(socket, QStringLiteral("hello with a wrong secret"));
        return;
    }
    const int id = int(hello.value(Wire::Key::WorkerId).toInteger(-1));
    const Expected expected = m_expected.value(id);
    WorkerProcess *worker = expected.worker.data();
    if (!worker) {
        refuse(socket, QStringLiteral("hello from worker id %1, which this manager is not waiting for").arg(id));
        return;
    }
    const qint64 pid = peerPid(socket);
    if (pid != worker->pid()) {
        refuse(socket, QStringLiteral("hello for worker %1 from pid %2, which is not the process started for it (pid %3)")
                           .arg(id).arg(pid).arg(worker->pid()));
        return;
    }
    const qint64 version = hello.value(Wire::Key::Version).toInteger(-1);
    if (version != Wire::ProtocolVersion) {
        refuse(socket, QStringLiteral("worker %1 speaks protocol version %2; this manager speaks %3")
                           .arg(id).arg(version).arg(Wire::ProtocolVersion), worker);
        return;
    }
    const QString kind = hello.value(Wire::Key::Kind).toString();
    if (kind != expected.kind) {
        refuse(socket, QStringLiteral("worker %1 says it serves kind \"%2\", not \"%3\"").arg(id).arg(kind, expected.kind),
               worker);
        return;
    }
    m_expected.remove(id);
    Wire::FrameReader rest = std::move(it->reader);
    delete it->timer;
    m_pending.erase(it);
    socket->disconnect(this);
    qCDebug(lcManager) << "worker" << id << "pid" << pid << "connected";
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
