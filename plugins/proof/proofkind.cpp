#include "proofkind.h"

#include "checker.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

#include <algorithm>

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

// What a worker that stays knows: the lemma, how it ended, and the prefix of
// steps that held (what proof repair would resume after).
QCborMap competenceOf(const QCborValue &payload, const QCborValue &response)
{
    const QCborArray steps = payload[key("steps")].toArray();
    const qint64 checked = std::clamp<qint64>(response[key("checked")].toInteger(), 0, steps.size());
    QCborArray prefix;
    for (qint64 i = 0; i < checked; ++i)
        prefix.append(steps.at(i)[key("text")]);
    QCborMap competence;
    competence.insert(key("doc"), payload[key("doc")]);
    competence.insert(key("lemma"), payload[key("lemma")]);
    competence.insert(key("status"), response[key("status")]);
    competence.insert(key("checked"), checked);
    competence.insert(key("prefix"), prefix);
    return competence;
}
} // namespace

std::optional<QCborValue> ProofKind::requestOfTask(const Drover::WorkerStatus &, const Drover::Task &task)
{
    return task.payload; // the payload is the request; a lemma task is never obsolete
}

Drover::Decision ProofKind::useResponse(const Drover::WorkerStatus &, const Drover::Task &task,
                                        const QCborValue &response)
{
    if (!task.payload[key("persistent")].toBool())
        return Drover::Decision::end();
    return Drover::Decision::keep(competenceOf(task.payload, response));
}

QCborValue ProofKind::perform(const QCborValue &request, Drover::WorkerContext &context)
{
    return ProofLang::checkLemma(request, context);
}
