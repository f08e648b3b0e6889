#include "parkind.h"

#include <QtCore/QCborMap>

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}
} // namespace

int ParKind::taskAffinity(const Drover::WorkerStatus &status, const Drover::Task &task)
{
    const QCborValue block = task.payload[key("block")];
    return block.isInteger() && Par::rangesContain(status.competence[key("cached")], quint64(block.toInteger())) ? 1 : 0;
}

Drover::Decision ParKind::useResponse(const Drover::WorkerStatus &, const Drover::Task &, const QCborValue &response)
{
    // Persistent: the worker stays with what it now holds.
    QCborMap competence;
    competence.insert(key("cached"), response[key("cached")]);
    competence.insert(key("sieve"), response[key("sieve")]);
    return Drover::Decision::keep(competence);
}

QCborValue ParKind::perform(const QCborValue &request, Drover::WorkerContext &context)
{
    const std::optional<Par::BlockPart> part = Par::partOf(request);
    if (!part)
        throw Drover::TaskFailure("malformed par request: expected {block, from, to} within one block, got "
                                  + request.toDiagnosticNotation(QCborValue::Compact).left(120).toStdString());
    bool hit = false;
    const int count = m_cache.countPrimes(*part, &hit);
    QCborMap answer = request.toMap();
    answer.insert(key("count"), count);
    answer.insert(key("hit"), hit);
    answer.insert(key("cached"), m_cache.cachedRanges());
    answer.insert(key("sieve"), qint64(m_cache.sieveLimit()));
    answer.insert(key("worker"), context.workerId());
    return answer;
}
