#pragma once

#include <QtCore/QString>

#include <optional>

namespace DroverDemo {

//! Where a lemma, or a file of a Coq development, stands. The first three
//! are "pending" (work still to come, only drover-ide has them); the others
//! are outcomes, and their words are the statuses drover-check reports.
//! Skipped and UpToDate are only a Coq file's.
enum class LemmaState {
    Edited,    //!< changed, waiting for the typing pause before it is queued
    Queued,    //!< its task waits for a worker
    Checking,  //!< a worker runs its task
    Ok,
    Error,     //!< a step did not hold (or the check itself failed)
    Crashed,   //!< its worker died under it
    Timeout,   //!< it ran past the time limit
    Cancelled,
    Skipped,   //!< a file it needs did not build
    UpToDate,  //!< ok without a build: its .vo was newer than all it needs
};

inline constexpr LemmaState allLemmaStates[] = {
    LemmaState::Edited, LemmaState::Queued, LemmaState::Checking, LemmaState::Ok,
    LemmaState::UpToDate, LemmaState::Error, LemmaState::Skipped, LemmaState::Crashed,
    LemmaState::Timeout, LemmaState::Cancelled,
};

//! Whether the lemma still waits for work to finish.
bool isPending(LemmaState state);

//! The lower-case word for a state ("ok", "checking", "timeout", ...): what
//! drover-ide shows and drover-check prints.
QString stateName(LemmaState state);

//! The state of a word stateName() gives (and `up-to-date`); nullopt for
//! any other word.
std::optional<LemmaState> stateNamed(const QString &word);

} // namespace DroverDemo
