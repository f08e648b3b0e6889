#include "workerclient.h"

#include "descendants.h"
#include "wire/auth.h"

#include "drover/taskkind.h"

#include <QtCore/QCborArray>
#include <QtCore/QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace Drover;
namespace Wire = Drover::Internal::Wire;

WorkerClient::WorkerClient(TaskKind *kind, Config config)
    : m_kind(kind)
    , m_config(std::move(config))
    , m_state(m_config.workerId, outbox())
    , m_performer(std::make_unique<Performer>(m_kind, &m_state, &m_link))
{
    m_performer->start();
    connect(&m_link, &ManagerLink::readable, this, &WorkerClient::onReadable);
}

// What perform() sends goes out from the compute thread, whole, before the
// call returns: the last words of a task that then crashes reach the master.
WorkerState::Outbox WorkerClient::outbox()
{
    // Nothing too large is dropped in silence: each says why it was not sent.
    const auto tooLarge = [this](const char *what) {
        return QStringLiteral("%1 exceeds the frame limit of %2 bytes").arg(QLatin1String(what)).arg(m_link.maxFrameSize());
    };
    WorkerState::Outbox box;
    box.feedback = [this, tooLarge](TaskId task, const QCborValue &value) {
        return m_link.send(Wire::Feedback{qint64(task), value}) ? QString() : tooLarge("feedback");
    };
    box.message = [this, tooLarge](TaskId task, const QCborValue &value) {
        return m_link.send(Wire::Message{qint64(task), value}) ? QString() : tooLarge("a message to the master");
    };
    box.ask = [this, tooLarge](TaskId task, quint64 serial, const QCborValue &question) {
        return m_link.send(Wire::Ask{qint64(task), qint64(serial), question}) ? QString()
                                                                              : tooLarge("the question");
    };
    box.unsent = [this](const QString &why) { m_link.send(Wire::Error{0, Wire::Error::Kind::Marshal, why}); };
    return box;
}

WorkerClient::~WorkerClient() = default;

void WorkerClient::start()
{
    QString error;
    if (!m_link.connectTo(m_config.server, m_config.fingerprint, &error))
        die(5, QStringLiteral("cannot talk to the manager at %1: %2").arg(m_config.server, error));
    // Over TCP the manager speaks first (a challenge): authenticate().
    m_remote = m_config.server.startsWith(Wire::TlsPrefix) || m_config.server.startsWith(Wire::TcpPrefix);
    if (!m_remote)
        m_link.send(hello());
}

Wire::Hello WorkerClient::hello() const
{
    Wire::Hello hello;
    hello.version = Wire::ProtocolVersion;
    hello.kind = m_config.kind;
    hello.workerId = m_config.workerId;
    hello.secret = m_config.secret;
    hello.pid = qint64(::getpid());
    return hello;
}

void WorkerClient::authenticate(const Wire::Received &message)
{
    namespace Auth = Wire::Auth;
    if (m_managerNonce.isEmpty()) {
        if (message.type != Wire::Type::Challenge)
            die(4, QStringLiteral("protocol error: \"%1\" before the challenge").arg(Wire::typeName(message.type)));
        m_managerNonce = Wire::decode<Wire::Challenge>(message).nonce;
        if (m_managerNonce.size() != Auth::NonceSize)
            die(4, QStringLiteral("protocol error: a challenge of %1 bytes").arg(m_managerNonce.size()));
        m_nonce = Auth::nonce();
        Wire::Hello hello = this->hello();
        hello.secret.clear();
        hello.nonce = m_nonce;
        hello.proof = Auth::proof(Auth::Worker, m_config.secret, m_managerNonce, m_nonce, m_config.workerId);
        hello.build = Auth::buildIdOf(QStringLiteral("/proc/self/exe"));
        hello.pluginBuild = Auth::buildIdOf(m_config.pluginFile);
        m_link.send(hello);
        return;
    }
    // Whoever answers must hold the secret too, or it is not our manager.
    const QByteArray expected = Auth::proof(Auth::Manager, m_config.secret, m_managerNonce, m_nonce, m_config.workerId);
    if (message.type != Wire::Type::Proof || !Auth::sameBytes(Wire::decode<Wire::Proof>(message).proof, expected))
        die(4, QStringLiteral("the manager did not prove that it holds the secret (sent \"%1\")").arg(Wire::typeName(message.type)));
    m_remote = false; // authenticated: the welcome comes next
    m_config.secret.fill('\0');
}

