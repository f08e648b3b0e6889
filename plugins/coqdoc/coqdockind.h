#pragma once

#include <drover/taskkind.h>

#include <QtCore/QObject>

#include <memory>

class CoqDocSession;

//! The `coqdoc` kind (docs/coq.md, "Interactive documents"): a task brings
//! a worker's coqidetop to a text of one Coq document (CoqLib::CoqDocRequest)
//! and streams each sentence's outcome as feedback. A worker stays with the
//! document it holds (its competence: {document, role}), so that the next
//! text resumes after their common prefix; it takes no other document's
//! task, and is ended when its coqidetop is lost.
class CoqDocKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "coqdoc.json")
    Q_INTERFACES(Drover::TaskKind)

public:
    CoqDocKind();
    ~CoqDocKind() override;

    // master half
    bool taskMatch(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    //! The worker that held the same role of the document ranks first.
    int taskAffinity(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    // worker half: CoqLib::CoqDocResult; feedback: CoqLib::outcomesFeedback()
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;

private:
    std::unique_ptr<CoqDocSession> m_session; //!< in a worker: its coqidetop
};
