#pragma once

#include <drover/taskkind.h>

#include <QtCore/QObject>

//! The `proof` kind: one task per lemma of the demo language
//! (docs/language.md). Workers are fresh for every lemma, as Coq's proof
//! workers are, unless the payload asks for a persistent worker: that one
//! stays Old, with what it checked of the lemma as its competence.
class ProofKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "proof.json")
    Q_INTERFACES(Drover::TaskKind)

public:
    std::optional<QCborValue> requestOfTask(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;
};
