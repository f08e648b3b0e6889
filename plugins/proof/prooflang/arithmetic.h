#pragma once

// The arithmetic behind `prime` and `fib`. See docs/language.md.

#include <QtCore/QtGlobal>

#include <functional>

namespace ProofLang {

//! Fib(k) mod 2^64, with Fib(0) = 0 and Fib(1) = 1. Fast doubling: 64 rounds
//! whatever k, so it needs no cancellation point.
quint64 fibonacci(quint64 k);

//! The smallest divisor of n above 1, or 0 if n is prime (n >= 2), by trial
//! division. Polls `cancelled` about every millisecond and returns 0 once it
//! fires (the caller then looks at the flag, not at the answer).
quint64 smallestDivisor(quint64 n, const std::function<bool()> &cancelled);

} // namespace ProofLang