void WorkerClient::die(int code, const QString &why)
{
    std::fprintf(stderr, "drover-worker %d: %s\n", m_config.workerId, qPrintable(why));
    std::fflush(stderr);
    Descendants::exitAfterEndingAll(code);
}

void WorkerClient::onReadable()
{
    // A worker without its master has nothing left to do: exit at once, even
    // in the middle of a task (the compute thread is not waited for).
    if (!m_link.readInto(&m_reader))
        Descendants::exitAfterEndingAll(0);
    const bool intact = m_reader.drain([this](const Wire::Received &message) {
        handle(message);
        return true;
    });
    if (!intact)
        die(4, QStringLiteral("protocol error from the manager: %1").arg(m_reader.errorString()));
}

void WorkerClient::welcome(const Wire::Welcome &welcome)
{
    m_welcomed = true;
    m_link.setMaxFrameSize(welcome.maxFrame);
    m_state.setEnvironment(welcome.init);
    for (const QCborValue &value : welcome.feedback)
        m_state.addForwarded(value);
    m_performer->postInit();
}

void WorkerClient::handle(const Wire::Received &message)
{
    const Wire::Type type = message.type;
    if (!message.bodyError.isEmpty())
        die(4, QStringLiteral("protocol error from the manager: %1").arg(message.bodyError));
    if (m_remote) {
        authenticate(message);
        return;
    }
    if (!m_welcomed && type != Wire::Type::Welcome)
        die(4, QStringLiteral("protocol error: \"%1\" before welcome").arg(Wire::typeName(type)));
    switch (type) {
    case Wire::Type::Welcome:
        welcome(Wire::decode<Wire::Welcome>(message));
        return;
    case Wire::Type::Request: {
        const Wire::Request request = Wire::decode<Wire::Request>(message);
        const TaskId task = TaskId(request.task);
        // One task runs and one may wait behind it (prefetch).
        if (!m_state.receive(task))
            die(4, QStringLiteral("protocol error: request for task %1 while two tasks are unanswered").arg(task));
        m_performer->postTask(task, request.body, request.batch);
        return;
    }
    case Wire::Type::Withdraw: {
        // A held request not begun yet goes back; one that began runs on.
        // Either way the answer follows that of the task before it, since
        // the compute thread takes the next task only after answering.
        const TaskId task = TaskId(Wire::decode<Wire::Withdraw>(message).task);
        const bool taken = m_performer->withdraw(task);
        if (taken)
            m_state.dropWaiting(task);
        m_link.send(Wire::Withdrawn{qint64(task), taken});
        return;
    }
    case Wire::Type::Message: {
        const Wire::Message delivered = Wire::decode<Wire::Message>(message);
        m_state.deliverMessage(TaskId(delivered.task), delivered.body);
        return;
    }
    case Wire::Type::Answer: {
        const Wire::Answer answer = Wire::decode<Wire::Answer>(message);
        m_state.deliverAnswer(quint64(answer.serial), answer.body, answer.error);
        return;
    }
    case Wire::Type::Cancel:
        m_state.cancel(TaskId(Wire::decode<Wire::Cancel>(message).task));
        return;
    case Wire::Type::Broadcast: {
        const Wire::Broadcast broadcast = Wire::decode<Wire::Broadcast>(message);
        if (broadcast.clear)
            m_state.clearForwarded();
        else
            m_state.addForwarded(broadcast.body);
        return;
    }
    case Wire::Type::Ping:
        m_link.send(Wire::Pong{Wire::decode<Wire::Ping>(message).serial});
        return;
    case Wire::Type::Quit:
        // Frames are written whole as they are sent: nothing is left to flush.
        if (m_state.hasTasks())
            Descendants::exitAfterEndingAll(0);
        QCoreApplication::exit(0);
        return;
    default:
        die(4, QStringLiteral("protocol error: a manager may not send \"%1\"").arg(Wire::typeName(type)));
    }
}
