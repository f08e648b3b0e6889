#include "terminalreporter.h"

#include <QtCore/QTextStream>

#include <cstdio>
#include <unistd.h>

TerminalReporter::TerminalReporter()
    : m_interactive(::isatty(STDOUT_FILENO) && ::isatty(STDERR_FILENO))
{
}

void TerminalReporter::progress(const QString &text)
{
    if (!m_interactive)
        return;
    // \r and "erase to end of line": one line that updates in place.
    std::fprintf(stderr, "\r\033[K%s", qPrintable(text.left(100)));
    std::fflush(stderr);
}

void TerminalReporter::lemmaStarted(const QString &, const QString &name, int done, int total)
{
    m_current = name;
    progress(QStringLiteral("[%1/%2] checking %3 ...").arg(done).arg(total).arg(name));
}

void TerminalReporter::lemmaFinished(const LemmaOutcome &outcome, int done, int total)
{
    m_outcomes.append(outcome);
    progress(QStringLiteral("[%1/%2] %3 %4").arg(done).arg(total).arg(outcome.name, outcome.status));
}

void TerminalReporter::summary(const CheckSummary &s)
{
    if (m_interactive) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    QTextStream out(stdout);
    int fileWidth = 4, nameWidth = 5;
    for (const LemmaOutcome &o : std::as_const(m_outcomes)) {
        fileWidth = std::max(fileWidth, int(o.file.size()));
        nameWidth = std::max(nameWidth, int(o.name.size()));
    }
    fileWidth = std::min(fileWidth, 40);
    nameWidth = std::min(nameWidth, 30);
    out << QStringLiteral("FILE").leftJustified(fileWidth) << "  " << QStringLiteral("LEMMA").leftJustified(nameWidth)
        << "  STATUS     STEP      TIME  MESSAGE\n";
    for (const LemmaOutcome &o : std::as_const(m_outcomes)) {
        out << o.file.leftJustified(fileWidth) << "  " << o.name.leftJustified(nameWidth) << "  "
            << o.status.leftJustified(9) << "  " << (o.step > 0 ? QString::number(o.step) : QStringLiteral("-")).rightJustified(4)
            << "  " << QStringLiteral("%1 ms").arg(o.ms).rightJustified(8) << "  " << o.message << '\n';
    }
    out << QStringLiteral("%1 lemmas: %2 ok, %3 error, %4 crashed, %5 timeout, %6 cancelled; %7 parse errors; %8 ms\n")
               .arg(s.lemmas).arg(s.ok).arg(s.error).arg(s.crashed).arg(s.timeout).arg(s.cancelled)
               .arg(s.parseErrors).arg(s.wallMs);
    out.flush();
}
