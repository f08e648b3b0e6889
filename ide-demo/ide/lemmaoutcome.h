#pragma once

#include "lemmastate.h"

#include <QtCore/QString>

#include <chrono>

namespace Drover { struct TaskResult; }

namespace DroverIde {

//! What one check of a lemma found: its final state, the failing step for
//! an error, and the message the user reads in the tooltip.
struct LemmaOutcome
{
    LemmaState state = LemmaState::Ok;
    int step = 0;                         //!< 1-based failing step, 0 when not about a step
    QString message;
    int workerId = -1;
    std::chrono::milliseconds elapsed{0};
};

//! Reads a `proof` task's result the way drover-check does: a response is
//! ok, error (with the step) or cancelled; a timed-out task is a timeout; a
//! dead worker is a crash whose message is the exit status ("was killed by
//! SIGKILL"); failed, dropped and marshal errors are errors.
LemmaOutcome outcomeOf(const Drover::TaskResult &result);

} // namespace DroverIde
