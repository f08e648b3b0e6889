// The frames of fuzz_frames' seed corpus (see seedframes.h), built with the
// project's own encoders where they can write them and by hand where they
// cannot.

#include "seedframes.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QDateTime>
#include <QtCore/QtEndian>

#include <limits>

namespace SeedFrames {

namespace Key = Wire::Key;

QByteArray prefix(quint32 length)
{
    QByteArray bytes(Wire::LengthPrefixSize, '\0');
    qToBigEndian<quint32>(length, bytes.data());
    return bytes;
}

QByteArray raw(const QByteArray &body)
{
    return prefix(quint32(body.size())) + body;
}

QByteArray frame(const QCborMap &message)
{
    return Wire::encodeFrame(message);
}

QByteArray envelope(Wire::Type type, qint64 task, const QCborValue &body)
{
    static Wire::FrameWriter writer;
    return writer.encode(type, task, body, Wire::DefaultMaxFrameSize).toByteArray();
}

namespace {
//! Bodies of every CBOR kind the decoder turns into a different QCborValue.
QCborValue richBody()
{
    QCborMap inner;
    inner.insert(QStringLiteral("text"), QStringLiteral("é ü ∑"));
    inner.insert(QStringLiteral("bytes"), QByteArray("\x00\x01\xff", 3));
    inner.insert(-7, 2.5);
    inner.insert(QStringLiteral("nan"), std::numeric_limits<double>::quiet_NaN());
    QCborArray array{1, -1, 24, 256, 65536, qint64(1) << 40, std::numeric_limits<qint64>::min(), true, false,
                     QCborValue(), QCborValue(QCborValue::Null), QCborValue(QCborSimpleType(16)), 1e300};
    array.append(QCborValue(QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)));
    array.append(QCborValue(QCborKnownTags::PositiveBignum, QByteArray(9, '\x01')));
    array.append(inner);
    return array;
}
} // namespace

QList<QByteArray> everyMessage()
{
    QList<QByteArray> frames;
    QCborMap hello = Wire::message(Wire::Type::Hello);
    hello.insert(Key::Version, Wire::ProtocolVersion);
    hello.insert(Key::Kind, QStringLiteral("demo"));
    hello.insert(Key::WorkerId, 3);
    hello.insert(Key::Secret, QByteArray(32, 's'));
    hello.insert(Key::Pid, 4242);
    frames << frame(hello);

    QCborMap welcome = Wire::message(Wire::Type::Welcome);
    welcome.insert(Key::MaxFrame, Wire::DefaultMaxFrameSize);
    welcome.insert(Key::Feedback, QCborArray{1, QStringLiteral("standing")});
    welcome.insert(Key::Init, QCborMap{{QStringLiteral("env"), 1}});
    frames << frame(welcome);

    frames << envelope(Wire::Type::Request, 7, richBody());
    QCborMap batch = Wire::message(Wire::Type::Request);
    batch.insert(Key::Task, 8);
    batch.insert(Key::Body, QCborArray{1, 2, QStringLiteral("three")});
    batch.insert(Key::Batch, true);
    frames << frame(batch);
    frames << envelope(Wire::Type::Response, 7, QStringLiteral("done"));
    for (QLatin1StringView kind : {Wire::ErrorFailed, Wire::ErrorMarshal}) {
        QCborMap error = Wire::message(Wire::Type::Error);
        error.insert(Key::Task, 9);
        error.insert(Key::ErrorKind, kind);
        error.insert(Key::Message, QStringLiteral("it went wrong"));
        frames << frame(error);
    }
    frames << envelope(Wire::Type::Feedback, 7, 0.5);
    QCborMap broadcast = Wire::message(Wire::Type::Broadcast);
    broadcast.insert(Key::Body, QCborMap{{QStringLiteral("k"), QStringLiteral("v")}});
    frames << frame(broadcast);
    QCborMap clear = Wire::message(Wire::Type::Broadcast);
    clear.insert(Key::Clear, true);
    frames << frame(clear);
    QCborMap cancel = Wire::message(Wire::Type::Cancel);
    cancel.insert(Key::Task, 7);
    frames << frame(cancel);
    frames << envelope(Wire::Type::Message, 0, QStringLiteral("outside a task"));
    frames << envelope(Wire::Type::Message, -5, QCborValue(QCborValue::Null));
    // Task ids in every length of the CBOR head, both signs.
    for (qint64 task : {qint64(23), qint64(24), qint64(255), qint64(256), qint64(65535), qint64(65536),
                        qint64(0xffffffffLL), qint64(0x100000000LL), std::numeric_limits<qint64>::min()})
        frames << envelope(Wire::Type::Message, task, QByteArray(30, 'b')) << envelope(Wire::Type::Feedback, ~task, 1);
    QCborMap ask = Wire::message(Wire::Type::Ask);
    ask.insert(Key::Task, 7);
    ask.insert(Key::Body, QStringLiteral("question?"));
    ask.insert(Key::Serial, 1);
    frames << frame(ask);
    QCborMap answer = Wire::message(Wire::Type::Answer);
    answer.insert(Key::Serial, 1);
    answer.insert(Key::Body, 42);
    frames << frame(answer);
    QCborMap refusal = Wire::message(Wire::Type::Answer);
    refusal.insert(Key::Serial, 2);
    refusal.insert(Key::Message, QStringLiteral("no handler"));
    frames << frame(refusal);
    for (Wire::Type type : {Wire::Type::Ping, Wire::Type::Pong}) {
        QCborMap beat = Wire::message(type);
        beat.insert(Key::Serial, 77);
        frames << frame(beat);
    }
    frames << frame(Wire::message(Wire::Type::Quit));
    return frames;
}

