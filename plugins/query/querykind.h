#pragma once

#include <drover/taskkind.h>

#include <QtCore/QObject>

//! The `query` kind: read-only questions about a document of the demo
//! language (`Eval fib K`, `Eval prime N`, `Search WORD`). Its workers are
//! persistent and interchangeable: any one answers any query, from what was
//! forwarded to all of them (the document's options and its lemma index),
//! and answering changes nothing, so a worker's competence never changes.
class QueryKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "query.json")
    Q_INTERFACES(Drover::TaskKind)

public:
    // master half: every worker stays
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    // worker half: queryPayload() -> {status: "answered", answer, worker}
    //                              or {status: "error", message, worker}
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;
};
