#include "coqsession.h"

#include "coqdoccontroller.h"
#include "proofdiagnostics.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QJsonObject>

namespace DroverLsp {

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }

using Mark = DroverDemo::CoqDocController::Mark;
using DroverDemo::LemmaState;

//! A Place's line is 1-based, its column 0-based UTF-16: LSP's are both 0-based.
QJsonObject rangeOf(const CoqLib::CoqTextPositions::Place &start, const CoqLib::CoqTextPositions::Place &end)
{
    return rangeObject(start.line - 1, start.column, end.line - 1, end.column);
}

//! The words drover-ide's Coq editor uses for a sentence's state.
QString sentenceStateName(LemmaState state)
{
    switch (state) {
    case LemmaState::Ok: return QStringLiteral("checked");
    case LemmaState::Skipped: return QStringLiteral("admitted");
    case LemmaState::Cancelled: return QStringLiteral("not reached");
    case LemmaState::Queued: return QStringLiteral("pending");
    default: return stateName(state);
    }
}

bool contains(const Mark &mark, TextPosition position)
{
    const auto before = [](int l1, int c1, int l2, int c2) { return l1 < l2 || (l1 == l2 && c1 <= c2); };
    return before(mark.start.line - 1, mark.start.column, position.line, position.character)
           && before(position.line, position.character, mark.end.line - 1, mark.end.column);
}
} // namespace

CoqSession::CoqSession(const QString &path, const SessionSettings &settings, QObject *parent)
    : DocumentSession(parent)
    , m_path(path)
    , m_manager(std::make_unique<Drover::Manager>())
    , m_controller(new DroverDemo::CoqDocController(m_manager.get(), this))
{
    m_controller->setRoles(settings.workers);
    m_controller->setEditPause(settings.editPause);
    connect(m_controller, &DroverDemo::CoqDocController::marksChanged, this, &CoqSession::diagnosticsMayHaveChanged);
    connect(m_controller, &DroverDemo::CoqDocController::marksChanged, this, &CoqSession::onProgressed);
    connect(m_controller, &DroverDemo::CoqDocController::progressed, this, &CoqSession::onProgressed);
}

CoqSession::~CoqSession()
{
    m_controller->close();
    delete m_controller; // before the manager, which owns its queue
    m_manager.reset();   // ends and reaps the workers, each coqidetop with its worker
}

bool CoqSession::open(const QString &text, QString *error)
{
    return m_controller->open(m_path, text, error);
}

void CoqSession::change(const QString &text, int)
{
    // A Coq document is checked in order: the check resumes from the first
    // changed sentence wherever the change is.
    m_controller->edit(text);
}

void CoqSession::onProgressed()
{
    emit progressed();
    const bool settledNow = isSettled();
    if (settledNow && !m_wasSettled)
        emit settled();
    m_wasSettled = settledNow;
}

QJsonArray CoqSession::diagnostics() const
{
    QJsonArray diagnostics;
    for (const Mark &mark : m_controller->marks()) {
        const bool error = mark.state == LemmaState::Error;
        const bool notReached = mark.state == LemmaState::Cancelled && !mark.message.isEmpty();
        if (!error && !notReached)
            continue;
        const QJsonObject range = mark.error ? rangeOf(mark.error->first, mark.error->second) : rangeOf(mark.start, mark.end);
        diagnostics.append(QJsonObject{{key("range"), range}, {key("severity"), error ? 1 : 2},
                                       {key("source"), QStringLiteral("drover-coq")},
                                       {key("code"), sentenceStateName(mark.state)},
                                       {key("message"), mark.message}});
    }
    return diagnostics;
}

QString CoqSession::hover(TextPosition position) const
{
    for (const Mark &mark : m_controller->marks()) {
        if (mark.sentence < 0 || !contains(mark, position))
            continue;
        QStringList lines{tr("**sentence %1**: %2").arg(mark.sentence + 1).arg(sentenceStateName(mark.state))};
        if (mark.worker >= 0)
            lines << tr("worker %1").arg(mark.worker);
        if (!mark.message.isEmpty())
            lines << mark.message;
        return lines.join(QLatin1String("\n\n"));
    }
    return {};
}

int CoqSession::cancel(std::optional<int>)
{
    // Sentences depend on all before them: cancelling one is cancelling the rest.
    if (!m_controller->check() || !m_controller->check()->isRunning())
        return 0;
    const int pending = totalCount() - doneCount();
    m_controller->check()->cancel();
    return pending;
}

int CoqSession::kill(std::optional<int>)
{
    Drover::TaskQueue *queue = m_controller->queue();
    if (!queue)
        return 0;
    int killed = 0;
    for (const Drover::WorkerInfo &worker : queue->workers()) {
        if (worker.state == Drover::WorkerInfo::State::Busy)
            killed += queue->killWorker(worker.id) ? 1 : 0;
    }
    return killed;
}

bool CoqSession::isSettled() const { return m_controller->isSettled(); }

int CoqSession::doneCount() const { return m_controller->decidedCount(); }

int CoqSession::totalCount() const
{
    return m_controller->check() ? int(m_controller->check()->sentences().size()) : 0;
}

QJsonObject CoqSession::counts() const
{
    QJsonObject counts;
    for (const Mark &mark : m_controller->marks()) {
        const QString name = sentenceStateName(mark.state);
        counts.insert(name, counts.value(name).toInt() + 1);
    }
    return counts;
}

} // namespace DroverLsp
