#pragma once

#include "primeblocks.h"

#include <drover/taskkind.h>

#include <QtCore/QObject>

//! The `par` kind: persistent workers that count the primes of one block
//! (primeblocks.h) per task and keep the blocks they sieved. Their
//! competence is the cache - the ranges of blocks they hold - and a worker
//! is given, of the queued blocks, one it holds before any other. Its tasks
//! come from a `par prime A..B` step of a lemma, fanned out by ParFanOut.
class ParKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "par.json")
    Q_INTERFACES(Drover::TaskKind)

public:
    // master half
    int taskAffinity(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    // worker half: {block, from, to} -> {block, from, to, count, hit, cached, sieve, worker}
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;

private:
    Par::PrimeBlockCache m_cache;  //!< in the worker
};
