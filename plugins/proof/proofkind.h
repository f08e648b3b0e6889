#pragma once

#include "repair.h"

#include <drover/taskkind.h>

#include <QtCore/QObject>

//! The `proof` kind: one task per lemma of the demo language
//! (docs/language.md). Workers are fresh for every lemma, as Coq's proof
//! workers are, with two exceptions that leave a worker Old:
//! - proof repair: a lemma that fails after some steps held leaves its
//!   worker holding those steps, confirmed by a follow-up `hold` task; an
//!   edited version of that lemma goes to that worker and resumes after the
//!   common prefix;
//! - the payload asks for a persistent worker, which takes any lemma next.
class ProofKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "proof.json")
    Q_INTERFACES(Drover::TaskKind)

public:
    // master half
    std::optional<QCborValue> requestOfTask(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    bool taskMatch(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    // worker half
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;

private:
    ProofLang::HeldProof m_held;  //!< in the worker: the steps of the last lemma that held
};
