#include "proofkind.h"

#include "checker.h"

#include <QtCore/QCborMap>

Drover::Decision ProofKind::useResponse(const Drover::WorkerStatus &, const Drover::Task &task,
                                        const QCborValue &response)
{
    if (!task.payload[QLatin1String("persistent")].toBool())
        return Drover::Decision::end();
    // What this worker has seen: the lemma, and how far it got.
    QCborMap competence;
    competence.insert(QLatin1String("doc"), task.payload[QLatin1String("doc")]);
    competence.insert(QLatin1String("lemma"), task.payload[QLatin1String("lemma")]);
    competence.insert(QLatin1String("status"), response[QLatin1String("status")]);
    competence.insert(QLatin1String("step"), response[QLatin1String("step")]);
    return Drover::Decision::keep(competence);
}

QCborValue ProofKind::perform(const QCborValue &request, Drover::WorkerContext &context)
{
    return ProofLang::checkLemma(request, context);
}
