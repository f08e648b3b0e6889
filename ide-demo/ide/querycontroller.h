#pragma once

#include <drover/task.h>
#include <drover/taskqueue.h>
#include <drover/taskresult.h>

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace DroverDemo {
struct LemmaEntry;
class ProofDocument;
}

namespace DroverIde {

using DroverDemo::LemmaEntry;
using DroverDemo::ProofDocument;

//! Asks the document's queries (`Eval`, `Search`) on a `query` queue and
//! reports the answers. Query workers read the document's options and lemma
//! index from broadcasts: when either changes, or the queries do, the
//! broadcasts are renewed, queries still out are cancelled and every query is
//! asked again, a moment after typing pauses.
class QueryController : public QObject
{
    Q_OBJECT

public:
    //! queue may be null (no `query` plugin): queries are then not asked.
    QueryController(ProofDocument *document, Drover::TaskQueue *queue, QObject *parent = nullptr);

    Drover::TaskQueue *queue() const { return m_queue; }
    //! The tag of the document's broadcasts (its path).
    void setDocumentId(const QString &id);
    //! Every query asked has its answer and nothing waits for the pause.
    bool isSettled() const { return m_live.isEmpty() && !m_pause.isActive(); }

Q_SIGNALS:
    //! A query's outcome: its answer, or why it has none.
    void answered(int line, const QString &query, const QString &text, bool ok);

private:
    void refresh();
    void onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result);

    struct Asked
    {
        int line = 0;
        QString text;
    };

    ProofDocument *m_document;
    QPointer<Drover::TaskQueue> m_queue;
    QString m_documentId;
    QString m_signature;               //!< of what was asked last
    QHash<Drover::TaskId, Asked> m_live;
    QTimer m_pause;
};

} // namespace DroverIde
