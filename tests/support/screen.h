#pragma once

// What a terminal of a given width shows after a program's output: the
// bytes a pty carried, played on a small screen model that knows what
// drover-check writes (text, \r, \n, \b, tabs, CSI sequences of which only
// "erase to the end of the line" changes the text; colours are dropped) and
// wraps at the right margin as xterm does. For tests that read the final
// screen as a person would, and to keep it as plain text.

#include <QtCore/QByteArray>
#include <QtCore/QStringList>

namespace TestSupport {

//! The last `rows` lines of the screen, each without trailing blanks, and
//! without the empty lines below the last one written.
inline QStringList screenOf(const QByteArray &output, int columns, int rows = 24)
{
    const QString text = QString::fromUtf8(output);
    QStringList lines{QString()};
    qsizetype row = 0;
    int column = 0; // == columns: the next character wraps first
    const auto put = [&](QChar c) {
        if (column >= columns) {
            ++row;
            column = 0;
        }
        while (lines.size() <= row)
            lines << QString();
        QString &line = lines[row];
        if (line.size() < column)
            line += QString(column - line.size(), QLatin1Char(' '));
        if (line.size() == column)
            line += c;
        else
            line[column] = c;
        ++column;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('\033') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('[')) {
            qsizetype end = i + 2;
            while (end < text.size() && !(text.at(end) >= QLatin1Char('@') && text.at(end) <= QLatin1Char('~')))
                ++end;
            if (end < text.size() && text.at(end) == QLatin1Char('K')) {
                const QStringView parameter = QStringView(text).mid(i + 2, end - i - 2);
                if ((parameter.isEmpty() || parameter == QLatin1String("0")) && row < lines.size())
                    lines[row].truncate(std::min<qsizetype>(column, lines[row].size()));
            }
            i = end;
        } else if (c == QLatin1Char('\r')) {
            column = 0;
        } else if (c == QLatin1Char('\n')) {
            ++row;
            column = std::min(column, columns - 1);
            while (lines.size() <= row)
                lines << QString();
        } else if (c == QLatin1Char('\b')) {
            column = std::max(0, std::min(column, columns) - 1);
        } else if (c == QLatin1Char('\t')) {
            do
                put(QLatin1Char(' '));
            while (column % 8 != 0 && column < columns);
        } else if (c.unicode() >= 0x20 && c.unicode() != 0x7f) {
            put(c);
        }
    }
    for (QString &line : lines) {
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines.mid(std::max<qsizetype>(0, lines.size() - rows));
}

} // namespace TestSupport
