#include "wire.h"

#include <QtCore/QCborValue>
#include <QtCore/QtEndian>
#include <QtNetwork/QLocalSocket>

#include <array>
#include <limits>
#include <utility>

namespace Drover::Internal::Wire {

namespace {
constexpr std::array<std::pair<Type, QLatin1StringView>, 14> TypeNames{{
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
    {Type::Message, QLatin1StringView("message")},
}};
} // namespace

void connectToManager(QLocalSocket *socket, const QString &server)
{
    if (server.startsWith(AbstractPrefix)) {
        socket->setSocketOptions(QLocalSocket::AbstractNamespaceOption);
        socket->connectToServer(server.mid(AbstractPrefix.size()));
    } else {
        socket->connectToServer(server);
    }
}

QString typeName(Type type)
{
    for (const auto &[t, name] : TypeNames) {
        if (t == type)
            return name;
    }
    return QStringLiteral("unknown");
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
    m.insert(Key::Type, typeName(type));
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

FrameReader::FrameReader(qint64 maxFrameSize)
    : m_maxFrameSize(maxFrameSize)
{
}

void FrameReader::addData(const QByteArray &data)
{
    if (hasError())
        return;
    // Drop what was consumed before growing, so the buffer never holds more
    // than one partial frame plus what just arrived.
    if (m_offset > 0 && m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset > 64 * 1024 && m_offset * 2 > m_buffer.size()) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(data);
}

FrameReader::Status FrameReader::fail(const QString &reason)
{
    m_error = reason;
    m_buffer.clear();
    m_offset = 0;
    return Status::Error;
}

FrameReader::Status FrameReader::next(QCborMap *message)
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

    const QByteArray body = QByteArray::fromRawData(
        m_buffer.constData() + m_offset + LengthPrefixSize, qsizetype(length));
    QCborParserError parseError;
    const QCborValue value = QCborValue::fromCbor(body, &parseError);
    if (parseError.error != QCborError::NoError) {
        return fail(QStringLiteral("frame is not valid CBOR (%1 at byte %2)")
                        .arg(parseError.errorString()).arg(parseError.offset));
    }
    if (parseError.offset != qint64(length))
        return fail(QStringLiteral("frame has %1 bytes after its CBOR item").arg(qint64(length) - parseError.offset));
    if (!value.isMap())
        return fail(QStringLiteral("frame is not a CBOR map"));
    QCborMap map = value.toMap();
    if (typeOf(map) == Type::Unknown) {
        const QCborValue t = map.value(Key::Type);
        return fail(t.isString()
                        ? QStringLiteral("unknown message type \"%1\"").arg(t.toString())
                        : QStringLiteral("message has no type"));
    }
    m_offset += LengthPrefixSize + qsizetype(length);
    *message = std::move(map);
    return Status::Message;
}

} // namespace Drover::Internal::Wire
