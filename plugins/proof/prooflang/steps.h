#pragma once

// The steps of the demo language: their shape (checked when parsing) and
// what they do (run by the `proof` worker). See docs/language.md.

#include <QtCore/QString>

#include <functional>
#include <optional>

namespace ProofLang {

//! Whether a step's text (without the final '.') has the shape of a known
//! step. On failure *offset is where the problem starts (0-based, within
//! text) and *problem says what is wrong. Numbers too large for 64 bits
//! pass here: they are an error of the step when it runs.
bool checkStepSyntax(const QString &text, int *offset, QString *problem);

//! What a running step may do besides computing.
struct StepEnvironment
{
    std::function<bool()> cancelled;               //!< polled by long steps
    std::function<void(const QString &)> say;      //!< feedback
    std::function<void(qint64 megabytes)> hold;    //!< keeps memory until the lemma ends (throws std::bad_alloc)
};

//! Runs one step. Returns nullopt when it holds, else why it does not.
//! `crash` aborts the process and `hang` never returns: that is their point.
std::optional<QString> runStep(const QString &text, const StepEnvironment &environment);

//! Fib(k) mod 2^64, with Fib(0) = 0 and Fib(1) = 1 (fast doubling).
quint64 fibonacci(quint64 k);

//! The smallest divisor of n above 1, or 0 if n is prime (n >= 2); polls
//! cancelled every so often and returns 0 if it fires.
quint64 smallestDivisor(quint64 n, const std::function<bool()> &cancelled);

} // namespace ProofLang
