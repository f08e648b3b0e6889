#pragma once

// The steps of the demo language: their shape (checked when parsing) and
// what they do (run by the `proof` worker). See docs/language.md.

#include <QtCore/QCborValue>
#include <QtCore/QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ProofLang {

//! The most `alloc MB` may ask for (1 TiB); more is an error of the step.
inline constexpr quint64 MaxAllocMegabytes = quint64(1) << 20;

//! A step's text split at its first white space.
struct StepWords
{
    QString keyword;
    QString rest;        //!< what follows the keyword, trimmed
    int restOffset = 0;  //!< 0-based index of rest in the text (its end when rest is empty)
};

StepWords splitStep(const QString &text);

//! Whether a step's text (without the final '.') has the shape of a known
//! step. On failure *offset is where the problem starts (0-based, within
//! text) and *problem says what is wrong. Numbers too large for 64 bits
//! pass here: they are an error of the step when it runs.
bool checkStepSyntax(const QString &text, int *offset, QString *problem);

//! What a running step may do besides computing.
struct StepEnvironment
{
    std::function<bool()> cancelled;           //!< polled by long steps
    std::function<void(const QString &)> say;  //!< feedback
    //! Where `alloc` keeps its blocks; the caller frees them when the lemma ends.
    std::vector<std::unique_ptr<char[]>> *memory = nullptr;
    //! Asks the master a question (WorkerContext::ask); `par` steps fan out
    //! through it. Null: a `par` step fails saying that it cannot.
    std::function<std::optional<QCborValue>(const QCborValue &question, QString *error)> ask;
};

//! Runs one step. Returns nullopt when it holds (or was cut short by
//! cancellation: the caller looks at the flag), else why it does not.
//! `crash` aborts the process and `hang` never returns: that is their point.
std::optional<QString> runStep(const QString &text, const StepEnvironment &environment);

} // namespace ProofLang
