#pragma once

#include "lemmastate.h"

#include <drover/taskresult.h>

#include <QtCore/QString>

#include <chrono>

namespace DroverDemo {

//! What one check of a lemma found: its final state, the failing step for
//! an error, and the message the user reads.
struct LemmaOutcome
{
    LemmaState state = LemmaState::Ok;
    int step = 0;                         //!< 1-based failing step, 0 when not about a step
    int stepLine = 0;                     //!< the failing step's line, 0 when unknown
    int stepColumn = 0;                   //!< and its column (both from 1)
    QString message;
    int workerId = -1;
    std::chrono::milliseconds elapsed{0};
};

//! The state of a task that ended without a response of its kind: a timed-out
//! task is a timeout, a dead worker a crash; failed, dropped and marshal
//! errors are errors. A query that ends so has the same word.
LemmaState stateWithoutResponse(Drover::Outcome outcome);

//! Reads a `proof` task's result: a response is ok, error (with the step) or
//! cancelled; otherwise stateWithoutResponse(), with the result's message (a
//! crash's is the exit status, "was killed by SIGKILL").
LemmaOutcome lemmaOutcomeOf(const Drover::TaskResult &result);

} // namespace DroverDemo
