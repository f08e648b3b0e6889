#include "terminalreporter.h"

#include "terminalwidth.h"

#include <QtCore/QTextStream>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace {
// The progress line on screen, whole, and the width it is cut to, for the
// message handler and a resize to redraw it.
QString g_line;
int g_columns = 80;
QtMessageHandler g_previousHandler = nullptr;

void drawLine()
{
    // Back to the start, erase to the end, then at most one column less
    // than the width: a line that fills the last column wraps on some
    // terminals, and every redraw would leave a line behind.
    std::fputs("\r\033[K", stderr);
    std::fputs(g_line.left(std::max(1, g_columns - 1)).toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
}

void aboveProgress(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    std::fputs("\r\033[K", stderr);
    g_previousHandler(type, context, message);
    drawLine();
}

QString plural(qsizetype count, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(count).arg(QLatin1String(count == 1 ? one : many));
}

// Padded to the width; a longer text is kept whole and shifts its row.
QString column(const QString &text, int width)
{
    return text.leftJustified(width);
}

bool neverRan(const LemmaReport &o)
{
    return o.status == QLatin1String("cancelled") && o.worker < 0;
}

// The queries, after the lemmas: where each stands, and its answer (or its
// status and why there is none).
void printQueries(QTextStream &out, const QList<QueryReport> &queries, bool failuresOnly)
{
    QList<QueryReport> shown;
    for (const QueryReport &q : queries) {
        if (!failuresOnly || q.status != QLatin1String("answered"))
            shown << q;
    }
    if (shown.isEmpty())
        return;
    int fileWidth = 4, textWidth = 5;
    for (const QueryReport &q : std::as_const(shown)) {
        fileWidth = std::max(fileWidth, int(q.file.size()));
        textWidth = std::max(textWidth, int(q.text.size()));
    }
    fileWidth = std::min(fileWidth, 40);
    textWidth = std::min(textWidth, 30);
    out << column(QStringLiteral("FILE"), fileWidth) << "  LINE  " << column(QStringLiteral("QUERY"), textWidth)
        << "  ANSWER\n";
    for (const QueryReport &q : std::as_const(shown)) {
        const QString answer = q.status == QLatin1String("answered") ? q.answer : q.status + QLatin1String(": ") + q.message;
        out << column(q.file, fileWidth) << "  " << QString::number(q.line).rightJustified(4) << "  "
            << column(q.text, textWidth) << "  " << answer << '\n';
    }
}

// One row a lemma: STEP is the failing step's number, AT its line:column.
void printLemmas(QTextStream &out, const QList<LemmaReport> &rows)
{
    if (rows.isEmpty())
        return;
    int fileWidth = 4, nameWidth = 5;
    for (const LemmaReport &o : rows) {
        fileWidth = std::max(fileWidth, int(o.file.size()));
        nameWidth = std::max(nameWidth, int(o.name.size()));
    }
    fileWidth = std::min(fileWidth, 40);
    nameWidth = std::min(nameWidth, 30);
    out << column(QStringLiteral("FILE"), fileWidth) << "  " << column(QStringLiteral("LEMMA"), nameWidth)
        << "  STATUS     STEP  AT          TIME  MESSAGE\n";
    for (const LemmaReport &o : rows) {
        const QString step = o.step > 0 ? QString::number(o.step) : QStringLiteral("-");
        const QString at = o.step > 0 && o.stepLine > 0 ? QStringLiteral("%1:%2").arg(o.stepLine).arg(o.stepColumn)
                                                        : QStringLiteral("-");
        QString row = column(o.file, fileWidth) + QLatin1String("  ") + column(o.name, nameWidth) + QLatin1String("  ")
                      + o.status.leftJustified(9) + QLatin1String("  ") + step.rightJustified(4) + QLatin1String("  ")
                      + at.leftJustified(8) + QStringLiteral("%1 ms").arg(o.ms).rightJustified(8) + QLatin1String("  ")
                      + o.message;
        while (row.endsWith(QLatin1Char(' ')))
            row.chop(1);
        out << row << '\n';
    }
}
} // namespace

TerminalReporter::TerminalReporter(bool failuresOnly)
    : m_progress(::isatty(STDERR_FILENO))
    , m_failuresOnly(failuresOnly)
{
    if (!m_progress)
        return;
    g_previousHandler = qInstallMessageHandler(aboveProgress);
    m_width = std::make_unique<TerminalWidth>();
    g_columns = m_width->columns();
    QObject::connect(m_width.get(), &TerminalWidth::resized, m_width.get(), [this] {
        g_columns = m_width->columns();
        if (!g_line.isEmpty())
            drawLine();
    });
}

TerminalReporter::~TerminalReporter()
{
    if (m_progress)
        qInstallMessageHandler(g_previousHandler);
}

void TerminalReporter::progress(const QString &text)
{
    if (!m_progress)
        return;
    g_line = text;
    drawLine();
}

void TerminalReporter::lemmaStarted(const QString &, const QString &name, int done, int total)
{
    progress(QStringLiteral("[%1/%2] checking %3 ...").arg(done).arg(total).arg(name));
}

void TerminalReporter::lemmaWaiting(const QString &, const QString &name, int, qint64)
{
    progress(QStringLiteral("%1 is waiting for a job slot ...").arg(name));
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
    if (m_progress) {
        g_line.clear();
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }
    // The lemmas a cancellation reached before they started (Ctrl-C: all
    // that were queued) are one line, not a row each; --failures-only
    // leaves out the ok rows.
    QList<LemmaReport> rows;
    qsizetype okHidden = 0, neverStarted = 0;
    for (const LemmaReport &o : std::as_const(m_outcomes)) {
        if (neverRan(o))
            ++neverStarted;
        else if (m_failuresOnly && o.status == QLatin1String("ok"))
            ++okHidden;
        else
            rows << o;
    }
    QTextStream out(stdout);
    printLemmas(out, rows);
    if (neverStarted > 0)
        out << plural(neverStarted, "lemma", "lemmas") << " cancelled before "
            << (neverStarted == 1 ? "it" : "they") << " started\n";
    if (okHidden > 0)
        out << plural(okHidden, "ok lemma", "ok lemmas") << " not shown (--failures-only)\n";
    printQueries(out, m_queries, m_failuresOnly);
    // With queries, the summary line counts them too, before the time.
    const QString queries = s.queries == 0 ? QString()
                                           : QStringLiteral("; %1: %2 answered, %3 not answered")
                                                 .arg(plural(s.queries, "query", "queries"))
                                                 .arg(s.answered)
                                                 .arg(s.queries - s.answered);
    out << QStringLiteral("%1: %2 ok, %3 error, %4 crashed, %5 timeout, %6 cancelled; %7%8; %9 ms\n")
               .arg(plural(s.lemmas, "lemma", "lemmas"))
               .arg(s.ok)
               .arg(s.error)
               .arg(s.crashed)
               .arg(s.timeout)
               .arg(s.cancelled)
               .arg(plural(s.parseErrors, "parse error", "parse errors"))
               .arg(queries)
               .arg(s.wallMs);
    out.flush();
}
