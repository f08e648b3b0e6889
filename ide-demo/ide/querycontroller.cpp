#include "querycontroller.h"

#include "askqueries.h"
#include "broadcasts.h"
#include "proofdocument.h"
#include "queryoutcome.h"

#include <drover/taskqueue.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

namespace DroverIde {

using namespace std::chrono_literals;

QueryController::QueryController(ProofDocument *document, Drover::TaskQueue *queue, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_queue(queue)
{
    m_pause.setSingleShot(true);
    m_pause.setInterval(300ms);
    connect(&m_pause, &QTimer::timeout, this, &QueryController::refresh);
    connect(document, &ProofDocument::lemmasChanged, this, [this] {
        if (m_queue && !m_document->queries().isEmpty())
            m_pause.start();
    });
    if (queue)
        connect(queue, &Drover::TaskQueue::taskFinished, this, &QueryController::onTaskFinished);
}

void QueryController::setDocumentId(const QString &id)
{
    m_documentId = id;
}

void QueryController::refresh()
{
    if (!m_queue)
        return;
    // What the answers depend on: the options, the lemma index, the queries.
    ProofLang::Document asked;
    asked.options = m_document->options();
    for (const LemmaEntry &entry : m_document->lemmas())
        asked.lemmas.append(entry.lemma);
    asked.queries = m_document->queries();
    QCborArray state;
    state.append(m_documentId);
    for (const QCborValue &broadcast : DroverDemo::queryBroadcasts(m_documentId, asked))
        state.append(broadcast);
    for (const ProofLang::Query &query : std::as_const(asked.queries))
        state.append(ProofLang::queryPayload(m_documentId, query));
    const QString signature = QString::fromLatin1(state.toCborValue().toCbor().toBase64());
    if (signature == m_signature)
        return;
    m_signature = signature;

    const QList<Drover::TaskId> stale = m_live.keys();
    m_live.clear();
    m_queue->cancel(stale);
    // The broadcasts that the stale queries were answered from go with them.
    m_queue->clearForwardedFeedback();
    const QList<Drover::TaskId> ids = DroverDemo::askQueries(m_queue, m_documentId, asked);
    for (qsizetype i = 0; i < ids.size(); ++i)
        m_live.insert(ids.at(i), {asked.queries.at(i).line, asked.queries.at(i).text});
}

void QueryController::onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result)
{
    const auto it = m_live.constFind(id);
    if (it == m_live.cend())
        return; // a stale query, cancelled
    const Asked asked = it.value();
    m_live.erase(it);
    const DroverDemo::QueryOutcome outcome = DroverDemo::queryOutcomeOf(result);
    emit answered(asked.line, asked.text, outcome.answered() ? outcome.answer : outcome.message, outcome.answered());
}

} // namespace DroverIde
