#include "drover/taskresult.h"

namespace Drover {

QString outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Done: return QStringLiteral("done");
    case Outcome::Failed: return QStringLiteral("failed");
    case Outcome::Cancelled: return QStringLiteral("cancelled");
    case Outcome::Dropped: return QStringLiteral("dropped");
    case Outcome::TimedOut: return QStringLiteral("timed-out");
    case Outcome::WorkerDied: return QStringLiteral("worker-died");
    case Outcome::MarshalError: return QStringLiteral("marshal-error");
    }
    return QStringLiteral("unknown");
}

} // namespace Drover
