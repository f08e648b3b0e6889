#pragma once

#include <QtCore/QString>
#include <QtGui/QColor>

namespace DroverIde {

//! Where a lemma of the open document stands. The first three are "pending"
//! (work still to come); the others are outcomes.
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

//! The lower-case word the user sees ("ok", "checking", "timeout", ...),
//! the same words drover-check prints.
QString stateName(LemmaState state);

//! The strong colour of a state (margin marks, icons) and the pale one that
//! tints the lemma's lines in the editor (invalid: no tint).
QColor markColor(LemmaState state);
QColor tintColor(LemmaState state);

} // namespace DroverIde