QList<std::pair<QString, QByteArray>> badFrames()
{
    const QCborMap ping = [] { QCborMap m = Wire::message(Wire::Type::Ping); m.insert(Key::Serial, 1); return m; }();
    const QByteArray pingBody = ping.toCborValue().toCbor();
    QCborMap late; // "t" not the first key: typeOf() decides
    late.insert(Key::Serial, 1);
    late.insert(Key::Type, QStringLiteral("ping"));
    QCborMap many = Wire::message(Wire::Type::Ping); // 24 pairs: a longer map head
    for (int i = 0; i < 23; ++i)
        many.insert(i, i);
    QCborMap longType = Wire::message(Wire::Type::Ping);
    longType.insert(Key::Type, QStringLiteral("a type name of more than 23 bytes"));
    QByteArray indefinite = QByteArray::fromHex("bf61746471756974") + QByteArray(1, '\xff');

    return {
        {QStringLiteral("bad-oversized-max"), prefix(0xffffffffu) + pingBody},
        {QStringLiteral("bad-oversized-by-one"), prefix(quint32(Wire::DefaultMaxFrameSize + 1))},
        {QStringLiteral("bad-empty-body"), raw({})},
        {QStringLiteral("bad-not-cbor"), raw(QByteArray::fromHex("ff"))},
        {QStringLiteral("bad-truncated-map"), raw(pingBody.left(pingBody.size() - 1))},
        {QStringLiteral("bad-invalid-utf8"), raw(QByteArray::fromHex("a1617462c328"))},
        {QStringLiteral("bad-trailing-bytes"), raw(pingBody + QByteArray::fromHex("00"))},
        {QStringLiteral("bad-array"), raw(QCborArray{QStringLiteral("t"), QStringLiteral("ping")}.toCborValue().toCbor())},
        {QStringLiteral("bad-integer"), raw(QByteArray::fromHex("01"))},
        {QStringLiteral("bad-empty-map"), raw(QByteArray::fromHex("a0"))},
        {QStringLiteral("bad-no-t"), raw(QCborMap{{Key::Task, 1}}.toCborValue().toCbor())},
        {QStringLiteral("bad-t-integer"), raw(QCborMap{{Key::Type, 1}}.toCborValue().toCbor())},
        {QStringLiteral("bad-t-bytes"), raw(QCborMap{{Key::Type, QByteArray("ping")}}.toCborValue().toCbor())},
        {QStringLiteral("bad-t-bytes-key"), raw(QByteArray::fromHex("a141746470696e67"))},
        {QStringLiteral("bad-t-unknown"), raw(QCborMap{{Key::Type, QStringLiteral("bogus")}}.toCborValue().toCbor())},
        {QStringLiteral("bad-t-empty"), raw(QCborMap{{Key::Type, QString()}}.toCborValue().toCbor())},
        {QStringLiteral("bad-t-long"), raw(longType.toCborValue().toCbor())},
        {QStringLiteral("odd-t-late"), frame(late)},
        {QStringLiteral("odd-many-keys"), frame(many)},
        {QStringLiteral("odd-indefinite-map"), raw(indefinite)},
        {QStringLiteral("odd-duplicate-t"), raw(QByteArray::fromHex("a2617464706f6e6761746470696e67"))},
        {QStringLiteral("odd-task-double"), frame(QCborMap{{Key::Type, QStringLiteral("cancel")}, {Key::Task, 1.5}})},
    };
}

QList<std::pair<QString, QByteArray>> knownIssueFrames()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QCborMap cancel = Wire::message(Wire::Type::Cancel); // the worker's side
    cancel.insert(Key::Task, nan);
    QCborMap response = Wire::message(Wire::Type::Response); // the manager's side
    response.insert(Key::Task, 1e300);
    QCborMap welcome = Wire::message(Wire::Type::Welcome);
    welcome.insert(Key::MaxFrame, -1e300);
    return {
        {QStringLiteral("double-task-cancel"), frame(cancel)},
        {QStringLiteral("double-task-response"), frame(response)},
        {QStringLiteral("double-maxframe-welcome"), frame(welcome)},
    };
}

QByteArray largeStream()
{
    QByteArray large;
    for (int i = 0; i < 3; ++i)
        large += envelope(Wire::Type::Response, i, QByteArray(1200, char('a' + i)));
    return large;
}

QByteArray expandingFrame()
{
    // {"t": "ping", "n": 1.0 as a half-precision float}: QCborValue keeps a
    // double, which is written in 9 bytes instead of 3.
    return raw(QByteArray::fromHex("a2617464") + QByteArray("ping") + QByteArray::fromHex("616ef93c00"));
}

} // namespace SeedFrames
