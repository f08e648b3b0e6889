#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

//! One JSON Lines record built straight into UTF-8 bytes, its fields in the
//! order they are added: the events written once per lemma and per query
//! (drover-check --json), where a QJsonObject per event cost more than the
//! library's whole dispatch of the task.
//!
//!     JsonLineWriter("lemma").field("name", name).field("ms", ms).write();
class JsonLineWriter
{
public:
    explicit JsonLineWriter(const char *event);

    JsonLineWriter &field(const char *key, QStringView value);
    JsonLineWriter &field(const char *key, qint64 value);
    //! The value, or `null` when there is none.
    JsonLineWriter &fieldOrNull(const char *key, std::optional<qint64> value);
    JsonLineWriter &fieldOrNull(const char *key, std::optional<QStringView> value);

    //! Writes the record and a newline to stdout (writeJsonLineBytes()).
    void write();

    //! The record so far, closed (for tests).
    QByteArray text() const;

private:
    void key(const char *key);
    void string(QStringView value);

    QByteArray m_line;
};

//! Writes a whole JSON Lines record to stdout. The bytes leave once the
//! event loop turns (one write(2) for a burst of events), so a reader of a
//! pipe sees each event before drover-check waits for the next; at once when
//! there is no event loop.
void writeJsonLineBytes(const QByteArray &line);
