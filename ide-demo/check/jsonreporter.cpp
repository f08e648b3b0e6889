#include "jsonreporter.h"

#include "jsonlines.h"
#include "jsonlinewriter.h"

#include <QtCore/QJsonObject>

void JsonReporter::parseError(const QString &file, int line, int column, const QString &message)
{
    emitJsonLine({{QStringLiteral("event"), QStringLiteral("parse-error")},
              {QStringLiteral("file"), file},
              {QStringLiteral("line"), line},
              {QStringLiteral("column"), column},
              {QStringLiteral("message"), message}});
}

namespace {
std::optional<QStringView> unlessEmpty(const QString &text)
{
    return text.isEmpty() ? std::nullopt : std::optional<QStringView>(text);
}

std::optional<qint64> ifAtLeast(qint64 value, qint64 least)
{
    return value >= least ? std::optional<qint64>(value) : std::nullopt;
}
} // namespace

void JsonReporter::lemmaFinished(const LemmaReport &o, int, int)
{
    JsonLineWriter("lemma")
        .field("file", o.file)
        .field("name", o.name)
        .field("line", qint64(o.line))
        .field("status", o.status)
        .fieldOrNull("step", ifAtLeast(o.step, 1))
        .fieldOrNull("step_line", ifAtLeast(o.step > 0 ? o.stepLine : 0, 1))
        .fieldOrNull("step_column", ifAtLeast(o.step > 0 ? o.stepColumn : 0, 1))
        .fieldOrNull("message", unlessEmpty(o.message))
        .fieldOrNull("worker", ifAtLeast(o.worker, 0))
        .field("ms", o.ms)
        .fieldOrNull("started_at", ifAtLeast(o.startedAt, 1))
        .field("ended_at", o.endedAt)
        .write();
}

void JsonReporter::lemmaWaiting(const QString &file, const QString &name, int line, qint64 sinceMs)
{
    JsonLineWriter("waiting")
        .field("file", file)
        .field("name", name)
        .field("line", qint64(line))
        .field("since", sinceMs)
        .write();
}

void JsonReporter::queryFinished(const QueryReport &o)
{
    const bool answered = o.status == QLatin1String("answered");
    JsonLineWriter("query")
        .field("file", o.file)
        .field("line", qint64(o.line))
        .field("column", qint64(o.column))
        .field("text", o.text)
        .field("status", o.status)
        .fieldOrNull("answer", answered ? std::optional<QStringView>(o.answer) : std::nullopt)
        .fieldOrNull("message", unlessEmpty(o.message))
        .fieldOrNull("worker", ifAtLeast(o.worker, 0))
        .field("ms", o.ms)
        .write();
}

void JsonReporter::workerEvent(int id, qint64 pid, const QString &state, const QString &status)
{
    QJsonObject event{{QStringLiteral("event"), QStringLiteral("worker")},
                      {QStringLiteral("id"), id},
                      {QStringLiteral("pid"), pid},
                      {QStringLiteral("state"), state}};
    if (!status.isEmpty())
        event.insert(QStringLiteral("status"), status);
    emitJsonLine(event);
}

void JsonReporter::summary(const CheckSummary &s)
{
    emitJsonLine({{QStringLiteral("event"), QStringLiteral("summary")},
              {QStringLiteral("lemmas"), s.lemmas},
              {QStringLiteral("ok"), s.ok},
              {QStringLiteral("error"), s.error},
              {QStringLiteral("crashed"), s.crashed},
              {QStringLiteral("timeout"), s.timeout},
              {QStringLiteral("cancelled"), s.cancelled},
              {QStringLiteral("parse_errors"), s.parseErrors},
              {QStringLiteral("queries"), s.queries},
              {QStringLiteral("answered"), s.answered},
              {QStringLiteral("wall_ms"), s.wallMs}});
}
