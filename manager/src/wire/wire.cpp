#include "wire/wire.h"

#include <QtCore/QCborValue>
#include <QtCore/QtEndian>

#include <array>
#include <cerrno>
#include <limits>
#include <utility>

#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Drover::Internal::Wire {

namespace {
constexpr std::array<std::pair<Type, QLatin1StringView>, 18> TypeNames{{
    {Type::Hello, QLatin1StringView("hello")},
    {Type::Response, QLatin1StringView("response")},
    {Type::Error, QLatin1StringView("error")},
    {Type::Feedback, QLatin1StringView("feedback")},
    {Type::Pong, QLatin1StringView("pong")},
    {Type::Welcome, QLatin1StringView("welcome")},
    {Type::Request, QLatin1StringView("request")},
    {Type::Broadcast, QLatin1StringView("broadcast")},
    {Type::Cancel, QLatin1StringView("cancel")},
    {Type::Ping, QLatin1StringView("ping")},
    {Type::Quit, QLatin1StringView("quit")},
    {Type::Ask, QLatin1StringView("ask")},
    {Type::Answer, QLatin1StringView("answer")},
    {Type::Challenge, QLatin1StringView("challenge")},
    {Type::Proof, QLatin1StringView("proof")},
    {Type::Message, QLatin1StringView("message")},
    {Type::Withdraw, QLatin1StringView("withdraw")},
    {Type::Withdrawn, QLatin1StringView("withdrawn")},
}};
// A buffer that grew past this for one large frame is given back once that
// frame has been handled, instead of being kept for the connection's life.
constexpr qsizetype KeptBufferSize = 1024 * 1024;
constexpr qsizetype ReadChunk = 64 * 1024;

//! Appends a CBOR head (major type and argument) in its shortest form, as
//! QCborStreamWriter writes it.
void appendHead(QByteArray &out, uchar major, quint64 value)
{
    const auto m = uchar(major << 5);
    char bytes[9];
    qsizetype size = 1;
    if (value < 24) {
        bytes[0] = char(m | value);
    } else if (value <= 0xff) {
        bytes[0] = char(m | 24);
        bytes[1] = char(value);
        size = 2;
    } else if (value <= 0xffff) {
        bytes[0] = char(m | 25);
        qToBigEndian<quint16>(quint16(value), bytes + 1);
        size = 3;
    } else if (value <= 0xffffffffULL) {
        bytes[0] = char(m | 26);
        qToBigEndian<quint32>(quint32(value), bytes + 1);
        size = 5;
    } else {
        bytes[0] = char(m | 27);
        qToBigEndian<quint64>(value, bytes + 1);
        size = 9;
    }
    out.append(bytes, size);
}

void appendText(QByteArray &out, QLatin1StringView ascii)
{
    appendHead(out, 3, quint64(ascii.size()));
    out.append(ascii.data(), ascii.size());
}

//! The type of a message whose first key is "t", read from the frame's
//! bytes without decoding them; Unknown when the frame is not laid out so
//! (then the decoded map says). Every frame Drover writes is.
Type peekType(const char *body, qsizetype length)
{
    const auto *p = reinterpret_cast<const uchar *>(body);
    // A map head of fewer than 24 pairs, the text "t", a text of < 24 bytes.
    if (length < 4 || (p[0] & 0xe0) != 0xa0 || (p[0] & 0x1f) >= 24 || p[1] != 0x61 || p[2] != 't')
        return Type::Unknown;
    if ((p[3] & 0xe0) != 0x60 || (p[3] & 0x1f) >= 24)
        return Type::Unknown;
    const qsizetype size = p[3] & 0x1f;
    if (length < 4 + size)
        return Type::Unknown;
    const QLatin1StringView name(body + 4, size);
    for (const auto &[type, typeName] : TypeNames) {
        if (name == typeName)
            return type;
    }
    return Type::Unknown;
}

//! Where the body of an envelope {t, task, body} starts, the head written
//! as FrameWriter writes it (a map of 3 pairs in that order, a task that
//! fits a qint64): the frame's offset of the body, and *task; -1 when the
//! frame is laid out otherwise (then the whole map is decoded).
qsizetype envelopeBodyOffset(const char *body, qsizetype length, qint64 *task)
{
    const auto *p = reinterpret_cast<const uchar *>(body);
    if (length < 1 || p[0] != 0xa3) // a map of exactly 3 pairs
        return -1;
    qsizetype at = 4 + (p[3] & 0x1f); // past "t" and the type's name (peekType checked it)
    auto text = [&](const char (&word)[5]) {
        if (at + 5 > length || p[at] != 0x64 || memcmp(p + at + 1, word, 4) != 0)
            return false;
        at += 5;
        return true;
    };
    if (!text("task") || at >= length)
        return -1;
    const uchar major = p[at] >> 5;
    const uchar info = p[at] & 0x1f;
    if (major > 1 || info > 27)
        return -1;
    quint64 value = info;
    qsizetype size = 1;
    if (info >= 24) {
        size = 1 + (qsizetype(1) << (info - 24));
        if (at + size > length)
            return -1;
        value = 0;
        for (qsizetype i = 1; i < size; ++i)
            value = (value << 8) | p[at + i];
    }
    if (value > quint64(std::numeric_limits<qint64>::max()))
        return -1; // out of qint64's range: the map decoder says what it is
    *task = major == 0 ? qint64(value) : -1 - qint64(value);
    at += size;
    if (!text("body") || at >= length)
        return -1;
    return at;
}

QLatin1StringView latin1Name(Type type)
{
    for (const auto &[t, name] : TypeNames) {
        if (t == type)
            return name;
    }
    return QLatin1StringView("unknown");
}
} // namespace

