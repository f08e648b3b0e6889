// What the manager and the worker read from each message they receive (see
// receivers.h): the typed decoders both ends use (wire/messages.h), and the
// encoders of their replies, with what they read kept in a sink so that
// nothing is optimised away. Undefined behaviour in any of them (UBSan) is a
// crash of the fuzz target, as it would be a fault of the real receiver.

#include "receivers.h"

#include "check.h"
#include "wire/messages.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QString>

namespace FuzzReceivers {

namespace {

volatile quint64 g_sink = 0;

void keep(qint64 value) { g_sink = g_sink * 31 + quint64(value); }
void keep(bool value) { keep(qint64(value)); }
void keep(const QString &text) { keep(qint64(text.size())); }
void keep(const QByteArray &bytes) { keep(qint64(bytes.size())); }
void keep(const QCborValue &value) { keep(qint64(value.type())); }

template<typename M>
void reencodes(const M &message, const char *what)
{
    static Wire::FrameWriter writer; // one per connection, reused for every frame
    const QByteArrayView frame = Wire::frameOf(writer, message, Wire::DefaultMaxFrameSize);
    FUZZ_REQUIRE(!frame.isEmpty(), what);
}

void managerHello(const QCborMap &map)
{
    // WorkerAdmission::checkHello().
    const Wire::Hello hello = Wire::Hello::fromMap(map);
    keep(hello.secret);
    keep(QStringLiteral("hello from worker id %1, which this manager never started").arg(hello.workerId));
    keep(QStringLiteral("worker %1 speaks protocol version %2; this manager speaks %3")
             .arg(hello.workerId).arg(hello.version).arg(Wire::ProtocolVersion));
    keep(QStringLiteral("worker %1 says it serves kind \"%2\", not \"%3\"").arg(hello.workerId).arg(hello.kind, QStringLiteral("k")));
    keep(hello.pid);
}

void workerPing(const QCborMap &map)
{
    // WorkerClient::handle(): the pong goes back with the ping's serial.
    const Wire::Ping ping = Wire::Ping::fromMap(map);
    Wire::FrameWriter writer;
    const QByteArray frame = Wire::frameOf(writer, Wire::Pong{ping.serial}, Wire::DefaultMaxFrameSize).toByteArray();
    FUZZ_REQUIRE(!frame.isEmpty(), "the pong to a decoded ping does not encode");
    Wire::FrameReader reader;
    reader.addData(frame);
    QCborMap back;
    Wire::Type type = Wire::Type::Unknown;
    FUZZ_REQUIRE(reader.next(&back, &type) == Wire::FrameReader::Status::Message, "a pong does not decode");
    FUZZ_REQUIRE(type == Wire::Type::Pong, "a pong decodes as another type");
    FUZZ_REQUIRE(Wire::Pong::fromMap(back).serial == ping.serial, "a pong does not carry the ping's serial");
}

} // namespace

void actAsManager(Wire::Type type, const QCborMap &message)
{
    keep(Wire::typeName(type));
    // HandshakeGate takes the first frame, TaskQueuePrivate::onMessage() the rest.
    switch (type) {
    case Wire::Type::Hello:
        managerHello(message);
        return;
    case Wire::Type::Pong: // WorkerProcess::readFrames() drops pongs
        return;
    case Wire::Type::Response: {
        const Wire::Response response = Wire::Response::fromMap(message);
        keep(response.task);
        keep(response.body);
        return;
    }
    case Wire::Type::Error: {
        const Wire::Error error = Wire::Error::fromMap(message);
        keep(error.task);
        keep(error.kind == Wire::Error::Kind::Marshal);
        keep(error.message);
        return;
    }
    case Wire::Type::Feedback: {
        const Wire::Feedback feedback = Wire::Feedback::fromMap(message);
        keep(feedback.task);
        keep(feedback.body);
        return;
    }
    case Wire::Type::Message: {
        const Wire::Message delivered = Wire::Message::fromMap(message);
        keep(delivered.task);
        keep(delivered.body);
        return;
    }
    case Wire::Type::Withdrawn: {
        // TaskQueuePrivate::onWithdrawn().
        const Wire::Withdrawn withdrawn = Wire::Withdrawn::fromMap(message);
        keep(withdrawn.task);
        keep(withdrawn.taken);
        return;
    }
    case Wire::Type::Ask: {
        // TaskQueuePrivate::onAsk(), and the answer it sends back.
        const Wire::Ask ask = Wire::Ask::fromMap(message);
        keep(ask.task);
        reencodes(Wire::Answer{ask.serial, ask.body, {}}, "the answer to a decoded question does not encode");
        return;
    }
    default:
        keep(QStringLiteral("protocol error: a worker may not send \"%1\"").arg(Wire::typeName(type)));
        return;
    }
}

void actAsWorker(Wire::Type type, const QCborMap &message)
{
    keep(QStringLiteral("protocol error: \"%1\" before welcome").arg(Wire::typeName(type)));
    switch (type) {
    case Wire::Type::Welcome: {
        // WorkerClient::welcome().
        const Wire::Welcome welcome = Wire::Welcome::fromMap(message);
        keep(welcome.maxFrame);
        keep(welcome.init);
        for (const QCborValue &value : welcome.feedback)
            keep(value);
        return;
    }
    case Wire::Type::Request: {
        const Wire::Request request = Wire::Request::fromMap(message);
        keep(QStringLiteral("protocol error: request for task %1 while two tasks are unanswered").arg(request.task));
        if (request.batch) {
            // Performer: perform() on each element of a batch.
            for (const QCborValue &item : request.body.toArray())
                keep(item);
        } else {
            keep(request.body);
        }
        return;
    }
    case Wire::Type::Message: {
        const Wire::Message delivered = Wire::Message::fromMap(message);
        keep(delivered.task);
        keep(delivered.body);
        return;
    }
    case Wire::Type::Answer: {
        const Wire::Answer answer = Wire::Answer::fromMap(message);
        keep(answer.serial);
        keep(answer.body);
        keep(answer.error);
        return;
    }
    case Wire::Type::Cancel:
        keep(Wire::Cancel::fromMap(message).task);
        return;
    case Wire::Type::Withdraw: {
        // WorkerClient: give the held request back, and say whether.
        const Wire::Withdraw withdraw = Wire::Withdraw::fromMap(message);
        reencodes(Wire::Withdrawn{withdraw.task, false}, "the answer to a withdraw does not encode");
        return;
    }
    case Wire::Type::Broadcast: {
        const Wire::Broadcast broadcast = Wire::Broadcast::fromMap(message);
        keep(broadcast.clear);
        keep(broadcast.body);
        return;
    }
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
