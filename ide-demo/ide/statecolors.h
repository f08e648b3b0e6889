#pragma once

#include "lemmastate.h" // ide-demo/common: the states and their words

#include <QtGui/QColor>

namespace DroverIde {

// The editor speaks of the shared states in its own namespace; isPending()
// and stateName() are found by argument-dependent lookup.
using DroverDemo::allLemmaStates;
using DroverDemo::LemmaState;

//! The strong colour of a state (margin marks, icons) and the pale one that
//! tints the lemma's lines in the editor (invalid: no tint).
QColor markColor(LemmaState state);
QColor tintColor(LemmaState state);

} // namespace DroverIde
