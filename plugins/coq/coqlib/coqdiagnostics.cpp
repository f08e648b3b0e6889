#include "coqdiagnostics.h"

#include "coqtextpositions.h"

#include <QtCore/QCborMap>
#include <QtCore/QRegularExpression>

namespace CoqLib {

namespace {
// The head of every located message, and of the rest.
const QRegularExpression &located()
{
    static const QRegularExpression re(
        QString::fromLatin1("^File \"(.*)\", line (\\d+), characters (\\d+)-(\\d+):$"));
    return re;
}
const QRegularExpression &warningName()
{
    static const QRegularExpression re(QString::fromLatin1("\\s*\\[([^\\[\\]]+)\\]\\s*$"));
    return re;
}
} // namespace

QCborMap CoqDiagnostic::toCbor() const
{
    QCborMap m;
    m.insert(QLatin1String("severity"), severityName());
    m.insert(QLatin1String("line"), line);
    m.insert(QLatin1String("column"), column);
    m.insert(QLatin1String("end_line"), endLine);
    m.insert(QLatin1String("end_column"), endColumn);
    m.insert(QLatin1String("byte_start"), byteStart);
    m.insert(QLatin1String("byte_end"), byteEnd);
    m.insert(QLatin1String("message"), message);
    if (!name.isEmpty())
        m.insert(QLatin1String("name"), name);
    return m;
}

CoqDiagnostic CoqDiagnostic::fromCbor(const QCborMap &m)
{
    CoqDiagnostic d;
    d.severity = m.value(QLatin1String("severity")).toString() == QLatin1String("warning") ? Severity::Warning
                                                                                             : Severity::Error;
    d.line = int(m.value(QLatin1String("line")).toInteger());
    d.column = int(m.value(QLatin1String("column")).toInteger());
    d.endLine = int(m.value(QLatin1String("end_line")).toInteger());
    d.endColumn = int(m.value(QLatin1String("end_column")).toInteger());
    d.byteStart = int(m.value(QLatin1String("byte_start")).toInteger());
    d.byteEnd = int(m.value(QLatin1String("byte_end")).toInteger());
    d.message = m.value(QLatin1String("message")).toString();
    d.name = m.value(QLatin1String("name")).toString();
    return d;
}

QList<CoqDiagnostic> parseCoqOutput(const QString &output, const QByteArray &source)
{
    const CoqTextPositions positions(source);
    QList<CoqDiagnostic> diagnostics;
    const QStringList lines = output.split(QLatin1Char('\n'));
    CoqDiagnostic current;
    bool located = false;    // a File "..." head came, its message not yet
    bool inMessage = false;  // reading an Error:/Warning: message
    QStringList text;
    auto flush = [&] {
        if (inMessage) {
            current.message = text.join(QLatin1Char(' ')).simplified();
            if (current.severity == CoqDiagnostic::Severity::Warning) {
                const QRegularExpressionMatch m = warningName().match(current.message);
                if (m.hasMatch()) {
                    current.name = m.captured(1);
                    current.message.chop(m.capturedLength());
                }
            }
            diagnostics << current;
        }
        current = {};
        located = inMessage = false;
        text.clear();
    };
    for (const QString &line : lines) {
        const QRegularExpressionMatch head = CoqLib::located().match(line);
        if (head.hasMatch()) {
            flush();
            located = true;
            current.line = head.captured(2).toInt();
            current.byteStart = head.captured(3).toInt();
            current.byteEnd = head.captured(4).toInt();
            const qsizetype lineStart = positions.lineStart(current.line);
            const CoqTextPositions::Place start = positions.utf16Place(lineStart + current.byteStart);
            const CoqTextPositions::Place end = positions.utf16Place(lineStart + current.byteEnd);
            current.line = start.line;
            current.column = start.column;
            current.endLine = end.line;
            current.endColumn = end.column;
            continue;
        }
        const bool isError = line.startsWith(QLatin1String("Error:"));
        const bool isWarning = line.startsWith(QLatin1String("Warning:"));
        if ((isError || isWarning) && (located || !inMessage)) {
            if (!located)
                flush(); // an unlocated message ends the one before
            inMessage = true;
            located = false;
            current.severity = isError ? CoqDiagnostic::Severity::Error : CoqDiagnostic::Severity::Warning;
            text << line.mid(isError ? 6 : 8);
            continue;
        }
        if (inMessage && line.trimmed().isEmpty()) {
            flush();
            continue;
        }
        if (inMessage)
            text << line; // coqc wraps near 78 columns
    }
    flush();
    return diagnostics;
}

} // namespace CoqLib
