#pragma once

// The `proof` worker's job: check one lemma's steps in order.

#include <QtCore/QCborValue>

namespace Drover {
class WorkerContext;
}

namespace ProofLang {

//! Checks the lemma of a `proof` request (a lemmaPayload()) and answers
//! {status: "ok"}, {status: "error", step, line, message} or
//! {status: "cancelled", step}. Document options come from the context's
//! forwarded feedback (optionBroadcast() values of the same document):
//! `Set Verbose on.` sends a feedback line after each step.
QCborValue checkLemma(const QCborValue &request, Drover::WorkerContext &context);

} // namespace ProofLang
