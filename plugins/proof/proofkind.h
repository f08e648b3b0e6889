#pragma once

#include <drover/taskkind.h>

#include <QtCore/QObject>

//! The `proof` kind: one task per lemma of the demo language. Workers are
//! fresh for every lemma (Coq's proof workers reboot), unless the payload
//! asks for a persistent worker, which then stays Old with the lemma it
//! checked as its competence.
class ProofKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "proof.json")
    Q_INTERFACES(Drover::TaskKind)
public:
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;
};
