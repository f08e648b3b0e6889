#include "workerclient.h"

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
{
    m_performer = new Performer(m_kind, &m_state, [this](const QByteArray &frame) {
        QMetaObject::invokeMethod(this, [this, frame] {
            m_running = 0;
            m_state.endTask();
            sendFrame(frame);
        }, Qt::QueuedConnection);
    });
    m_performer->moveToThread(&m_computeThread);
    connect(&m_computeThread, &QThread::finished, m_performer, &QObject::deleteLater);
    m_computeThread.setObjectName(QStringLiteral("drover-compute"));
    m_computeThread.start();

    connect(&m_socket, &QLocalSocket::connected, this, [this] {
        QCborMap hello = Wire::message(Wire::Type::Hello);
        hello.insert(Wire::Key::Version, Wire::ProtocolVersion);
        hello.insert(Wire::Key::Kind, m_config.kind);
        hello.insert(Wire::Key::WorkerId, m_config.workerId);
        hello.insert(Wire::Key::Secret, m_config.secret);
        hello.insert(Wire::Key::Pid, qint64(::getpid()));
        send(hello);
    });
    connect(&m_socket, &QLocalSocket::readyRead, this, &WorkerClient::onReadyRead);
    // A worker without its master has nothing left to do: exit at once, even
    // in the middle of a task (the compute thread is not waited for).
    connect(&m_socket, &QLocalSocket::disconnected, this, [] { std::_Exit(0); });
    connect(&m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError error) {
        if (error != QLocalSocket::PeerClosedError)
            die(5, QStringLiteral("cannot talk to the manager at %1: %2").arg(m_config.server, m_socket.errorString()));
        std::_Exit(0);
    });
}

// What the compute thread sends: encoded there, written on the main thread.
WorkerState::Outbox WorkerClient::outbox()
{
    // Blocking: the frame is on the socket before sendFeedback() returns, so
    // the last words of a task that then crashes still reach the master.
    auto post = [this](Wire::Type type, TaskId task, const QCborValue &value, quint64 serial) {
        QCborMap message = Wire::message(type);
        message.insert(Wire::Key::Task, qint64(task));
        message.insert(Wire::Key::Body, value);
        if (serial)
            message.insert(Wire::Key::Serial, qint64(serial));
        const QByteArray frame = Wire::encodeFrame(message, Wire::DefaultMaxFrameSize);
        QMetaObject::invokeMethod(this, [this, frame] { sendFrame(frame); }, Qt::BlockingQueuedConnection);
    };
    WorkerState::Outbox box;
    box.feedback = [post](TaskId task, const QCborValue &value) { post(Wire::Type::Feedback, task, value, 0); };
    box.message = [post](TaskId task, const QCborValue &value) { post(Wire::Type::Message, task, value, 0); };
    box.ask = [post](TaskId task, quint64 serial, const QCborValue &question) {
        post(Wire::Type::Ask, task, question, serial);
    };
    return box;
}

WorkerClient::~WorkerClient()
{
    m_computeThread.quit();
    m_computeThread.wait();
}

void WorkerClient::start()
{
    Wire::connectToManager(&m_socket, m_config.server);
}

void WorkerClient::die(int code, const QString &why)
{
    std::fprintf(stderr, "drover-worker %d: %s\n", m_config.workerId, qPrintable(why));
    std::fflush(stderr);
    std::_Exit(code);
}

void WorkerClient::send(const QCborMap &message)
{
    sendFrame(Wire::encodeFrame(message, Wire::DefaultMaxFrameSize));
}

void WorkerClient::sendFrame(const QByteArray &frame)
{
    m_socket.write(frame);
    m_socket.flush();
}

void WorkerClient::onReadyRead()
{
    m_reader.addData(m_socket.readAll());
    QCborMap message;
    for (;;) {
        switch (m_reader.next(&message)) {
        case Wire::FrameReader::Status::NeedMore:
            return;
        case Wire::FrameReader::Status::Error:
            die(4, QStringLiteral("protocol error from the manager: %1").arg(m_reader.errorString()));
        case Wire::FrameReader::Status::Message:
            handle(message);
            break;
        }
    }
}

void WorkerClient::handle(const QCborMap &message)
{
    const Wire::Type type = Wire::typeOf(message);
    if (!m_welcomed && type != Wire::Type::Welcome)
        die(4, QStringLiteral("protocol error: \"%1\" before welcome").arg(Wire::typeName(type)));
    switch (type) {
    case Wire::Type::Welcome: {
        m_welcomed = true;
        m_performer->setMaxFrameSize(message.value(Wire::Key::MaxFrame).toInteger(Wire::DefaultMaxFrameSize));
        m_state.setEnvironment(message.value(Wire::Key::Init));
        const QCborArray standing = message.value(Wire::Key::Feedback).toArray();
        for (const QCborValue &value : standing)
            m_state.addForwarded(value);
        QMetaObject::invokeMethod(m_performer, &Performer::init, Qt::QueuedConnection);
        return;
    }
    case Wire::Type::Request: {
        const TaskId task = TaskId(message.value(Wire::Key::Task).toInteger());
        if (m_running != 0)
            die(4, QStringLiteral("protocol error: request for task %1 while task %2 runs").arg(task).arg(m_running));
        m_running = task;
        m_state.beginTask(task);
        const QCborValue request = message.value(Wire::Key::Body);
        const bool batch = message.value(Wire::Key::Batch).toBool();
        QMetaObject::invokeMethod(m_performer, [this, task, request, batch] { m_performer->perform(task, request, batch); },
                                  Qt::QueuedConnection);
        return;
    }
    case Wire::Type::Message:
        m_state.deliverMessage(TaskId(message.value(Wire::Key::Task).toInteger()), message.value(Wire::Key::Body));
        return;
    case Wire::Type::Answer:
        m_state.deliverAnswer(quint64(message.value(Wire::Key::Serial).toInteger()), message.value(Wire::Key::Body),
                              message.value(Wire::Key::Message).toString());
        return;
    case Wire::Type::Cancel:
        m_state.cancel(TaskId(message.value(Wire::Key::Task).toInteger()));
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
        send(pong);
        return;
    }
    case Wire::Type::Quit:
        m_socket.flush();
        if (m_running != 0)
            std::_Exit(0);
        QCoreApplication::exit(0);
        return;
    default:
        die(4, QStringLiteral("protocol error: a manager may not send \"%1\"").arg(Wire::typeName(type)));
    }
}
