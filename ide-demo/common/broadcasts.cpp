#include "broadcasts.h"

#include <drover/taskqueue.h>

namespace DroverDemo {

QList<QCborValue> optionBroadcasts(const QString &documentId, const QList<ProofLang::Option> &options)
{
    QList<QCborValue> broadcasts;
    for (const ProofLang::Option &option : options)
        broadcasts.append(ProofLang::optionBroadcast(documentId, option));
    return broadcasts;
}

QList<QCborValue> queryBroadcasts(const QString &documentId, const ProofLang::Document &document)
{
    QList<QCborValue> broadcasts = optionBroadcasts(documentId, document.options);
    broadcasts.append(ProofLang::indexBroadcast(documentId, document));
    return broadcasts;
}

void forwardBroadcasts(Drover::TaskQueue *queue, const QList<QCborValue> &broadcasts)
{
    for (const QCborValue &broadcast : broadcasts)
        queue->forwardFeedback(broadcast);
}

} // namespace DroverDemo
