#include "querychecks.h"

#include "askqueries.h"
#include "prooflang.h"
#include "queryoutcome.h"

#include <drover/taskqueue.h>

using namespace Drover;
using namespace std::chrono_literals;

QueryChecks::QueryChecks(TaskQueue *queue, const CheckOptions &options, Reporter *reporter, CheckSummary *summary,
                         QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_options(options)
    , m_reporter(reporter)
    , m_summary(summary)
{
    m_queue->setMaxWorkers(m_options.shared.jobs);
    connect(m_queue, &TaskQueue::taskFinished, this, &QueryChecks::onTaskFinished);
    connect(m_queue, &TaskQueue::drained, this, &QueryChecks::onDrained);
    connect(m_queue, &TaskQueue::errorOccurred, this, [this](const QString &message) { m_queueError = message; });
    connect(m_queue, &TaskQueue::workerStarted, this, [this](int id, qint64 pid) {
        m_workerPids.insert(id, pid);
        m_reporter->workerEvent(id, pid, QStringLiteral("started"), {});
    });
    connect(m_queue, &TaskQueue::workerExited, this, [this](int id, const QString &status) {
        m_reporter->workerEvent(id, m_workerPids.take(id), QStringLiteral("exited"), status);
        emit workersChanged();
    });
    connect(m_queue, &TaskQueue::stopped, this, &QueryChecks::workersChanged);
}

// The options and the index stand before any of the document's queries can
// reach a worker; query workers are persistent and read them when answering.
void QueryChecks::enqueueDocument(const QString &file, const ProofLang::Document &document)
{
    if (document.queries.isEmpty())
        return;
    const QList<TaskId> ids = DroverDemo::askQueries(m_queue, file, document, m_options.taskOptions());
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const ProofLang::Query &query = document.queries.at(i);
        m_queries.insert(ids.at(i), {file, query.line, query.column, query.text});
        m_open.insert(ids.at(i));
        ++m_summary->queries;
    }
}

bool QueryChecks::isStopped() const
{
    return m_queue->isStopped() && m_queue->workers().isEmpty();
}

void QueryChecks::cancelAll()
{
    m_queue->cancelAll();
}

void QueryChecks::onTaskFinished(TaskId id, const TaskResult &result)
{
    if (!m_queries.contains(id))
        return;
    if (!m_open.remove(id)) {
        emit internalError(QStringLiteral("query `%1` was reported twice").arg(m_queries.value(id).text));
        return;
    }
    const QueryRef ref = m_queries.value(id);
    const DroverDemo::QueryOutcome outcome = DroverDemo::queryOutcomeOf(result);
    QueryReport o;
    o.file = ref.file;
    o.line = ref.line;
    o.column = ref.column;
    o.text = ref.text;
    o.status = outcome.status;
    o.answer = outcome.answer;
    o.message = outcome.message;
    o.worker = result.workerId;
    o.ms = result.elapsed.count();
    // A query that never reached a worker died of the pool, not of itself.
    if (result.outcome == Outcome::WorkerDied && result.attempts == 0)
        emit internalError(m_queueError.isEmpty() ? result.message : m_queueError);
    if (outcome.answered())
        ++m_summary->answered;
    m_reporter->queryFinished(o);
    emit queryEnded();
}

void QueryChecks::onDrained()
{
    if (m_open.isEmpty())
        return;
    emit internalError(QStringLiteral("the query queue went idle with %1 of %2 queries still without an outcome")
                           .arg(m_open.size())
                           .arg(m_queries.size()));
    m_open.clear();
    emit queryEnded();
}
