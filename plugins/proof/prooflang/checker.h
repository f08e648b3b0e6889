#pragma once

// The `proof` worker's job: check one lemma's steps in order.

#include <QtCore/QCborValue>

namespace Drover {
class WorkerContext;
}

namespace ProofLang {

//! Checks the lemma of a `proof` request (a lemmaPayload()) and answers
//!   {status: "ok", checked},
//!   {status: "error", step, line, column, message, checked} or
//!   {status: "cancelled", step, checked},
//! where `checked` counts the leading steps that held. A request of the
//! wrong shape is answered {status: "error", step: 0, line: 0, message}.
//! Feedback (`say`, and `Set Verbose on.`) is {doc, lemma, step, line, text}.
//! Document options come from the context's forwarded feedback (the
//! optionBroadcast() values of the same document; the latest one of a name
//! wins). Memory taken by `alloc` is freed when this returns.
QCborValue checkLemma(const QCborValue &request, Drover::WorkerContext &context);

} // namespace ProofLang
