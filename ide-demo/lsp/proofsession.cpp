#include "proofsession.h"

#include "checkcontroller.h"
#include "proofdiagnostics.h"
#include "proofdocument.h"

#include "parfanout.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QJsonObject>

namespace DroverLsp {

namespace {
// Enough `say` lines of one check to explain it in a hover.
constexpr qsizetype maxFeedbackLines = 8;
} // namespace

ProofSession *ProofSession::create(const QString &documentId, const SessionSettings &settings, QString *error, QObject *parent)
{
    auto manager = std::make_unique<Drover::Manager>();
    Drover::TaskQueue *queue = manager->queue(QStringLiteral("proof"));
    if (!queue) {
        *error = manager->errorString();
        return nullptr;
    }
    return new ProofSession(std::move(manager), queue, documentId, settings, parent);
}

ProofSession::ProofSession(std::unique_ptr<Drover::Manager> manager, Drover::TaskQueue *queue,
                           const QString &documentId, const SessionSettings &settings, QObject *parent)
    : DocumentSession(parent)
    , m_manager(std::move(manager))
    , m_queue(queue)
    , m_document(new DroverDemo::ProofDocument(this))
    , m_controller(new DroverDemo::CheckController(m_document, queue, this))
{
    queue->setMaxWorkers(settings.workers);
    // As in drover-ide: a worker left holding a failed lemma for its repair
    // is retired after a minute without use.
    queue->setIdleTimeout(std::chrono::minutes(1));
    Par::ParFanOut::attach(m_manager.get(), queue, settings.workers, this);
    m_controller->setDocumentId(documentId);
    m_controller->setEditPause(settings.editPause);
    m_controller->setTimeLimit(settings.timeLimit);

    connect(m_document, &DroverDemo::ProofDocument::lemmasChanged, this, &ProofSession::diagnosticsMayHaveChanged);
    connect(m_controller, &DroverDemo::CheckController::lemmaFinished, this, [this] {
        diagnosticsMayHaveChanged();
        emit progressed();
    });
    connect(m_controller, &DroverDemo::CheckController::settled, this, &DocumentSession::settled);
    connect(queue, &Drover::TaskQueue::taskStarted, this, [this](Drover::TaskId id) {
        if (const int uid = uidOfTask(id))
            m_feedback.remove(uid);
    });
    connect(queue, &Drover::TaskQueue::taskFeedback, this, &ProofSession::onFeedback);
}

ProofSession::~ProofSession()
{
    // The controller and document go first, and hear nothing more from the
    // queue; then the manager ends and reaps the workers, while the par
    // fan-out (a child) still lives to see its queue go.
    m_queue->disconnect(this);
    delete m_controller;
    delete m_document;
    m_manager.reset();
}

int ProofSession::uidOfTask(Drover::TaskId id) const
{
    for (const DroverDemo::LemmaEntry &entry : m_document->lemmas()) {
        if (entry.task == id)
            return entry.uid;
    }
    return 0;
}

void ProofSession::onFeedback(Drover::TaskId id, const QCborValue &value)
{
    const int uid = uidOfTask(id);
    if (!uid)
        return;
    const qint64 step = value[QLatin1String("step")].toInteger();
    const QString text = value.isMap() ? value[QLatin1String("text")].toString()
                                       : value.toDiagnosticNotation(QCborValue::Compact);
    QStringList &lines = m_feedback[uid];
    lines << (step > 0 ? tr("step %1: %2").arg(step).arg(text) : text);
    if (lines.size() > maxFeedbackLines)
        lines.removeFirst();
}

bool ProofSession::open(const QString &text, QString *)
{
    m_text = text;
    m_controller->load(text);
    return true;
}

void ProofSession::change(const QString &text, int firstChangedLine)
{
    m_text = text;
    // The lemmas nearest the change are checked first, as those nearest
    // drover-ide's cursor are.
    m_controller->setCursorLine(firstChangedLine + 1);
    m_controller->edit(text);
}

QJsonArray ProofSession::diagnostics() const
{
    return proofDiagnostics(*m_document, m_text);
}

QString ProofSession::hover(TextPosition position) const
{
    const DroverDemo::LemmaEntry *entry = m_document->lemmaAtLine(position.line + 1);
    if (!entry)
        return {};
    const DroverDemo::LemmaOutcome &outcome = entry->outcome;
    QStringList lines{tr("**%1**: %2").arg(entry->lemma.name, stateName(entry->state))};
    if (entry->state == DroverDemo::LemmaState::Checking)
        lines << tr("on worker %1").arg(entry->workerId);
    if (!isPending(entry->state)) {
        lines << tr("%1 ms on worker %2").arg(outcome.elapsed.count()).arg(outcome.workerId);
        if (outcome.step > 0)
            lines << tr("step %1: %2").arg(outcome.step).arg(outcome.message);
        else if (!outcome.message.isEmpty())
            lines << outcome.message;
    }
    const QStringList feedback = m_feedback.value(entry->uid);
    if (!feedback.isEmpty())
        lines << tr("feedback:") << feedback;
    return lines.join(QLatin1String("\n\n"));
}

int ProofSession::cancel(std::optional<int> line)
{
    if (!line) {
        const int pending = m_document->pendingCount();
        m_controller->cancelAll();
        return pending;
    }
    const DroverDemo::LemmaEntry *entry = m_document->lemmaAtLine(*line + 1);
    return entry && entry->task && m_queue->cancel(entry->task) ? 1 : 0;
}

int ProofSession::kill(std::optional<int> line)
{
    QList<int> workers;
    for (const DroverDemo::LemmaEntry &entry : m_document->lemmas()) {
        const bool chosen = !line || (*line + 1 >= entry.lemma.line && *line + 1 <= entry.lemma.endLine);
        if (chosen && entry.state == DroverDemo::LemmaState::Checking && entry.workerId >= 0)
            workers << entry.workerId;
    }
    int killed = 0;
    for (int worker : std::as_const(workers))
        killed += m_queue->killWorker(worker) ? 1 : 0;
    return killed;
}

bool ProofSession::isSettled() const { return m_controller->isSettled(); }

int ProofSession::doneCount() const { return totalCount() - m_document->pendingCount(); }

int ProofSession::totalCount() const { return int(m_document->lemmas().size()); }

QJsonObject ProofSession::counts() const
{
    QJsonObject counts;
    for (DroverDemo::LemmaState state : DroverDemo::allLemmaStates) {
        if (const int n = m_document->count(state))
            counts.insert(stateName(state), n);
    }
    return counts;
}

} // namespace DroverLsp
