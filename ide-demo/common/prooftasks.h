#pragma once

#include "prooflang.h"

#include <drover/task.h>

namespace DroverDemo {

//! How a lemma's task runs, besides what it checks.
struct LemmaTaskSettings
{
    Drover::TaskOptions options;  //!< time limits and retries
    int priority = 0;             //!< higher first (drover-ide: nearer the cursor)
    bool persistent = false;      //!< the worker stays for further lemmas
};

//! The `proof` task that checks one lemma of the document documentId (its
//! path, the tag of the document's option broadcasts), named after the lemma.
Drover::Task lemmaTask(const QString &documentId, const ProofLang::Lemma &lemma, const LemmaTaskSettings &settings);

//! The `query` task that asks one query of the document documentId, named
//! after the query's text.
Drover::Task queryTask(const QString &documentId, const ProofLang::Query &query, const Drover::TaskOptions &options);

} // namespace DroverDemo
