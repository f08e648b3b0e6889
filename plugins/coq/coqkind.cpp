#include "coqkind.h"

#include "coqcrun.h"

#include <drover/workercontext.h>

using namespace Drover;

Decision CoqKind::useResponse(const WorkerStatus &, const Task &, const QCborValue &)
{
    return Decision::keep(QCborValue(true));
}

QCborValue CoqKind::perform(const QCborValue &request, WorkerContext &context)
{
    const CoqLib::CoqRequest coq = CoqLib::CoqRequest::fromCbor(request.toMap());
    if (coq.file.isEmpty())
        throw TaskFailure("a coq task names no file");
    return runCoqc(coq, [&context] { return context.isCancelled(); }).toCbor();
}
