#pragma once

#include <drover/taskresult.h>

#include <QtCore/QString>

//! The status word drover-check reports for a task that ended without a
//! response of its kind (for Outcome::Done the kind's response says it).
inline QString statusWithoutResponse(Drover::Outcome outcome)
{
    switch (outcome) {
    case Drover::Outcome::TimedOut:
        return QStringLiteral("timeout");
    case Drover::Outcome::Cancelled:
        return QStringLiteral("cancelled");
    case Drover::Outcome::WorkerDied:
        return QStringLiteral("crashed");
    case Drover::Outcome::Done:
    case Drover::Outcome::Failed:
    case Drover::Outcome::MarshalError:
    case Drover::Outcome::Dropped:
        break;
    }
    return QStringLiteral("error");
}
