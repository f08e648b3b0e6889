#include "coqreport.h"

#include "jsonlines.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QTextStream>

#include <cstdio>
#include <unistd.h>

namespace {

QJsonObject diagnostic(const CoqLib::CoqDiagnostic &d)
{
    QJsonObject o{{QStringLiteral("severity"), d.severityName()},
                  {QStringLiteral("line"), d.line},
                  {QStringLiteral("column"), d.column},
                  {QStringLiteral("end_line"), d.endLine},
                  {QStringLiteral("end_column"), d.endColumn},
                  {QStringLiteral("byte_start"), d.byteStart},
                  {QStringLiteral("byte_end"), d.byteEnd},
                  {QStringLiteral("message"), d.message}};
    if (!d.name.isEmpty())
        o.insert(QStringLiteral("name"), d.name);
    return o;
}
} // namespace

CoqReport::CoqReport(bool json)
    : m_json(json)
    , m_interactive(::isatty(STDERR_FILENO))
{
}

void CoqReport::fileStarted(const QString &file, int done, int total)
{
    if (m_json || !m_interactive)
        return;
    std::fprintf(stderr, "\r\033[K[%d/%d] %s", done, total, qPrintable(file));
    std::fflush(stderr);
}

void CoqReport::fileFinished(const FileReport &r, int, int)
{
    if (!m_json) {
        m_files << r;
        return;
    }
    QJsonArray errors;
    for (const CoqLib::CoqDiagnostic &d : r.errors)
        errors.append(diagnostic(d));
    emitJsonLine({{QStringLiteral("event"), QStringLiteral("file")},
              {QStringLiteral("file"), r.file},
              {QStringLiteral("status"), r.status},
              {QStringLiteral("up_to_date"), r.upToDate},
              {QStringLiteral("errors"), errors},
              {QStringLiteral("message"), r.message.isEmpty() ? QJsonValue() : QJsonValue(r.message)},
              {QStringLiteral("worker"), r.worker >= 0 ? QJsonValue(r.worker) : QJsonValue()},
              {QStringLiteral("ms"), r.ms},
              {QStringLiteral("cpu_ms"), r.cpuMs},
              {QStringLiteral("start_ms"), r.startMs >= 0 ? QJsonValue(r.startMs) : QJsonValue()},
              {QStringLiteral("end_ms"), r.endMs},
              {QStringLiteral("started_at"), r.startedAt > 0 ? QJsonValue(r.startedAt) : QJsonValue()},
              {QStringLiteral("ended_at"), r.endedAt},
              {QStringLiteral("peak_rss"), r.peakRss}});
}

void CoqReport::summary(const BuildSummary &s)
{
    if (m_json) {
        emitJsonLine({{QStringLiteral("event"), QStringLiteral("summary")},
                  {QStringLiteral("files"), s.files},
                  {QStringLiteral("ok"), s.ok},
                  {QStringLiteral("up_to_date"), s.upToDate},
                  {QStringLiteral("error"), s.error},
                  {QStringLiteral("skipped"), s.skipped},
                  {QStringLiteral("crashed"), s.crashed},
                  {QStringLiteral("timeout"), s.timeout},
                  {QStringLiteral("cancelled"), s.cancelled},
                  {QStringLiteral("wall_ms"), s.wallMs}});
        return;
    }
    if (m_interactive) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    QTextStream out(stdout);
    int width = 4;
    for (const FileReport &r : std::as_const(m_files))
        width = std::max(width, int(r.file.size()));
    width = std::min(width, 50);
    if (!m_files.isEmpty())
        out << QStringLiteral("FILE").leftJustified(width) << "  STATUS       TIME    PEAK  MESSAGE\n";
    for (const FileReport &r : std::as_const(m_files)) {
        const QString status = r.upToDate ? QStringLiteral("up-to-date") : r.status;
        QString row = r.file.leftJustified(width) + QLatin1String("  ") + status.leftJustified(10)
                      + QStringLiteral("%1 ms").arg(r.ms).rightJustified(8)
                      + QStringLiteral("%1M").arg(r.peakRss >> 20).rightJustified(7) + QLatin1String("  ") + r.message;
        while (row.endsWith(QLatin1Char(' ')))
            row.chop(1);
        out << row << '\n';
        // Errors in full, as file:line:column (1-based, as editors jump to);
        // warnings only counted here (--json has them all).
        int warnings = 0;
        for (const CoqLib::CoqDiagnostic &d : r.errors) {
            if (d.severity == CoqLib::CoqDiagnostic::Severity::Warning) {
                ++warnings;
                continue;
            }
            out << "    " << r.file << ':' << d.line << ':' << d.column + 1 << ": error: " << d.message << '\n';
        }
        if (warnings > 0)
            out << "    " << r.file << ": " << warnings << (warnings == 1 ? " warning" : " warnings") << '\n';
    }
    out << QStringLiteral("%1 files: %2 ok (%3 up to date), %4 error, %5 skipped, %6 crashed, %7 timeout, %8 cancelled; %9 ms\n")
               .arg(s.files).arg(s.ok).arg(s.upToDate).arg(s.error).arg(s.skipped).arg(s.crashed).arg(s.timeout)
               .arg(s.cancelled).arg(s.wallMs);
    out.flush();
}
