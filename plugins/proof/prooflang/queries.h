#pragma once

// The query lines of a document, `Eval EXPR.` and `Search WORD.`: their
// shape, checked when parsing and again by the `query` worker. See
// docs/language.md.

#include "declarations.h"
#include "prooflang.h"

#include <optional>

namespace ProofLang {

//! What a query asks, once its text has been read.
struct QueryForm
{
    enum class Kind { EvalFib, EvalPrime, Search };
    Kind kind = Kind::Search;
    QString argument;  //!< the digits of K or N, or the WORD
};

//! Whether a cleaned line starts with the word `Eval` or `Search`.
bool isQueryLine(const QString &text);

//! Reads a query's text without its final `.` ("Eval fib 90"). On failure
//! *problem says what is wrong and where (0-based, within text). Numbers too
//! large for 64 bits pass here: they are an error of the answer.
std::optional<QueryForm> readQueryText(const QString &text, LineProblem *problem);

//! Reads a cleaned line that isQueryLine() (with its `.`) into *query's text.
std::optional<LineProblem> readQuery(const QString &text, Query *query);

} // namespace ProofLang
