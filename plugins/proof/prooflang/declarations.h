#pragma once

// The two lines that stand outside a proof: `Lemma NAME: statement.` and
// `Set NAME VALUE.`. See docs/language.md.

#include "prooflang.h"

#include <optional>

namespace ProofLang {

//! What is wrong with a line, and where (0-based, within the cleaned line).
struct LineProblem
{
    int offset = 0;
    QString message;
};

//! Whether a cleaned line starts with `word` as a whole word.
bool startsWithWord(const QString &text, QLatin1String word);

//! Reads a line that starts with the word `Lemma` into name and statement;
//! *nameOffset is where the name starts.
std::optional<LineProblem> readLemmaHeader(const QString &text, Lemma *lemma, int *nameOffset);

//! Reads a line that starts with the word `Set` into name and value.
std::optional<LineProblem> readOption(const QString &text, Option *option);

} // namespace ProofLang
