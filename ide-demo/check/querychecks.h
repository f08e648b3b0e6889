#pragma once

#include "checkoptions.h"
#include "reporter.h"

#include <drover/task.h>

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

namespace Drover {
class TaskQueue;
struct TaskResult;
}
namespace ProofLang { struct Document; }

//! The queries (`Eval`, `Search`) of a drover-check run, asked on a `query`
//! queue beside the `proof` one. Each document's options and lemma index are
//! broadcast to the query workers before its queries are queued; each
//! query's outcome goes to the reporter and the summary's counts.
class QueryChecks : public QObject
{
    Q_OBJECT
public:
    //! Reports to `reporter` and counts into `summary`; both outlive this.
    QueryChecks(Drover::TaskQueue *queue, const CheckOptions &options, Reporter *reporter, CheckSummary *summary,
                QObject *parent = nullptr);

    void enqueueDocument(const QString &file, const ProofLang::Document &document);
    //! Every query has its outcome.
    bool allIn() const { return m_open.isEmpty(); }
    //! The queue is stopped and its workers are gone.
    bool isStopped() const;
    void cancelAll();

Q_SIGNALS:
    //! A query got its outcome (allIn() may now be true).
    void queryEnded();
    //! A query worker exited, or the queue stopped: a chance to finish.
    void workersChanged();
    //! Something that is no query's own outcome went wrong: exit code 3.
    void internalError(const QString &message);

private:
    struct QueryRef
    {
        QString file;
        int line = 0;
        int column = 0;
        QString text;
    };

    void onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result);
    void onDrained();

    Drover::TaskQueue *m_queue;
    CheckOptions m_options;
    Reporter *m_reporter;
    CheckSummary *m_summary;
    QHash<Drover::TaskId, QueryRef> m_queries;  //!< every query enqueued
    QSet<Drover::TaskId> m_open;                //!< those without an outcome yet
    QHash<int, qint64> m_workerPids;
    QString m_queueError;  //!< the queue's last errorOccurred()
};
