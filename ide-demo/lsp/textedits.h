#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QString>

#include <optional>

namespace DroverLsp {

//! An LSP position: 0-based line and UTF-16 code unit in it (QString's unit).
struct TextPosition
{
    int line = 0;
    int character = 0;
};

//! The offset in text of a position; a character past the line's end is
//! the line's end and a line past the text's end is its end, as LSP asks.
qsizetype offsetOf(const QString &text, TextPosition position);

//! The result of applying textDocument/didChange's contentChanges in order:
//! each with a range replaces it, each without replaces the whole text.
struct EditedText
{
    QString text;
    int firstChangedLine = 0;  //!< 0-based, the earliest line any change touched
};

//! nullopt with *error when a change is malformed (no text, a bad range).
std::optional<EditedText> applyContentChanges(const QString &text, const QJsonArray &changes, QString *error);

} // namespace DroverLsp