QString typeName(Type type)
{
    return latin1Name(type);
}

Type typeOf(const QCborMap &message)
{
    const QCborValue t = message.value(Key::Type);
    if (!t.isString())
        return Type::Unknown;
    const QString name = t.toString();
    for (const auto &[type, typeName] : TypeNames) {
        if (name == typeName)
            return type;
    }
    return Type::Unknown;
}

QCborMap message(Type type)
{
    QCborMap m;
    // A Latin-1 view is stored as it is; a QString would be converted.
    m.insert(Key::Type, latin1Name(type));
    return m;
}

QByteArray encodeFrame(const QCborMap &message, qint64 maxFrameSize)
{
    const QByteArray body = message.toCborValue().toCbor();
    if (body.size() > maxFrameSize || body.size() > qsizetype(std::numeric_limits<quint32>::max()))
        return {};
    QByteArray frame;
    frame.resize(LengthPrefixSize + body.size());
    qToBigEndian<quint32>(quint32(body.size()), frame.data());
    memcpy(frame.data() + LengthPrefixSize, body.constData(), size_t(body.size()));
    return frame;
}

FrameWriter::FrameWriter()
    : m_writer(static_cast<QIODevice *>(nullptr))
{
    m_device.setBuffer(&m_frame);
    m_device.open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    m_writer.setDevice(&m_device);
}

void FrameWriter::begin()
{
    if (m_frame.capacity() > KeptBufferSize)
        m_frame = QByteArray();
    // resize() keeps the capacity: the prefix is a placeholder until finish().
    m_frame.resize(LengthPrefixSize);
    m_device.seek(LengthPrefixSize);
}

QByteArrayView FrameWriter::finish(qint64 maxFrameSize)
{
    const qsizetype body = m_frame.size() - LengthPrefixSize;
    if (body > maxFrameSize || body > qsizetype(std::numeric_limits<quint32>::max()))
        return {};
    qToBigEndian<quint32>(quint32(body), m_frame.data());
    return m_frame;
}

QByteArrayView FrameWriter::encode(const QCborMap &message, qint64 maxFrameSize)
{
    begin();
    message.toCborValue().toCbor(m_writer);
    return finish(maxFrameSize);
}

QByteArrayView FrameWriter::encode(Type type, qint64 task, const QCborValue &body, qint64 maxFrameSize)
{
    begin();
    // The head of the envelope by hand, the body by the stream writer: a
    // third of an encode was the writer's work per token for these five.
    appendHead(m_frame, 5, 3); // a map of 3 pairs
    appendText(m_frame, Key::Type);
    appendText(m_frame, latin1Name(type));
    appendText(m_frame, Key::Task);
    if (task >= 0)
        appendHead(m_frame, 0, quint64(task));
    else
        appendHead(m_frame, 1, ~quint64(task)); // -1 - task
    appendText(m_frame, Key::Body);
    m_device.seek(m_frame.size());
    body.toCbor(m_writer);
    return finish(maxFrameSize);
}

FrameReader::FrameReader(qint64 maxFrameSize)
    : m_maxFrameSize(maxFrameSize)
{
}

char *FrameReader::reserve(qsizetype bytes)
{
    // Drop what was consumed before growing, so the buffer never holds more
    // than one partial frame plus what just arrived.
    if (m_offset > 0 && m_offset == m_buffer.size()) {
        if (m_buffer.capacity() > KeptBufferSize)
            m_buffer = QByteArray();
        m_buffer.resize(0); // keeps the capacity
        m_offset = 0;
    } else if (m_offset > 64 * 1024 && m_offset * 2 > m_buffer.size()) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    const qsizetype used = m_buffer.size();
    m_buffer.resize(used + bytes);
    return m_buffer.data() + used;
}

