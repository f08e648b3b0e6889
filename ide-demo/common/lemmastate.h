#pragma once

#include <QtCore/QString>

namespace DroverDemo {

//! Where a lemma stands. The first three are "pending" (work still to come,
//! only drover-ide has them); the others are outcomes, and their words are
//! the statuses drover-check reports.
enum class LemmaState {
    Edited,    //!< changed, waiting for the typing pause before it is queued
    Queued,    //!< its task waits for a worker
    Checking,  //!< a worker runs its task
    Ok,
    Error,     //!< a step did not hold (or the check itself failed)
    Crashed,   //!< its worker died under it
    Timeout,   //!< it ran past the time limit
    Cancelled,
};

inline constexpr LemmaState allLemmaStates[] = {
    LemmaState::Edited, LemmaState::Queued, LemmaState::Checking, LemmaState::Ok,
    LemmaState::Error, LemmaState::Crashed, LemmaState::Timeout, LemmaState::Cancelled,
};

//! Whether the lemma still waits for work to finish.
bool isPending(LemmaState state);

//! The lower-case word for a state ("ok", "checking", "timeout", ...): what
//! drover-ide shows and drover-check prints.
QString stateName(LemmaState state);

} // namespace DroverDemo
