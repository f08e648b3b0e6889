#pragma once

// What the suites of the demo proof language share: a one-lemma document,
// checking it in-process as the `proof` worker would, and the texts of the
// feedback it sent.

#include "checker.h"
#include "prooflang.h"

#include <drover/testing.h>

#include <QtCore/QCborValue>
#include <QtCore/QStringList>

namespace TestSupport {

inline QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

//! A document of one lemma `l` (Lemma on line 1, Proof. on 2, steps from 3).
inline QString lemma(const QString &steps)
{
    return QStringLiteral("Lemma l: s.\nProof.\n%1\nQed.\n").arg(steps);
}

//! Checks the first lemma of a document as the `proof` worker would.
inline QCborValue check(const QString &document, Drover::WorkerContext &context)
{
    const ProofLang::Document doc = ProofLang::parse(document);
    if (!doc.errors.isEmpty() || doc.lemmas.isEmpty())
        return QStringLiteral("parse error");
    return ProofLang::checkLemma(ProofLang::lemmaPayload(QStringLiteral("doc"), doc.lemmas.first(), false), context);
}

//! The `text` of each feedback item, in order (read after the check).
inline QStringList feedbackTexts(const Drover::Testing::LocalContext &context)
{
    QStringList texts;
    for (const QCborValue &value : context.feedback)
        texts << value[key("text")].toString();
    return texts;
}

} // namespace TestSupport
