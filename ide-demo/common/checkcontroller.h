#pragma once

#include "lemmastate.h"
#include "proofdocument.h"

#include <drover/task.h>
#include <drover/taskresult.h>

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <chrono>

namespace Drover { class TaskQueue; }

namespace DroverDemo {

//! Keeps a `proof` queue busy with the document's lemmas: every edited lemma
//! is queued once typing pauses, the tasks of lemmas that changed are
//! cancelled at once, and queued lemmas are ordered by their distance to the
//! cursor. Outcomes go back into the ProofDocument.
//!
//! Lives on the queue's (the GUI) thread. Owns neither the document nor the
//! queue.
class CheckController : public QObject
{
    Q_OBJECT
public:
    CheckController(ProofDocument *document, Drover::TaskQueue *queue, QObject *parent = nullptr);
    ~CheckController() override;

    Drover::TaskQueue *queue() const { return m_queue; }
    ProofDocument *document() const { return m_document; }

    //! The tag of the document's options and lemmas on the workers (its path).
    void setDocumentId(const QString &id);
    QString documentId() const { return m_documentId; }

    //! How long typing must pause before edited lemmas are queued.
    void setEditPause(std::chrono::milliseconds pause);
    std::chrono::milliseconds editPause() const;
    //! Per-lemma time limit (zero: none): SIGTERM at the limit, SIGKILL two
    //! seconds later. Applies to lemmas queued afterwards.
    void setTimeLimit(std::chrono::milliseconds limit);
    std::chrono::milliseconds timeLimit() const { return m_timeLimit; }

    //! A new document: everything is checked now, without the pause.
    void load(const QString &text);
    //! The user changed the text: changed lemmas are checked after the pause.
    void edit(const QString &text);
    //! The cursor is on this 1-based line: queued lemmas near it go first.
    void setCursorLine(int line);

    void recheckAll();
    void recheckLemma(int uid);
    //! Cancels everything queued and running, and the edits waiting for the
    //! pause; their lemmas end cancelled.
    void cancelAll();
    //! Cancels these tasks (the Tasks dock's Cancel), saying which were running.
    void cancelTasks(const QList<Drover::TaskId> &tasks);

    //! Every lemma has an outcome and nothing waits for the pause.
    bool isSettled() const;

Q_SIGNALS:
    void lemmaStarted(const QString &name, int workerId);
    void lemmaFinished(const QString &name, DroverDemo::LemmaState state, const QString &message);
    //! Queued tasks got new priorities (the cursor moved or lemmas were queued).
    void prioritiesChanged();
    //! The last pending lemma got its outcome.
    void settled();
    //! An edit brought these lemmas (uids) back to a text already checked:
    //! their ok or error came back from memory, and no task was queued.
    void verdictsReused(const QList<int> &uids);
    //! These running tasks were asked to stop (an edit of their lemma, Cancel
    //! All, the Tasks dock's Cancel); each ends when its worker answers, or
    //! is killed after the queue's cancel grace.
    void cancelling(const QList<Drover::TaskId> &tasks);

private:
    void dropStale(const ProofDocument::Change &change);
    void enqueueEdited();
    void forwardOptions();
    int priorityOf(int firstLine, int lastLine) const;
    void onTaskStarted(Drover::TaskId id, int workerId);
    void onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result);
    void checkSettled();
    QString nameOf(int uid) const;

    ProofDocument *m_document;
    Drover::TaskQueue *m_queue;
    QString m_documentId;
    QTimer m_pause;
    std::chrono::milliseconds m_timeLimit{0};
    QHash<Drover::TaskId, int> m_lemmaOfTask; // live tasks -> lemma uid
    int m_cursorLine = 1;
    bool m_optionsDirty = true;
    bool m_wasSettled = true;
};

} // namespace DroverDemo