void FrameReader::addData(const QByteArray &data)
{
    if (hasError() || data.isEmpty())
        return;
    memcpy(reserve(data.size()), data.constData(), size_t(data.size()));
}

qint64 FrameReader::readFrom(QIODevice *device)
{
    const qint64 available = device->bytesAvailable();
    if (available <= 0)
        return 0;
    if (hasError()) {
        device->skip(available);
        return 0;
    }
    char *room = reserve(qsizetype(available));
    const qint64 got = device->read(room, available);
    m_buffer.resize(m_buffer.size() - qsizetype(available) + qsizetype(std::max<qint64>(got, 0)));
    return got;
}

qint64 FrameReader::readFrom(int fd, bool *atEnd)
{
    *atEnd = false;
    qint64 total = 0;
    for (;;) {
        char *room = reserve(ReadChunk);
        const ssize_t got = ::recv(fd, room, size_t(ReadChunk), MSG_DONTWAIT);
        m_buffer.resize(m_buffer.size() - ReadChunk + std::max<qsizetype>(got, 0));
        if (got > 0) {
            total += got;
            // A short read took all there was; an end of stream that
            // follows wakes the caller again.
            if (got < ReadChunk)
                return total;
            continue;
        }
        if (got == 0) {
            *atEnd = true;
            return total;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return total;
        return total > 0 ? total : -1;
    }
}

FrameReader::Status FrameReader::fail(const QString &reason)
{
    m_error = reason;
    m_buffer.clear();
    m_offset = 0;
    return Status::Error;
}

FrameReader::Status FrameReader::next(QCborMap *message, Type *type)
{
    Received received;
    const Status status = next(&received);
    if (status == Status::Message && !received.bodyError.isEmpty())
        return fail(received.bodyError); // no map to hand out: the frame is refused
    if (status == Status::Message) {
        *message = received.isEnvelope ? received.toMap() : std::move(received.map);
        if (type)
            *type = received.type;
    }
    return status;
}

FrameReader::Status FrameReader::next(Received *message)
{
    if (hasError())
        return Status::Error;
    const qsizetype available = m_buffer.size() - m_offset;
    if (available < LengthPrefixSize)
        return Status::NeedMore;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
    if (qint64(length) > m_maxFrameSize) {
        return fail(QStringLiteral("frame of %1 bytes exceeds the limit of %2 bytes")
                        .arg(length).arg(m_maxFrameSize));
    }
    if (available - LengthPrefixSize < qsizetype(length))
        return Status::NeedMore;

    const char *bytes = m_buffer.constData() + m_offset + LengthPrefixSize;
    const Type peeked = peekType(bytes, qsizetype(length));
    // The envelope's head by hand, its body alone; anything else whole.
    const qsizetype bodyAt = peeked == Type::Unknown ? -1 : envelopeBodyOffset(bytes, qsizetype(length), &message->task);
    const qsizetype decodedFrom = bodyAt >= 0 ? bodyAt : 0;
    const QByteArray cbor = QByteArray::fromRawData(bytes + decodedFrom, qsizetype(length) - decodedFrom);
    QCborParserError parseError;
    QCborValue value = QCborValue::fromCbor(cbor, &parseError);
    QString undecodable;
    if (parseError.error != QCborError::NoError) {
        undecodable = QStringLiteral("frame is not valid CBOR (%1 at byte %2)")
                          .arg(parseError.errorString()).arg(decodedFrom + parseError.offset);
    } else if (parseError.offset != qint64(cbor.size())) {
        undecodable = QStringLiteral("frame has %1 bytes after its CBOR item").arg(qint64(cbor.size()) - parseError.offset);
    }
    // Whole frame, readable head, bad body: the stream is intact and the
    // receiver knows whose message it was (a response ends its task).
    if (!undecodable.isEmpty() && bodyAt < 0)
        return fail(undecodable);
    if (bodyAt >= 0) {
        message->type = peeked;
        message->isEnvelope = true;
        message->body = undecodable.isEmpty() ? std::move(value) : QCborValue();
        message->bodyError = undecodable;
        message->map = QCborMap();
    } else {
        if (!value.isMap())
            return fail(QStringLiteral("frame is not a CBOR map"));
        QCborMap map = value.toMap();
        Type found = peeked != Type::Unknown ? peeked : typeOf(map);
        if (found == Type::Unknown) {
            const QCborValue t = map.value(Key::Type);
            return fail(t.isString()
                            ? QStringLiteral("unknown message type \"%1\"").arg(t.toString())
                            : QStringLiteral("message has no type"));
        }
        message->type = found;
        message->isEnvelope = false;
        message->bodyError.clear();
        message->task = 0;
        message->body = QCborValue();
        message->map = std::move(map);
    }
    m_offset += LengthPrefixSize + qsizetype(length);
    return Status::Message;
}

} // namespace Drover::Internal::Wire
