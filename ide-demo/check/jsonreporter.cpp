#include "jsonreporter.h"

#include "jsonlines.h"

#include <QtCore/QJsonObject>

void JsonReporter::parseError(const QString &file, int line, int column, const QString &message)
{
    emitJsonLine({{QStringLiteral("event"), QStringLiteral("parse-error")},
              {QStringLiteral("file"), file},
              {QStringLiteral("line"), line},
              {QStringLiteral("column"), column},
              {QStringLiteral("message"), message}});
}

void JsonReporter::lemmaFinished(const LemmaReport &o, int, int)
{
    emitJsonLine({{QStringLiteral("event"), QStringLiteral("lemma")},
              {QStringLiteral("file"), o.file},
              {QStringLiteral("name"), o.name},
              {QStringLiteral("line"), o.line},
              {QStringLiteral("status"), o.status},
              {QStringLiteral("step"), o.step > 0 ? QJsonValue(o.step) : QJsonValue()},
              {QStringLiteral("message"), o.message.isEmpty() ? QJsonValue() : QJsonValue(o.message)},
              {QStringLiteral("worker"), o.worker >= 0 ? QJsonValue(o.worker) : QJsonValue()},
              {QStringLiteral("ms"), o.ms}});
}

void JsonReporter::queryFinished(const QueryReport &o)
{
    emitJsonLine({{QStringLiteral("event"), QStringLiteral("query")},
              {QStringLiteral("file"), o.file},
              {QStringLiteral("line"), o.line},
              {QStringLiteral("text"), o.text},
              {QStringLiteral("status"), o.status},
              {QStringLiteral("answer"), o.status == QLatin1String("answered") ? QJsonValue(o.answer) : QJsonValue()},
              {QStringLiteral("message"), o.message.isEmpty() ? QJsonValue() : QJsonValue(o.message)},
              {QStringLiteral("worker"), o.worker >= 0 ? QJsonValue(o.worker) : QJsonValue()},
              {QStringLiteral("ms"), o.ms}});
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
