#include "askqueries.h"

#include "broadcasts.h"
#include "prooftasks.h"

#include <drover/taskqueue.h>

namespace DroverDemo {

QList<Drover::TaskId> askQueries(Drover::TaskQueue *queue, const QString &documentId,
                                 const ProofLang::Document &document, const Drover::TaskOptions &options)
{
    forwardBroadcasts(queue, queryBroadcasts(documentId, document));
    QList<Drover::TaskId> ids;
    for (const ProofLang::Query &query : document.queries)
        ids.append(queue->enqueue(queryTask(documentId, query, options)));
    return ids;
}

} // namespace DroverDemo
