#pragma once

#include "prooflang.h"

#include <drover/task.h>

#include <QtCore/QList>

namespace Drover { class TaskQueue; }

namespace DroverDemo {

//! Puts a document's queries on a `query` queue: first the broadcasts they
//! are answered from (queryBroadcasts(): the options and the lemma index), so
//! that no query reaches a worker before them, then one task per query.
//! Returns the tasks' ids, one per query of document.queries, in its order.
QList<Drover::TaskId> askQueries(Drover::TaskQueue *queue, const QString &documentId,
                                 const ProofLang::Document &document, const Drover::TaskOptions &options = {});

} // namespace DroverDemo
