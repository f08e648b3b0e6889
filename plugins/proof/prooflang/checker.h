#pragma once

// The `proof` worker's job: check one lemma's steps in order.

#include <QtCore/QCborValue>

namespace Drover {
class WorkerContext;
}

namespace ProofLang {

struct HeldProof;

//! Checks the lemma of a `proof` request (a lemmaPayload(), or a
//! resumeRequest()) and answers
//!   {status: "ok", checked, from, worker},
//!   {status: "error", step, line, column, message, checked, from, worker} or
//!   {status: "cancelled", step, checked, from, worker},
//! where `checked` counts the leading steps that held (those held before a
//! resume included), `from` is the step checking started from (1 unless
//! resumed) and `worker` is context.workerId(). A request of the wrong shape
//! is answered {status: "error", step: 0, line: 0, message}.
//! Feedback (`say`, `Set Verbose on.`, and "resuming from step K") is
//! {doc, lemma, step, line, text}.
//! Document options come from the context's forwarded feedback (the
//! optionBroadcast() values of the same document; the latest one of a name
//! wins). Memory taken by `alloc` is freed when this returns.
//! `held` (may be null) is what this worker holds: a resumed request must
//! match it (else TaskFailure says why), and afterwards it holds the steps
//! of this lemma that held.
QCborValue checkLemma(const QCborValue &request, Drover::WorkerContext &context, HeldProof *held = nullptr);

} // namespace ProofLang
