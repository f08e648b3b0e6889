// What the manager and the worker read from each message they receive (see
// receivers.h): the same accessors on the same keys, with the values kept in
// a sink so that nothing is optimised away. Undefined behaviour in any of
// them (UBSan) is a crash of the fuzz target, as it would be a fault of the
// real receiver.

#include "receivers.h"

#include "check.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QString>

namespace FuzzReceivers {

namespace {

namespace Key = Wire::Key;

volatile quint64 g_sink = 0;

void keep(qint64 value) { g_sink = g_sink * 31 + quint64(value); }
void keep(bool value) { keep(qint64(value)); }
void keep(const QString &text) { keep(qint64(text.size())); }
void keep(const QByteArray &bytes) { keep(qint64(bytes.size())); }
void keep(const QCborValue &value) { keep(qint64(value.type())); }

// TaskId is an unsigned 64-bit integer in the public API.
using TaskId = quint64;

// What the receivers call on an integer field (wire.h): never
// QCborValue::toInteger() on a double a peer sent, which was undefined
// behaviour for NaN (found by this target; the reproducers are seeds now).
qint64 toInteger(const QCborValue &value, qint64 defaultValue = 0)
{
    return Wire::integerOf(value, defaultValue);
}

void managerHandshake(Wire::Type type, const QCborMap &hello)
{
    // HandshakeGate::read(), then ManagerPrivate::checkHello().
    if (type != Wire::Type::Hello) {
        keep(QStringLiteral("first message is \"%1\", not hello").arg(Wire::typeName(type)));
        return;
    }
    keep(hello.value(Key::Secret).toByteArray());
    const int id = int(toInteger(hello.value(Key::WorkerId), -1));
    keep(QStringLiteral("hello from worker id %1, which this manager never started").arg(id));
    const qint64 version = toInteger(hello.value(Key::Version), -1);
    keep(QStringLiteral("worker %1 speaks protocol version %2; this manager speaks %3")
             .arg(id).arg(version).arg(Wire::ProtocolVersion));
    const QString kind = hello.value(Key::Kind).toString();
    keep(QStringLiteral("worker %1 says it serves kind \"%2\", not \"%3\"").arg(id).arg(kind, QStringLiteral("k")));
}

void managerTaskAnswer(const QCborMap &message, bool isResponse)
{
    // TaskQueuePrivate::onTaskAnswer().
    const TaskId id = TaskId(toInteger(message.value(Key::Task)));
    keep(QStringLiteral("protocol error: answer for task %1 while running task %2").arg(id).arg(0));
    if (!isResponse) {
        const QString text = message.value(Key::Message).toString();
        keep(text);
        keep(message.value(Key::ErrorKind).toString() == Wire::ErrorMarshal);
    } else {
        keep(message.value(Key::Body));
    }
}

void managerAsk(const QCborMap &message)
{
    // TaskQueuePrivate::onAsk(), and the answer it sends back.
    const qint64 serial = toInteger(message.value(Key::Serial));
    keep(message.value(Key::Body));
    keep(qint64(TaskId(toInteger(message.value(Key::Task)))));
    QCborMap reply = Wire::message(Wire::Type::Answer);
    reply.insert(Key::Serial, serial);
    reply.insert(Key::Body, message.value(Key::Body));
    const QByteArray frame = Wire::encodeFrame(reply);
    FUZZ_REQUIRE(!frame.isEmpty(), "the answer to a decoded question does not encode");
}

void workerWelcome(const QCborMap &message)
{
    // WorkerClient::welcome().
    keep(toInteger(message.value(Key::MaxFrame), Wire::DefaultMaxFrameSize));
    keep(message.value(Key::Init));
    const QCborArray standing = message.value(Key::Feedback).toArray();
    for (const QCborValue &value : standing)
        keep(value);
}

void workerPing(const QCborMap &message)
{
    QCborMap pong = Wire::message(Wire::Type::Pong);
    pong.insert(Key::Serial, message.value(Key::Serial));
    static Wire::FrameWriter writer; // the worker's, reused for every frame
    const QByteArray frame = writer.encode(pong, Wire::DefaultMaxFrameSize).toByteArray();
    FUZZ_REQUIRE(!frame.isEmpty(), "the pong to a decoded ping does not encode");
    Wire::FrameReader reader;
    reader.addData(frame);
    QCborMap back;
    Wire::Type type = Wire::Type::Unknown;
    FUZZ_REQUIRE(reader.next(&back, &type) == Wire::FrameReader::Status::Message, "a pong does not decode");
    FUZZ_REQUIRE(type == Wire::Type::Pong, "a pong decodes as another type");
    FUZZ_REQUIRE(back.value(Key::Serial) == message.value(Key::Serial), "a pong does not carry the ping's serial");
}

} // namespace

void actAsManager(Wire::Type type, const QCborMap &message)
{
    keep(Wire::typeName(type));
    switch (type) {
    case Wire::Type::Hello:
        managerHandshake(type, message);
        return;
    case Wire::Type::Pong: // WorkerProcess::readFrames() drops pongs
        return;
    default:
        break;
    }
    // TaskQueuePrivate::onMessage() routes on the decoded map.
    switch (Wire::typeOf(message)) {
    case Wire::Type::Response:
        managerTaskAnswer(message, true);
        return;
    case Wire::Type::Error:
        managerTaskAnswer(message, false);
        return;
    case Wire::Type::Feedback:
        keep(qint64(TaskId(toInteger(message.value(Key::Task)))));
        keep(message.value(Key::Body));
        return;
    case Wire::Type::Message:
        // TaskQueuePrivate::onWorkerMessage().
        keep(qint64(TaskId(toInteger(message.value(Key::Task)))));
        keep(message.value(Key::Body));
        return;
    case Wire::Type::Ask:
        managerAsk(message);
        return;
    default:
        keep(QStringLiteral("protocol error: a worker may not send \"%1\"").arg(Wire::typeName(Wire::typeOf(message))));
        return;
    }
}

void actAsWorker(Wire::Type type, const QCborMap &message)
{
    keep(QStringLiteral("protocol error: \"%1\" before welcome").arg(Wire::typeName(type)));
    switch (type) {
    case Wire::Type::Welcome:
        workerWelcome(message);
        return;
    case Wire::Type::Request: {
        const TaskId task = TaskId(toInteger(message.value(Key::Task)));
        keep(QStringLiteral("protocol error: request for task %1 while task %2 runs").arg(task).arg(1));
        const QCborValue body = message.value(Key::Body);
        if (message.value(Key::Batch).toBool()) {
            // Performer: perform() on each element of a batch.
            for (const QCborValue &item : body.toArray())
                keep(item);
        } else {
            keep(body);
        }
        return;
    }
    case Wire::Type::Message:
        keep(qint64(TaskId(toInteger(message.value(Key::Task)))));
        keep(message.value(Key::Body));
        return;
    case Wire::Type::Answer:
        keep(qint64(quint64(toInteger(message.value(Key::Serial)))));
        keep(message.value(Key::Body));
        keep(message.value(Key::Message).toString());
        return;
    case Wire::Type::Cancel:
        keep(qint64(TaskId(toInteger(message.value(Key::Task)))));
        return;
    case Wire::Type::Broadcast:
        if (message.value(Key::Clear).toBool())
            keep(true);
        else
            keep(message.value(Key::Body));
        return;
    case Wire::Type::Ping:
        workerPing(message);
        return;
    case Wire::Type::Quit:
        return;
    default:
        keep(QStringLiteral("protocol error: a manager may not send \"%1\"").arg(Wire::typeName(type)));
        return;
    }
}

} // namespace FuzzReceivers
