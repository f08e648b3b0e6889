#include "querykind.h"

#include "documentstate.h"
#include "queryanswer.h"

#include <QtCore/QCborMap>

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}
} // namespace

Drover::Decision QueryKind::useResponse(const Drover::WorkerStatus &, const Drover::Task &, const QCborValue &response)
{
    QCborMap competence;
    competence.insert(key("worker"), response[key("worker")]);
    return Drover::Decision::keep(competence);
}

QCborValue QueryKind::perform(const QCborValue &request, Drover::WorkerContext &context)
{
    QCborMap response;
    response.insert(key("worker"), context.workerId());
    if (!request[key("doc")].isString() || !request[key("text")].isString()) {
        response.insert(key("status"), QStringLiteral("error"));
        response.insert(key("message"), QStringLiteral("malformed query request: expected {doc, line, column, text}, got %1")
                                            .arg(request.toDiagnosticNotation(QCborValue::Compact).left(120)));
        return response;
    }
    const Queries::DocumentState state =
        Queries::documentState(context.forwardedFeedback(), request[key("doc")].toString());
    const Queries::Answer answer =
        Queries::answerQuery(request[key("text")].toString(), state, [&context] { return context.isCancelled(); });
    if (context.isCancelled()) {
        response.insert(key("status"), QStringLiteral("cancelled"));
    } else if (answer.answered) {
        response.insert(key("status"), QStringLiteral("answered"));
        response.insert(key("answer"), answer.text);
    } else {
        response.insert(key("status"), QStringLiteral("error"));
        response.insert(key("message"), answer.text);
    }
    return response;
}
