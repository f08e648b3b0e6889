#include "workerclient.h"

#include "descendants.h"

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
    WorkerState::Outbox box;
    box.feedback = [this](TaskId task, const QCborValue &value) {
        m_link.send(Wire::Type::Feedback, qint64(task), value);
    };
    box.message = [this](TaskId task, const QCborValue &value) {
        m_link.send(Wire::Type::Message, qint64(task), value);
    };
    box.ask = [this](TaskId task, quint64 serial, const QCborValue &question) {
        QCborMap ask = Wire::message(Wire::Type::Ask);
        ask.insert(Wire::Key::Task, qint64(task));
        ask.insert(Wire::Key::Body, question);
        ask.insert(Wire::Key::Serial, qint64(serial));
        m_link.send(ask);
    };
    return box;
}

WorkerClient::~WorkerClient() = default;

void WorkerClient::start()
{
    QString error;
    if (!m_link.connectTo(m_config.server, &error))
        die(5, QStringLiteral("cannot talk to the manager at %1: %2").arg(m_config.server, error));
    QCborMap hello = Wire::message(Wire::Type::Hello);
    hello.insert(Wire::Key::Version, Wire::ProtocolVersion);
    hello.insert(Wire::Key::Kind, m_config.kind);
    hello.insert(Wire::Key::WorkerId, m_config.workerId);
    hello.insert(Wire::Key::Secret, m_config.secret);
    hello.insert(Wire::Key::Pid, qint64(::getpid()));
    m_link.send(hello);
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
    QCborMap message;
    Wire::Type type = Wire::Type::Unknown;
    for (;;) {
        switch (m_reader.next(&message, &type)) {
        case Wire::FrameReader::Status::NeedMore:
            return;
        case Wire::FrameReader::Status::Error:
            die(4, QStringLiteral("protocol error from the manager: %1").arg(m_reader.errorString()));
        case Wire::FrameReader::Status::Message:
            handle(type, message);
            break;
        }
    }
}

void WorkerClient::welcome(const QCborMap &message)
{
    m_welcomed = true;
    m_link.setMaxFrameSize(Wire::integerOf(message.value(Wire::Key::MaxFrame), Wire::DefaultMaxFrameSize));
    m_state.setEnvironment(message.value(Wire::Key::Init));
    const QCborArray standing = message.value(Wire::Key::Feedback).toArray();
    for (const QCborValue &value : standing)
        m_state.addForwarded(value);
    m_performer->postInit();
}

void WorkerClient::handle(Wire::Type type, const QCborMap &message)
{
    if (!m_welcomed && type != Wire::Type::Welcome)
        die(4, QStringLiteral("protocol error: \"%1\" before welcome").arg(Wire::typeName(type)));
    switch (type) {
    case Wire::Type::Welcome:
        welcome(message);
        return;
    case Wire::Type::Request: {
        const TaskId task = TaskId(Wire::integerOf(message.value(Wire::Key::Task)));
        if (const TaskId running = m_state.currentTask())
            die(4, QStringLiteral("protocol error: request for task %1 while task %2 runs").arg(task).arg(running));
        m_state.beginTask(task);
        m_performer->postTask(task, message.value(Wire::Key::Body), message.value(Wire::Key::Batch).toBool());
        return;
    }
    case Wire::Type::Message:
        m_state.deliverMessage(TaskId(Wire::integerOf(message.value(Wire::Key::Task))), message.value(Wire::Key::Body));
        return;
    case Wire::Type::Answer:
        m_state.deliverAnswer(quint64(Wire::integerOf(message.value(Wire::Key::Serial))), message.value(Wire::Key::Body),
                              message.value(Wire::Key::Message).toString());
        return;
    case Wire::Type::Cancel:
        m_state.cancel(TaskId(Wire::integerOf(message.value(Wire::Key::Task))));
        return;
    case Wire::Type::Broadcast:
        if (message.value(Wire::Key::Clear).toBool())
            m_state.clearForwarded();
        else
            m_state.addForwarded(message.value(Wire::Key::Body));
        return;
    case Wire::Type::Ping: {
        QCborMap pong = Wire::message(Wire::Type::Pong);
        pong.insert(Wire::Key::Serial, message.value(Wire::Key::Serial));
        m_link.send(pong);
        return;
    }
    case Wire::Type::Quit:
        // Frames are written whole as they are sent: nothing is left to flush.
        if (m_state.currentTask() != 0)
            Descendants::exitAfterEndingAll(0);
        QCoreApplication::exit(0);
        return;
    default:
        die(4, QStringLiteral("protocol error: a manager may not send \"%1\"").arg(Wire::typeName(type)));
    }
}
