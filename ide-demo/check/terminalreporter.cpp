#include "terminalreporter.h"

#include <QtCore/QTextStream>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace {
// The progress line on screen, for the message handler to redraw.
QByteArray g_line;
QtMessageHandler g_previousHandler = nullptr;

void clearLine()
{
    std::fputs("\r\033[K", stderr); // back to the start, erase to the end
}

void aboveProgress(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    clearLine();
    g_previousHandler(type, context, message);
    std::fputs(g_line.constData(), stderr);
    std::fflush(stderr);
}

// Padded to the width; a longer text is kept whole and shifts its row.
QString column(const QString &text, int width)
{
    return text.leftJustified(width);
}

// The queries, after the lemmas: where each stands, and its answer (or its
// status and why there is none).
void printQueries(QTextStream &out, const QList<QueryReport> &queries)
{
    if (queries.isEmpty())
        return;
    int fileWidth = 4, textWidth = 5;
    for (const QueryReport &q : queries) {
        fileWidth = std::max(fileWidth, int(q.file.size()));
        textWidth = std::max(textWidth, int(q.text.size()));
    }
    fileWidth = std::min(fileWidth, 40);
    textWidth = std::min(textWidth, 30);
    out << column(QStringLiteral("FILE"), fileWidth) << "  LINE  " << column(QStringLiteral("QUERY"), textWidth)
        << "  ANSWER\n";
    for (const QueryReport &q : queries) {
        const QString answer = q.status == QLatin1String("answered") ? q.answer : q.status + QLatin1String(": ") + q.message;
        out << column(q.file, fileWidth) << "  " << QString::number(q.line).rightJustified(4) << "  "
            << column(q.text, textWidth) << "  " << answer << '\n';
    }
}
} // namespace

TerminalReporter::TerminalReporter()
    : m_interactive(::isatty(STDOUT_FILENO) && ::isatty(STDERR_FILENO))
{
    if (m_interactive)
        g_previousHandler = qInstallMessageHandler(aboveProgress);
}

TerminalReporter::~TerminalReporter()
{
    if (m_interactive)
        qInstallMessageHandler(g_previousHandler);
}

void TerminalReporter::progress(const QString &text)
{
    if (!m_interactive)
        return;
    g_line = text.left(100).toLocal8Bit();
    clearLine();
    std::fputs(g_line.constData(), stderr);
    std::fflush(stderr);
}

void TerminalReporter::lemmaStarted(const QString &, const QString &name, int done, int total)
{
    progress(QStringLiteral("[%1/%2] checking %3 ...").arg(done).arg(total).arg(name));
}

void TerminalReporter::lemmaFinished(const LemmaReport &outcome, int done, int total)
{
    m_outcomes.append(outcome);
    progress(QStringLiteral("[%1/%2] %3 %4").arg(done).arg(total).arg(outcome.name, outcome.status));
}

void TerminalReporter::queryFinished(const QueryReport &outcome)
{
    m_queries.append(outcome);
    progress(QStringLiteral("%1:%2 %3: %4").arg(outcome.file).arg(outcome.line).arg(outcome.text, outcome.status));
}

void TerminalReporter::summary(const CheckSummary &s)
{
    if (m_interactive) {
        g_line.clear();
        clearLine();
        std::fflush(stderr);
    }
    int fileWidth = 4, nameWidth = 5;
    for (const LemmaReport &o : std::as_const(m_outcomes)) {
        fileWidth = std::max(fileWidth, int(o.file.size()));
        nameWidth = std::max(nameWidth, int(o.name.size()));
    }
    fileWidth = std::min(fileWidth, 40);
    nameWidth = std::min(nameWidth, 30);
    QTextStream out(stdout);
    if (!m_outcomes.isEmpty()) {
        out << column(QStringLiteral("FILE"), fileWidth) << "  " << column(QStringLiteral("LEMMA"), nameWidth)
            << "  STATUS     STEP      TIME  MESSAGE\n";
    }
    for (const LemmaReport &o : std::as_const(m_outcomes)) {
        const QString step = o.step > 0 ? QString::number(o.step) : QStringLiteral("-");
        QString row = column(o.file, fileWidth) + QLatin1String("  ") + column(o.name, nameWidth) + QLatin1String("  ")
                      + o.status.leftJustified(9) + QLatin1String("  ") + step.rightJustified(4) + QLatin1String("  ")
                      + QStringLiteral("%1 ms").arg(o.ms).rightJustified(8) + QLatin1String("  ") + o.message;
        while (row.endsWith(QLatin1Char(' ')))
            row.chop(1);
        out << row << '\n';
    }
    printQueries(out, m_queries);
    // With queries, the summary line counts them too, before the time.
    const QString queries = s.queries == 0 ? QString()
                                           : QStringLiteral("; %1 %2: %3 answered, %4 not answered")
                                                 .arg(s.queries)
                                                 .arg(s.queries == 1 ? QStringLiteral("query") : QStringLiteral("queries"))
                                                 .arg(s.answered)
                                                 .arg(s.queries - s.answered);
    out << QStringLiteral("%1 lemmas: %2 ok, %3 error, %4 crashed, %5 timeout, %6 cancelled; %7 parse %8%9; %10 ms\n")
               .arg(s.lemmas)
               .arg(s.ok)
               .arg(s.error)
               .arg(s.crashed)
               .arg(s.timeout)
               .arg(s.cancelled)
               .arg(s.parseErrors)
               .arg(s.parseErrors == 1 ? QStringLiteral("error") : QStringLiteral("errors"))
               .arg(queries)
               .arg(s.wallMs);
    out.flush();
}
