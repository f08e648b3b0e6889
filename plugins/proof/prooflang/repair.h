#pragma once

// Proof repair (seed 000): a `proof` worker that stays after a lemma holds
// the steps of it that held. When a later version of the same lemma comes to
// that worker, only the steps after the common prefix are sent and checked.
// The master half builds the requests (resumeRequest, holdPayload); the
// worker half checks them against what it holds (HeldProof).

#include <QtCore/QCborValue>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace ProofLang {

//! What a worker holds after checking a lemma: the leading steps that held.
struct HeldProof
{
    QString doc;
    QString lemma;
    QStringList steps;  //!< texts of the steps that held, in order

    bool holds(const QString &d, const QString &l) const { return doc == d && lemma == l; }
};

//! The texts of the steps of a lemma payload (or of a competence's prefix).
QStringList stepTexts(const QCborValue &steps);

//! How many leading entries two step lists share.
int commonPrefix(const QStringList &a, const QStringList &b);

//! A digest of the first `count` steps, which a resumed request carries so
//! the worker can tell that it holds exactly those steps.
QByteArray prefixDigest(const QStringList &steps, int count);

//! The request that resumes a lemma payload after its first `after` steps
//! (which the worker holds as `held`): the later steps only, and
//! {resume: {after, digest}}. With after == 0, the payload itself.
QCborValue resumeRequest(const QCborValue &payload, const QStringList &held, int after);

//! The step a request starts checking from (1 when it is not resumed).
int resumeAfter(const QCborValue &request);

//! Why this worker cannot resume the request, or nullopt when it can (or the
//! request is not resumed).
std::optional<QString> resumeProblem(const QCborValue &request, const HeldProof &held);

//! The follow-up task of a lemma that failed (seed 000's "request state
//! k-1"): asks the worker `worker` to keep the first `checked` steps of the
//! lemma for a repair and to confirm that it holds them.
QCborValue holdPayload(const QString &doc, const QString &lemma, int checked, int worker);
bool isHoldRequest(const QCborValue &payload);

//! The worker's answer to a hold request: {status: "holding", doc, lemma,
//! checked, worker}, or {status: "released", message} when it does not hold
//! that lemma (any more).
QCborValue hold(const QCborValue &request, HeldProof &held, int worker);

} // namespace ProofLang
