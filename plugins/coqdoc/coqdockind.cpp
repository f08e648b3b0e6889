#include "coqdockind.h"

#include "coqdocsession.h"

#include <drover/workercontext.h>

using namespace Drover;

namespace {
QLatin1StringView key(const char *name)
{
    return QLatin1StringView(name);
}
} // namespace

CoqDocKind::CoqDocKind() = default;
CoqDocKind::~CoqDocKind() = default;

bool CoqDocKind::taskMatch(const WorkerStatus &status, const Task &task)
{
    return status.fresh || status.competence[key("document")] == task.payload[key("document")];
}

int CoqDocKind::taskAffinity(const WorkerStatus &status, const Task &task)
{
    if (status.fresh)
        return NoAffinity;
    return status.competence[key("role")] == task.payload[key("role")] ? 1 : 0;
}

Decision CoqDocKind::useResponse(const WorkerStatus &, const Task &task, const QCborValue &response)
{
    const QString status = response[key("status")].toString();
    if (status == QLatin1String("crashed") || status == QLatin1String("failed"))
        return Decision::end(); // its coqidetop is gone: a fresh worker starts again
    return Decision::keep(QCborMap{{key("document"), task.payload[key("document")]}, {key("role"), task.payload[key("role")]}});
}

QCborValue CoqDocKind::perform(const QCborValue &request, WorkerContext &context)
{
    const CoqLib::CoqDocRequest doc = CoqLib::CoqDocRequest::fromCbor(request.toMap());
    if (doc.document.isEmpty())
        throw TaskFailure("a coqdoc task names no document");
    if (!m_session)
        m_session = std::make_unique<CoqDocSession>();
    const CoqLib::CoqDocResult result = m_session->check(
        doc, [&context](const QList<CoqLib::CoqSentenceOutcome> &outcomes) { context.sendFeedback(CoqLib::outcomesFeedback(outcomes)); },
        [&context] { return context.isCancelled(); });
    return result.toCbor();
}
