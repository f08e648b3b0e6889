// Round trips of decoded messages through the project's encoders (see
// roundtrip.h). Each frame is decoded again by a fresh Wire::FrameReader,
// which must take it whole and leave nothing behind.

#include "roundtrip.h"

#include "check.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborValue>
#include <QtCore/QtEndian>

#include <cmath>
#include <cstdio>

namespace FuzzRoundTrip {

namespace {

namespace Key = Wire::Key;
using Status = Wire::FrameReader::Status;

QCborMap decodeAlone(const QByteArray &frame, Wire::Type *type)
{
    Wire::FrameReader reader;
    reader.addData(frame);
    QCborMap message;
    FUZZ_REQUIRE(reader.next(&message, type) == Status::Message, "a frame the project encoded does not decode");
    FUZZ_REQUIRE(reader.bufferedBytes() == 0, "decoding a whole frame left bytes in the reader");
    QCborMap none;
    FUZZ_REQUIRE(reader.next(&none) == Status::NeedMore, "a reader emptied by its only frame wants no more");
    return message;
}

//! Prints both sides of a difference before the abort, so that the report
//! says what changed.
void requireSame(const QCborValue &got, const QCborValue &expected, const char *what)
{
    if (same(got, expected))
        return;
    std::fprintf(stderr, "expected: %s\ngot:      %s\n", qPrintable(expected.toDiagnosticNotation()),
                 qPrintable(got.toDiagnosticNotation()));
    fuzzFailure(what, __FILE__, __LINE__);
}

bool isKey(const QCborValue &key, QLatin1StringView name)
{
    return key.isString() && key.toString() == name;
}

//! Whether the map is laid out as the envelope {t, task, body} is written:
//! then the envelope encoder must reproduce its bytes exactly.
bool hasEnvelopeLayout(const QCborMap &message)
{
    if (message.size() != 3)
        return false;
    auto it = message.begin();
    if (!isKey(it.key(), Key::Type) || !it.value().isString())
        return false;
    ++it;
    if (!isKey(it.key(), Key::Task) || !it.value().isInteger())
        return false;
    ++it;
    return isKey(it.key(), Key::Body);
}

qint64 bodySize(const QByteArray &frame)
{
    return frame.size() - Wire::LengthPrefixSize;
}

QByteArray checkMap(Wire::Type type, const QCborMap &message, qint64 limit, Wire::FrameWriter &writer)
{
    const QByteArray plain = Wire::encodeFrame(message);
    FUZZ_REQUIRE(!plain.isEmpty(), "encodeFrame() refused a decoded message under the default limit");
    FUZZ_REQUIRE(qFromBigEndian<quint32>(plain.constData()) == quint32(bodySize(plain)),
                 "encodeFrame() wrote a wrong length prefix");
    const QByteArray written = writer.encode(message, Wire::DefaultMaxFrameSize).toByteArray();
    FUZZ_REQUIRE(written == plain, "FrameWriter::encode(map) and encodeFrame() write different bytes");

    if (limit < Wire::DefaultMaxFrameSize) { // (with the default, done above)
        const bool fits = bodySize(plain) <= limit;
        FUZZ_REQUIRE(Wire::encodeFrame(message, limit).isEmpty() != fits, "encodeFrame() misapplies the frame limit");
        FUZZ_REQUIRE(writer.encode(message, limit).isEmpty() != fits,
                     "FrameWriter::encode(map) misapplies the frame limit");
    }

    Wire::Type again = Wire::Type::Unknown;
    const QCborMap decoded = decodeAlone(plain, &again);
    FUZZ_REQUIRE(again == type, "a re-encoded message decodes as another type");
    requireSame(decoded, message, "a re-encoded message decodes to a different map");
    FUZZ_REQUIRE(Wire::encodeFrame(decoded) == plain, "encoding a decoded message again gives other bytes");
    return plain;
}

//! `plain` is the message's frame as encodeFrame() writes it.
void checkEnvelope(Wire::Type type, const QCborMap &message, const QByteArray &plain, qint64 limit,
                   Wire::FrameWriter &writer)
{
    // The senders pass a TaskId and any body; take the message's own where
    // it has them (a non-integer task is not converted here: that is the
    // receivers' business, see receivers.cpp).
    const QCborValue taskValue = message.value(Key::Task);
    const qint64 task = taskValue.isInteger() ? taskValue.toInteger() : -qint64(message.size());
    const QCborValue body = message.value(Key::Body);

    const QByteArray envelope = writer.encode(type, task, body, Wire::DefaultMaxFrameSize).toByteArray();
    FUZZ_REQUIRE(!envelope.isEmpty(), "FrameWriter::encode(envelope) refused under the default limit");
    FUZZ_REQUIRE(qFromBigEndian<quint32>(envelope.constData()) == quint32(bodySize(envelope)),
                 "FrameWriter::encode(envelope) wrote a wrong length prefix");
    if (limit < Wire::DefaultMaxFrameSize) {
        const bool fits = bodySize(envelope) <= limit;
        FUZZ_REQUIRE(writer.encode(type, task, body, limit).isEmpty() != fits,
                     "FrameWriter::encode(envelope) misapplies the frame limit");
    }

    Wire::Type again = Wire::Type::Unknown;
    const QCborMap unpacked = decodeAlone(envelope, &again);
    FUZZ_REQUIRE(again == type && Wire::typeOf(unpacked) == type, "an envelope decodes as another type");
    FUZZ_REQUIRE(unpacked.size() == 3, "an envelope does not decode to three keys");
    FUZZ_REQUIRE(unpacked.value(Key::Task).isInteger() && unpacked.value(Key::Task).toInteger() == task,
                 "an envelope does not carry its task id");
    requireSame(unpacked.value(Key::Body), body, "an envelope does not carry its body");

    // The head written by hand is what QCborStreamWriter writes for the map.
    QCborMap rebuilt = Wire::message(type);
    rebuilt.insert(Key::Task, task);
    rebuilt.insert(Key::Body, body);
    FUZZ_REQUIRE(envelope == Wire::encodeFrame(rebuilt), "the envelope's bytes differ from the map's encoding");
    if (hasEnvelopeLayout(message))
        FUZZ_REQUIRE(envelope == plain, "the envelope encoder changes an envelope's bytes");
}

} // namespace

bool same(const QCborValue &a, const QCborValue &b)
{
    if (a.type() != b.type())
        return false;
    if (a.isDouble())
        return (std::isnan(a.toDouble()) && std::isnan(b.toDouble())) || a.toDouble() == b.toDouble();
    if (a.isArray()) {
        const QCborArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!same(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    if (a.isMap()) {
        const QCborMap x = a.toMap(), y = b.toMap();
        if (x.size() != y.size())
            return false;
        for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
            if (!same(i.key(), j.key()) || !same(i.value(), j.value()))
                return false;
        }
        return true;
    }
    if (a.isTag())
        return a.tag() == b.tag() && same(a.taggedValue(), b.taggedValue());
    return a == b;
}

void check(Wire::Type type, const QCborMap &message, qint64 limit)
{
    // One writer for all, as a connection keeps one: its buffer is reused,
    // and given back after a large frame, between calls.
    static Wire::FrameWriter writer;
    const QByteArray plain = checkMap(type, message, limit, writer);
    checkEnvelope(type, message, plain, limit, writer);
}

} // namespace FuzzRoundTrip
