#include "proofkind.h"

#include "checker.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

#include <algorithm>
#include <climits>

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

bool sameLemma(const QCborValue &a, const QCborValue &b)
{
    return a[key("doc")] == b[key("doc")] && a[key("lemma")] == b[key("lemma")];
}

// What a worker that stays knows: the lemma, how it ended, the prefix of
// steps that held (what a repair resumes after), which worker it is, and
// whether it stays for a repair of this lemma only or takes any lemma.
QCborMap competenceOf(const QCborValue &payload, const QCborValue &response, bool repairOnly)
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
    competence.insert(key("worker"), response[key("worker")]);
    competence.insert(key("repairOnly"), repairOnly);
    return competence;
}
} // namespace

std::optional<QCborValue> ProofKind::requestOfTask(const Drover::WorkerStatus &status, const Drover::Task &task)
{
    if (ProofLang::isHoldRequest(task.payload)) {
        // Only the worker that checked the lemma can hold it; any other is
        // offered it only because that one is gone, so the task is obsolete.
        if (status.fresh || status.competence[key("worker")] != task.payload[key("worker")])
            return std::nullopt;
        return task.payload;
    }
    if (status.fresh || !sameLemma(status.competence, task.payload))
        return task.payload;
    const QStringList held = ProofLang::stepTexts(status.competence[key("prefix")]);
    const int after = ProofLang::commonPrefix(held, ProofLang::stepTexts(task.payload[key("steps")]));
    return ProofLang::resumeRequest(task.payload, held, after);
}

bool ProofKind::taskMatch(const Drover::WorkerStatus &status, const Drover::Task &task)
{
    if (status.fresh)
        return true; // a fresh worker checks any lemma, and drops a hold whose worker is gone
    if (ProofLang::isHoldRequest(task.payload))
        return status.competence[key("worker")] == task.payload[key("worker")];
    if (status.competence[key("repairOnly")].toBool())
        return sameLemma(status.competence, task.payload);
    return true;
}

Drover::Decision ProofKind::useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                        const QCborValue &response)
{
    const QString answer = response[key("status")].toString();
    if (ProofLang::isHoldRequest(task.payload)) {
        // The worker confirmed what it holds: it stays for the repair.
        if (answer != QLatin1String("holding"))
            return Drover::Decision::end();
        QCborMap competence = status.competence.toMap();
        competence.insert(key("checked"), response[key("checked")]);
        competence.insert(key("held"), true);
        return Drover::Decision::keep(competence);
    }
    // The task's payload is the whole lemma, also when the request only
    // carried the steps after a held prefix: its first `checked` steps held.
    const QCborValue &payload = task.payload;
    if (payload[key("persistent")].toBool())
        return Drover::Decision::keep(competenceOf(payload, response, false));
    const qint64 checked = response[key("checked")].toInteger();
    if (answer != QLatin1String("error") || checked < 1)
        return Drover::Decision::end();
    // Proof repair: stay holding the steps that held, and inject the task
    // that asks this worker to keep them (seed 000's "request state k-1").
    const QCborMap competence = competenceOf(payload, response, true);
    Drover::Task follow;
    follow.payload = ProofLang::holdPayload(payload[key("doc")].toString(), payload[key("lemma")].toString(),
                                            int(checked), int(response[key("worker")].toInteger()));
    follow.priority = INT_MAX; // before anything else this worker could take
    follow.name = QStringLiteral("hold %1 after step %2").arg(payload[key("lemma")].toString()).arg(checked);
    return Drover::Decision::keep(competence, {follow});
}

QCborValue ProofKind::perform(const QCborValue &request, Drover::WorkerContext &context)
{
    if (ProofLang::isHoldRequest(request))
        return ProofLang::hold(request, m_held, context.workerId());
    return ProofLang::checkLemma(request, context, &m_held);
}
