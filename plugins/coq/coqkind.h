#pragma once

#include <drover/taskkind.h>

#include <QtCore/QObject>

//! The `coq` kind: a task compiles one .v file of a Coq development with
//! the machine's real coqc (CoqLib::CoqRequest in, CoqLib::CoqResult out;
//! docs/coq.md). Its workers are persistent and interchangeable: coqc is a
//! new process per file, run by the worker as its child (coqcrun.h), so the
//! worker itself holds nothing between files.
class CoqKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "coq.json")
    Q_INTERFACES(Drover::TaskKind)

public:
    // master half: every worker stays
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    // worker half
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;
};
