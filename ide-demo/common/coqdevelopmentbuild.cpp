#include "coqdevelopmentbuild.h"

#include "lemmaoutcome.h"

#include <drover/taskqueue.h>

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>

#include <algorithm>
#include <limits>

using namespace Drover;

namespace DroverDemo {

namespace {
//! coqc and coqdep as Coq's own tools find them: $COQBIN, else PATH.
QString coqTool(const QString &name)
{
    const QString bin = qEnvironmentVariable("COQBIN");
    if (!bin.isEmpty()) {
        const QString path = QDir(bin).filePath(name);
        return QFileInfo(path).isExecutable() ? path : QString();
    }
    return QStandardPaths::findExecutable(name);
}

QString voOf(const QString &file)
{
    return file + QLatin1Char('o');
}

constexpr qint64 halfInt = std::numeric_limits<int>::max() / 2;
} // namespace

CoqDevelopmentBuild::CoqDevelopmentBuild(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

bool CoqDevelopmentBuild::load(const QStringList &arguments, QString *error)
{
    std::optional<CoqLib::CoqProject> project = CoqLib::CoqProject::fromArguments(arguments, error);
    if (!project)
        return false;
    m_project = std::move(*project);
    m_coqc = coqTool(QStringLiteral("coqc"));
    m_coqdep = coqTool(QStringLiteral("coqdep"));
    if (m_coqc.isEmpty() || m_coqdep.isEmpty()) {
        *error = QStringLiteral("no %1%2 (install Coq, or set COQBIN to the directory of its programs)")
                     .arg(m_coqc.isEmpty() ? QStringLiteral("coqc") : QStringLiteral("coqdep"),
                          qEnvironmentVariableIsSet("COQBIN") ? QStringLiteral(" in $COQBIN") : QStringLiteral(" on PATH"));
        return false;
    }
    if (!runCoqdep(error))
        return false;
    // Ranked by last time's times where there are some, else by size.
    m_history.emplace(m_project.root);
    m_history->load();
    m_graph->setWeights(m_history->weights(m_project.files));
    m_states = QList<State>(m_graph->nodes().size(), State::Waiting);
    m_reported = QList<bool>(m_graph->nodes().size(), false);
    return true;
}

bool CoqDevelopmentBuild::runCoqdep(QString *error)
{
    QProcess coqdep;
    coqdep.setWorkingDirectory(m_project.root);
    coqdep.start(m_coqdep, m_project.flags + m_project.files);
    if (!coqdep.waitForFinished(120000) || coqdep.exitStatus() != QProcess::NormalExit || coqdep.exitCode() != 0) {
        *error = QStringLiteral("coqdep failed on %1: %2").arg(m_project.root,
            coqdep.error() == QProcess::UnknownError ? QString::fromLocal8Bit(coqdep.readAllStandardError()).trimmed()
                                                     : coqdep.errorString());
        return false;
    }
    // Its warnings (a library it cannot find) are coqc's to turn into errors.
    m_coqdepWarnings = QString::fromLocal8Bit(coqdep.readAllStandardError()).trimmed();
    m_graph = CoqLib::CoqGraph::fromCoqdep(m_project.files, coqdep.readAllStandardOutput(), error);
    return m_graph.has_value();
}

QStringList CoqDevelopmentBuild::files() const
{
    QStringList files;
    if (m_graph) {
        for (int node = 0; node < m_graph->nodes().size(); ++node)
            files << relative(node);
    }
    return files;
}

QString CoqDevelopmentBuild::absolutePath(const QString &file) const
{
    return QDir(m_project.root).absoluteFilePath(file);
}

QString CoqDevelopmentBuild::relative(int node) const
{
    return QDir(m_project.root).relativeFilePath(m_graph->nodes().at(node).file);
}

void CoqDevelopmentBuild::start(TaskQueue *queue)
{
    Q_ASSERT(m_graph && !m_queue);
    m_queue = queue;
    m_clock.start();
    m_epochAtStart = QDateTime::currentMSecsSinceEpoch();
    connect(m_queue, &TaskQueue::taskFinished, this, &CoqDevelopmentBuild::onTaskFinished);
    connect(m_queue, &TaskQueue::taskStarted, this, [this](TaskId id, int workerId) {
        const auto it = m_tasks.constFind(id);
        if (it == m_tasks.cend())
            return;
        m_started.insert(id, m_clock.elapsed());
        if (!m_startedNodes.contains(it->node)) {
            m_startedNodes.insert(it->node);
            emit fileStarted(relative(it->node), workerId);
        }
    });
    QMetaObject::invokeMethod(this, [this] {
        enqueueReady();
        finishIfDone();
    }, Qt::QueuedConnection);
}

bool CoqDevelopmentBuild::upToDate(int node) const
{
    // As make judges it: full builds by the .vo and those of what it needs;
    // --quick by its .vok and the .vos of what it needs.
    const QString target = m_options.quick ? QStringLiteral("k") : QString();
    const CoqLib::CoqGraph::Node &n = m_graph->nodes().at(node);
    const QFileInfo vo(voOf(n.file) + target);
    if (!vo.exists() || vo.lastModified() < QFileInfo(n.file).lastModified())
        return false;
    for (int need : n.needs) {
        const QFileInfo dep(voOf(m_graph->nodes().at(need).file) + (m_options.quick ? QStringLiteral("s") : QString()));
        if (!dep.exists() || dep.lastModified() > vo.lastModified())
            return false;
    }
    return true;
}

void CoqDevelopmentBuild::enqueueReady()
{
    for (int node = 0; node < m_states.size(); ++node) {
        if (m_states.at(node) != State::Waiting || m_cancelledAll)
            continue;
        const CoqLib::CoqGraph::Node &n = m_graph->nodes().at(node);
        if (!std::all_of(n.needs.begin(), n.needs.end(), [this](int need) { return m_states.at(need) == State::Done; }))
            continue;
        if (upToDate(node)) {
            FileReport report;
            report.status = QStringLiteral("ok");
            report.upToDate = true;
            settle(node, report);
            enqueueReady(); // what it unblocks
            return;
        }
        m_states[node] = State::Queued;
        if (m_options.quick) {
            enqueue(node, CoqLib::CoqRequest::Mode::Quick);
            enqueue(node, CoqLib::CoqRequest::Mode::ProofCheck);
        } else {
            enqueue(node, CoqLib::CoqRequest::Mode::Full);
        }
        emit fileQueued(relative(node));
    }
}

void CoqDevelopmentBuild::enqueue(int node, CoqLib::CoqRequest::Mode mode)
{
    const CoqLib::CoqGraph::Node &n = m_graph->nodes().at(node);
    CoqLib::CoqRequest request;
    request.file = n.file;
    request.root = m_project.root;
    request.flags = m_project.flags;
    request.coqc = m_coqc;
    request.mode = mode;
    Task task;
    task.payload = request.toCbor();
    task.name = relative(node);
    // Every .vos before any proof check: the .vos unblock what needs them.
    const qint64 rank = std::min<qint64>(n.rank, halfInt);
    task.priority = int(mode == CoqLib::CoqRequest::Mode::ProofCheck ? rank : rank + halfInt);
    task.options = m_options.taskOptions;
    m_tasks.insert(m_queue->enqueue(task), {node, mode});
}

void CoqDevelopmentBuild::onTaskFinished(TaskId id, const TaskResult &result)
{
    const auto it = m_tasks.constFind(id);
    if (it == m_tasks.cend())
        return;
    const Job job = *it;
    const int node = job.node;
    m_tasks.erase(it);
    FileReport report;
    report.worker = result.workerId;
    report.ms = result.elapsed.count();
    report.startMs = m_started.contains(id) ? m_started.take(id) : -1;
    if (result.outcome == Outcome::Done) {
        const CoqLib::CoqResult coq = CoqLib::CoqResult::fromCbor(result.response.toMap());
        report.status = coq.status;
        report.errors = coq.diagnostics;
        report.message = coq.message;
        report.ms = coq.ms;
        report.cpuMs = coq.cpuMs;
        report.peakRss = coq.peakRssBytes;
    } else {
        // The word a lemma or a query would have for the same end.
        report.status = stateName(stateWithoutResponse(result.outcome));
        report.message = result.message;
    }
    if (m_options.quick) {
        onQuickPhase(node, job.mode, report);
    } else {
        const bool built = report.status == QLatin1String("ok");
        settle(node, report);
        if (built) // by CPU time: two coqc sharing two cores inflate each other's wall time
            reweigh(node, std::max<qint64>(1, report.cpuMs));
        if (m_states.at(node) == State::Failed)
            skipDependents(node);
    }
    enqueueReady();
    finishIfDone();
}

void CoqDevelopmentBuild::onQuickPhase(int node, CoqLib::CoqRequest::Mode mode, FileReport phase)
{
    if (mode == CoqLib::CoqRequest::Mode::Quick && m_states.at(node) == State::Queued) {
        // Its .vos is what its dependents need.
        m_states[node] = phase.status == QLatin1String("ok") ? State::Done : State::Failed;
        if (m_states.at(node) == State::Failed)
            skipDependents(node);
    }
    if (!m_firstPhase.contains(node)) {
        m_firstPhase.insert(node, phase);
        return;
    }
    // Both ended: the file is as bad as its worse phase, with every message
    // of both once (a statement's error is in both).
    const FileReport first = m_firstPhase.take(node);
    FileReport merged = first.status != QLatin1String("ok") ? first : phase;
    const FileReport &other = first.status != QLatin1String("ok") ? phase : first;
    for (const CoqLib::CoqDiagnostic &d : other.errors) {
        const bool known = std::any_of(merged.errors.cbegin(), merged.errors.cend(), [&](const CoqLib::CoqDiagnostic &e) {
            return e.line == d.line && e.column == d.column && e.message == d.message;
        });
        if (!known)
            merged.errors << d;
    }
    merged.ms = first.ms + phase.ms;
    merged.cpuMs = first.cpuMs + phase.cpuMs;
    merged.peakRss = std::max(first.peakRss, phase.peakRss);
    if (first.startMs >= 0 && (merged.startMs < 0 || first.startMs < merged.startMs))
        merged.startMs = first.startMs;
    report(node, merged);
}

void CoqDevelopmentBuild::settle(int node, FileReport report)
{
    m_states[node] = report.status == QLatin1String("ok") ? State::Done : State::Failed;
    this->report(node, std::move(report));
}

void CoqDevelopmentBuild::report(int node, FileReport report)
{
    report.file = relative(node);
    report.endMs = m_clock.elapsed();
    report.startedAt = report.startMs >= 0 ? m_epochAtStart + report.startMs : 0;
    report.endedAt = m_epochAtStart + report.endMs;
    m_reported[node] = true;
    ++m_done;
    emit fileFinished(report);
}

void CoqDevelopmentBuild::skipDependents(int node)
{
    const QString failed = relative(node);
    for (int dependent : m_graph->nodes().at(node).neededBy) {
        if (m_states.at(dependent) != State::Waiting)
            continue;
        FileReport report;
        report.status = QStringLiteral("skipped");
        report.message = QStringLiteral("needs %1, which did not build").arg(failed);
        settle(dependent, report);
        skipDependents(dependent);
    }
}

void CoqDevelopmentBuild::reweigh(int node, qint64 ms)
{
    const QString &file = m_graph->nodes().at(node).file;
    m_history->record(file, ms);
    m_graph->setWeights({{file, ms}});
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it) {
        if (!m_queue->isRunning(it.key()))
            m_queue->setPriority(it.key(), int(std::min<qint64>(m_graph->nodes().at(it->node).rank, std::numeric_limits<int>::max())));
    }
}

void CoqDevelopmentBuild::cancel(const QString &file)
{
    const int node = m_graph ? m_graph->indexOf(absolutePath(file)) : -1;
    if (node < 0 || !m_queue || m_reported.at(node))
        return;
    if (m_states.at(node) == State::Waiting) {
        FileReport report;
        report.status = QStringLiteral("cancelled");
        report.message = QStringLiteral("cancelled before it started");
        settle(node, report);
        skipDependents(node);
        finishIfDone();
        return;
    }
    // A queued task ends at once, inside cancel(): collect them first.
    QList<TaskId> ids;
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it) {
        if (it->node == node)
            ids << it.key();
    }
    for (TaskId id : std::as_const(ids))
        m_queue->cancel(id);
}

void CoqDevelopmentBuild::cancelAll(const QString &why)
{
    if (m_cancelledAll || !m_queue)
        return;
    m_cancelledAll = true;
    for (int node = 0; node < m_states.size(); ++node) {
        if (m_states.at(node) != State::Waiting)
            continue;
        FileReport report;
        report.status = QStringLiteral("cancelled");
        report.message = why;
        settle(node, report);
    }
    const QList<TaskId> ids = m_tasks.keys();
    for (TaskId id : ids)
        m_queue->cancel(id);
    finishIfDone();
}

void CoqDevelopmentBuild::finishIfDone()
{
    if (m_finished || m_done < m_states.size())
        return;
    m_finished = true;
    if (!m_history->save())
        m_historyError = QStringLiteral("cannot keep the files' times in %1; the next build ranks them by size")
                             .arg(m_history->path());
    emit finished();
}

} // namespace DroverDemo
