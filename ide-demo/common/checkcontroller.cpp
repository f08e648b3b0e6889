#include "checkcontroller.h"

#include "broadcasts.h"
#include "lemmaoutcome.h"
#include "prooftasks.h"
#include "sharedoptions.h"

#include <drover/taskqueue.h>

using namespace std::chrono_literals;

namespace DroverDemo {

CheckController::CheckController(ProofDocument *document, Drover::TaskQueue *queue, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_queue(queue)
{
    m_pause.setSingleShot(true);
    m_pause.setInterval(500ms);
    connect(&m_pause, &QTimer::timeout, this, &CheckController::enqueueEdited);
    connect(queue, &Drover::TaskQueue::taskStarted, this, &CheckController::onTaskStarted);
    connect(queue, &Drover::TaskQueue::taskFinished, this, &CheckController::onTaskFinished);
}

CheckController::~CheckController() = default;

void CheckController::setDocumentId(const QString &id)
{
    if (id != m_documentId) {
        m_documentId = id;
        m_optionsDirty = true;
    }
}

void CheckController::setEditPause(std::chrono::milliseconds pause) { m_pause.setInterval(pause); }

std::chrono::milliseconds CheckController::editPause() const { return m_pause.intervalAsDuration(); }

void CheckController::setTimeLimit(std::chrono::milliseconds limit) { m_timeLimit = limit; }

void CheckController::load(const QString &text)
{
    m_pause.stop();
    dropStale(m_document->setText(text));
    // Results of another document (or another id) say nothing about this one.
    dropStale(m_document->invalidateAll());
    m_optionsDirty = true;
    enqueueEdited();
}

void CheckController::edit(const QString &text)
{
    const ProofDocument::Change change = m_document->setText(text);
    if (change.optionsChanged)
        m_optionsDirty = true; // every lemma's key changed with them: all are stale
    dropStale(change);
    if (!change.reusedVerdicts.isEmpty())
        emit verdictsReused(change.reusedVerdicts);
    m_pause.start();
    checkSettled();
}

void CheckController::dropStale(const ProofDocument::Change &change)
{
    QList<Drover::TaskId> running;
    for (Drover::TaskId id : change.staleTasks) {
        if (m_queue->isRunning(id))
            running << id;
    }
    if (!running.isEmpty())
        emit cancelling(running);
    for (Drover::TaskId id : change.staleTasks) {
        m_lemmaOfTask.remove(id);
        m_queue->cancel(id);
    }
}

void CheckController::cancelTasks(const QList<Drover::TaskId> &tasks)
{
    QList<Drover::TaskId> running;
    for (Drover::TaskId id : tasks) {
        if (m_queue->isRunning(id))
            running << id;
    }
    if (!running.isEmpty())
        emit cancelling(running);
    m_queue->cancel(tasks);
}

void CheckController::forwardOptions()
{
    // Options stand on the queue until cleared: the workers that start later
    // get them in their welcome, before their first lemma.
    m_queue->clearForwardedFeedback();
    forwardBroadcasts(m_queue, optionBroadcasts(m_documentId, m_document->options()));
    m_optionsDirty = false;
}

void CheckController::enqueueEdited()
{
    m_pause.stop();
    if (m_optionsDirty)
        forwardOptions();
    QList<int> edited;
    for (const LemmaEntry &entry : m_document->lemmas()) {
        if (entry.state == LemmaState::Edited)
            edited << entry.uid;
    }
    LemmaTaskSettings settings;
    if (m_timeLimit > 0ms) {
        settings.options.termTimeout = m_timeLimit;
        settings.options.killTimeout = defaultKillAfter;
    }
    for (int uid : std::as_const(edited)) {
        const LemmaEntry *entry = m_document->lemma(uid);
        if (!entry)
            continue;
        settings.priority = priorityOf(entry->lemma.line, entry->lemma.endLine);
        const Drover::TaskId id = m_queue->enqueue(lemmaTask(m_documentId, entry->lemma, settings));
        m_lemmaOfTask.insert(id, uid);
        m_document->setQueued(uid, id);
    }
    if (!edited.isEmpty())
        emit prioritiesChanged();
    checkSettled();
}

int CheckController::priorityOf(int firstLine, int lastLine) const
{
    if (m_cursorLine < firstLine)
        return m_cursorLine - firstLine;
    if (m_cursorLine > lastLine)
        return lastLine - m_cursorLine;
    return 0;
}

void CheckController::setCursorLine(int line)
{
    if (line == m_cursorLine)
        return;
    m_cursorLine = line;
    bool changed = false;
    for (const LemmaEntry &entry : m_document->lemmas()) {
        if (entry.state == LemmaState::Queued)
            changed |= m_queue->setPriority(entry.task, priorityOf(entry.lemma.line, entry.lemma.endLine));
    }
    if (changed)
        emit prioritiesChanged();
}

void CheckController::recheckAll()
{
    dropStale(m_document->invalidateAll());
    enqueueEdited();
}

void CheckController::recheckLemma(int uid)
{
    dropStale(m_document->invalidate(uid));
    enqueueEdited();
}

void CheckController::cancelAll()
{
    m_pause.stop();
    QList<int> waiting;
    for (const LemmaEntry &entry : m_document->lemmas()) {
        if (entry.state == LemmaState::Edited)
            waiting << entry.uid;
    }
    for (int uid : std::as_const(waiting)) {
        LemmaOutcome cancelled;
        cancelled.state = LemmaState::Cancelled;
        cancelled.message = tr("cancelled before it was queued");
        m_document->setOutcome(uid, cancelled);
        emit lemmaFinished(nameOf(uid), cancelled.state, cancelled.message);
    }
    QList<Drover::TaskId> running;
    for (Drover::TaskId id : m_queue->tasks()) {
        if (m_queue->isRunning(id))
            running << id;
    }
    if (!running.isEmpty())
        emit cancelling(running);
    m_queue->cancelAll();
    checkSettled();
}

QString CheckController::nameOf(int uid) const
{
    const LemmaEntry *entry = m_document->lemma(uid);
    return entry ? entry->lemma.name : QString();
}

bool CheckController::isSettled() const
{
    return m_document->pendingCount() == 0 && !m_pause.isActive();
}

void CheckController::onTaskStarted(Drover::TaskId id, int workerId)
{
    const int uid = m_lemmaOfTask.value(id);
    if (!uid)
        return; // a stale task, still stopping
    m_document->setChecking(uid, workerId);
    emit lemmaStarted(nameOf(uid), workerId);
}

void CheckController::onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result)
{
    const int uid = m_lemmaOfTask.take(id);
    if (!uid)
        return;
    const LemmaOutcome outcome = lemmaOutcomeOf(result);
    m_document->setOutcome(uid, outcome);
    emit lemmaFinished(nameOf(uid), outcome.state, outcome.message);
    checkSettled();
}

void CheckController::checkSettled()
{
    const bool settledNow = isSettled();
    if (settledNow && !m_wasSettled)
        emit settled();
    m_wasSettled = settledNow;
}

} // namespace DroverDemo
