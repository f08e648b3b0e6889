#include "jsonlinewriter.h"

#include <QtCore/QCoreApplication>

#include <cstdio>

JsonLineWriter::JsonLineWriter(const char *event)
{
    m_line.reserve(256);
    m_line.append("{\"event\":");
    string(QString::fromLatin1(event));
}

JsonLineWriter &JsonLineWriter::field(const char *name, QStringView value)
{
    key(name);
    string(value);
    return *this;
}

JsonLineWriter &JsonLineWriter::field(const char *name, qint64 value)
{
    key(name);
    m_line.append(QByteArray::number(value));
    return *this;
}

JsonLineWriter &JsonLineWriter::fieldOrNull(const char *name, std::optional<qint64> value)
{
    if (value)
        return field(name, *value);
    key(name);
    m_line.append("null");
    return *this;
}

JsonLineWriter &JsonLineWriter::fieldOrNull(const char *name, std::optional<QStringView> value)
{
    if (value)
        return field(name, *value);
    key(name);
    m_line.append("null");
    return *this;
}

void JsonLineWriter::key(const char *name)
{
    m_line.append(",\"").append(name).append("\":");
}

// RFC 8259: the quotation mark, the reverse solidus and the control
// characters are escaped; everything else goes as UTF-8 (a lone surrogate
// becomes U+FFFD, as QJsonDocument writes it).
void JsonLineWriter::string(QStringView value)
{
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = value.toUtf8();
    m_line.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': m_line.append("\\\""); break;
        case '\\': m_line.append("\\\\"); break;
        case '\n': m_line.append("\\n"); break;
        case '\r': m_line.append("\\r"); break;
        case '\t': m_line.append("\\t"); break;
        case '\b': m_line.append("\\b"); break;
        case '\f': m_line.append("\\f"); break;
        default:
            if (u < 0x20) {
                const char escape[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xf]};
                m_line.append(escape, sizeof escape);
            } else {
                m_line.append(c);
            }
        }
    }
    m_line.append('"');
}

QByteArray JsonLineWriter::text() const
{
    return m_line + '}';
}

void JsonLineWriter::write()
{
    m_line.append("}\n");
    writeJsonLineBytes(m_line);
}

// A burst of events (two workers answering within one turn of the event
// loop) leaves in one write(2); a reader of the pipe still has every event
// before drover-check waits again. Without an event loop (or after it), at
// once.
void writeJsonLineBytes(const QByteArray &line)
{
    static bool flushQueued = false;
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    QCoreApplication *app = QCoreApplication::instance();
    if (!app || QCoreApplication::closingDown()) {
        std::fflush(stdout);
        return;
    }
    if (flushQueued)
        return;
    flushQueued = true;
    QMetaObject::invokeMethod(app, [] {
        flushQueued = false;
        std::fflush(stdout);
    }, Qt::QueuedConnection);
}
