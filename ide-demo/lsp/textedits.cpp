#include "textedits.h"

#include <QtCore/QJsonObject>

#include <algorithm>
#include <limits>

namespace DroverLsp {

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }

std::optional<TextPosition> positionOf(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    const QJsonValue line = object.value(key("line"));
    const QJsonValue character = object.value(key("character"));
    if (!line.isDouble() || !character.isDouble() || line.toInt(-1) < 0 || character.toInt(-1) < 0)
        return std::nullopt;
    return TextPosition{line.toInt(), character.toInt()};
}

//! The first line on which two texts differ (0-based).
int firstDifferentLine(const QString &before, const QString &after)
{
    const qsizetype common = std::mismatch(before.cbegin(), before.cbegin() + qMin(before.size(), after.size()),
                                           after.cbegin()).first - before.cbegin();
    return int(before.left(common).count(QLatin1Char('\n')));
}
} // namespace

qsizetype offsetOf(const QString &text, TextPosition position)
{
    qsizetype lineStart = 0;
    for (int line = 0; line < position.line; ++line) {
        const qsizetype newline = text.indexOf(QLatin1Char('\n'), lineStart);
        if (newline < 0)
            return text.size();
        lineStart = newline + 1;
    }
    qsizetype lineEnd = text.indexOf(QLatin1Char('\n'), lineStart);
    if (lineEnd < 0)
        lineEnd = text.size();
    else if (lineEnd > lineStart && text.at(lineEnd - 1) == QLatin1Char('\r'))
        --lineEnd;
    return qMin(lineStart + position.character, lineEnd);
}

std::optional<EditedText> applyContentChanges(const QString &text, const QJsonArray &changes, QString *error)
{
    EditedText edited{text, std::numeric_limits<int>::max()};
    for (const QJsonValue &change : changes) {
        const QJsonObject object = change.toObject();
        const QJsonValue newText = object.value(key("text"));
        if (!newText.isString()) {
            *error = QStringLiteral("a content change has no \"text\"");
            return std::nullopt;
        }
        if (!object.contains(key("range"))) {
            edited.firstChangedLine = qMin(edited.firstChangedLine, firstDifferentLine(edited.text, newText.toString()));
            edited.text = newText.toString();
            continue;
        }
        const QJsonObject range = object.value(key("range")).toObject();
        const std::optional<TextPosition> start = positionOf(range.value(key("start")));
        const std::optional<TextPosition> end = positionOf(range.value(key("end")));
        if (!start || !end) {
            *error = QStringLiteral("a content change's range needs a start and an end, each with a line and a character");
            return std::nullopt;
        }
        const qsizetype from = offsetOf(edited.text, *start);
        const qsizetype to = offsetOf(edited.text, *end);
        if (to < from) {
            *error = QStringLiteral("a content change's range ends before it starts");
            return std::nullopt;
        }
        edited.text.replace(from, to - from, newText.toString());
        edited.firstChangedLine = qMin(edited.firstChangedLine, start->line);
    }
    if (edited.firstChangedLine == std::numeric_limits<int>::max())
        edited.firstChangedLine = 0;
    return edited;
}

} // namespace DroverLsp
