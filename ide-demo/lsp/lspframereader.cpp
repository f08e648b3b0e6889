#include "lspframereader.h"

#include <QtCore/QList>

namespace DroverLsp {

namespace {
const QByteArray headerEnd("\r\n\r\n");
const QByteArray lengthField("content-length:");
// A header block longer than this is not a header: the client sent garbage.
constexpr qsizetype maxHeaderBytes = 4096;
} // namespace

LspFrameReader::LspFrameReader(qint64 maxBodyBytes)
    : m_maxBodyBytes(maxBodyBytes)
{
}

void LspFrameReader::feed(const QByteArray &bytes)
{
    if (m_skipping > 0) {
        const qint64 dropped = qMin<qint64>(m_skipping, bytes.size());
        m_skipping -= dropped;
        m_buffer += bytes.mid(dropped);
        return;
    }
    m_buffer += bytes;
}

bool LspFrameReader::hasPartialFrame() const
{
    return m_skipping > 0 || !m_buffer.trimmed().isEmpty();
}

std::optional<LspFrameReader::Frame> LspFrameReader::skipToNextHeader(const QString &why)
{
    // Resynchronise on the next header a client would write; what lies
    // between is lost, and said so once.
    const qsizetype next = m_buffer.toLower().indexOf(lengthField, 1);
    m_buffer = next < 0 ? QByteArray() : m_buffer.mid(next);
    return Frame{{}, why};
}

std::optional<LspFrameReader::Frame> LspFrameReader::next()
{
    if (m_skipping > 0)
        return std::nullopt;
    if (m_bodyLength < 0) {
        const qsizetype end = m_buffer.indexOf(headerEnd);
        if (end < 0) {
            if (m_buffer.size() > maxHeaderBytes)
                return skipToNextHeader(QStringLiteral("no header block in the first %1 bytes").arg(maxHeaderBytes));
            return std::nullopt;
        }
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        qint64 length = -1;
        QString problem = QStringLiteral("the header has no Content-Length");
        for (const QByteArray &rawLine : lines) {
            const QByteArray line = rawLine.trimmed();
            if (!line.toLower().startsWith(lengthField))
                continue;
            bool isNumber = false;
            const QByteArray value = line.mid(lengthField.size()).trimmed();
            length = value.toLongLong(&isNumber);
            if (!isNumber || length < 0) {
                problem = QStringLiteral("Content-Length \"%1\" is not a number of bytes")
                              .arg(QString::fromUtf8(value.left(40)));
                length = -1;
            }
            break;
        }
        if (length < 0)
            return skipToNextHeader(problem);
        m_buffer.remove(0, end + headerEnd.size());
        if (length > m_maxBodyBytes) {
            const qint64 dropped = qMin<qint64>(length, m_buffer.size());
            m_buffer.remove(0, dropped);
            m_skipping = length - dropped;
            return Frame{{}, QStringLiteral("a message of %1 bytes is over the limit of %2 bytes")
                                 .arg(length).arg(m_maxBodyBytes)};
        }
        m_bodyLength = length;
    }
    if (m_buffer.size() < m_bodyLength)
        return std::nullopt;
    Frame frame;
    frame.body = m_buffer.left(m_bodyLength);
    m_buffer.remove(0, m_bodyLength);
    m_bodyLength = -1;
    return frame;
}

} // namespace DroverLsp
