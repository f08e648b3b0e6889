#include "coqbuild.h"

#include "coqtask.h"
#include "lemmaoutcome.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTextStream>

using namespace Drover;

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
} // namespace

CoqBuild::CoqBuild(CheckOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_report(m_options.json)
{
}

CoqBuild::~CoqBuild()
{
    m_manager.reset(); // every worker (and its coqc) is reaped before the report goes
}

bool CoqBuild::start(int *exitCode)
{
    m_clock.start();
    QTextStream err(stderr);
    QString error;
    std::optional<CoqLib::CoqProject> project = CoqLib::CoqProject::fromArguments(m_options.files, &error);
    if (!project) {
        err << "drover-check: " << error << '\n';
        *exitCode = 2;
        return false;
    }
    m_project = std::move(*project);
    m_coqc = coqTool(QStringLiteral("coqc"));
    m_coqdep = coqTool(QStringLiteral("coqdep"));
    if (m_coqc.isEmpty() || m_coqdep.isEmpty()) {
        err << "drover-check: no " << (m_coqc.isEmpty() ? "coqc" : "coqdep")
            << (qEnvironmentVariableIsSet("COQBIN") ? " in $COQBIN" : " on PATH")
            << " (install Coq, or set COQBIN to the directory of its programs)\n";
        *exitCode = 2;
        return false;
    }
    if (!runCoqdep(&error)) {
        err << "drover-check: " << error << '\n';
        *exitCode = 2;
        return false;
    }
    // Ranked by last time's times where there are some, else by size.
    m_history.emplace(m_project.root);
    m_history->load();
    m_graph->setWeights(m_history->weights(m_project.files));
    m_manager = std::make_unique<Manager>();
    m_queue = m_manager->queue(QStringLiteral("coq"));
    if (!m_queue) {
        err << "drover-check: " << m_manager->errorString() << '\n';
        *exitCode = 3;
        return false;
    }
    m_queue->setMaxWorkers(m_options.shared.jobs);
    if (m_options.memoryLimit > 0)
        m_queue->setResourceLimits(m_options.memoryLimit, std::chrono::seconds(0));
    connect(m_queue, &TaskQueue::taskFinished, this, &CoqBuild::onTaskFinished);
    connect(m_queue, &TaskQueue::taskStarted, this, [this](TaskId id) { m_started.insert(id, m_clock.elapsed()); });
    connect(m_queue, &TaskQueue::stopped, this, [this] {
        if (!m_history->save() && !m_options.json)
            QTextStream(stderr) << "drover-check: cannot keep the files' times in " << m_history->path()
                                << "; the next build ranks them by size\n";
        m_summary.wallMs = m_clock.elapsed();
        m_report.summary(m_summary);
        const bool clean = m_summary.ok == m_summary.files;
        emit finished(clean ? 0 : 1);
    });
    m_states = QList<State>(m_graph->nodes().size(), State::Waiting);
    m_summary.files = int(m_states.size());
    enqueueReady();
    finishIfDone();
    return true;
}

bool CoqBuild::runCoqdep(QString *error)
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
    const QString warnings = QString::fromLocal8Bit(coqdep.readAllStandardError()).trimmed();
    if (!warnings.isEmpty() && !m_options.json)
        QTextStream(stderr) << "drover-check: coqdep: " << warnings << '\n';
    m_graph = CoqLib::CoqGraph::fromCoqdep(m_project.files, coqdep.readAllStandardOutput(), error);
    return m_graph.has_value();
}

bool CoqBuild::upToDate(int node) const
{
    // As make judges it: full builds by the .vo and those of what it needs;
    // --quick by its .vok and the .vos of what it needs.
    const QString target = m_options.quick ? QStringLiteral("k") : QStringLiteral("");
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

void CoqBuild::enqueueReady()
{
    for (int node = 0; node < m_states.size(); ++node) {
        if (m_states.at(node) != State::Waiting || m_interrupted)
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
        m_report.fileStarted(QDir(m_project.root).relativeFilePath(n.file), m_done, int(m_states.size()));
    }
}

void CoqBuild::enqueue(int node, CoqLib::CoqRequest::Mode mode)
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
    task.name = QDir(m_project.root).relativeFilePath(n.file);
    // Every .vos before any proof check: the .vos unblock what needs them.
    const qint64 rank = std::min<qint64>(n.rank, std::numeric_limits<int>::max() / 2);
    task.priority = int(mode == CoqLib::CoqRequest::Mode::ProofCheck ? rank : rank + std::numeric_limits<int>::max() / 2);
    task.options = m_options.taskOptions();
    m_tasks.insert(m_queue->enqueue(task), {node, mode});
}

void CoqBuild::onTaskFinished(TaskId id, const TaskResult &result)
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
        report.status = DroverDemo::stateName(DroverDemo::stateWithoutResponse(result.outcome));
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

void CoqBuild::onQuickPhase(int node, CoqLib::CoqRequest::Mode mode, FileReport phase)
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

void CoqBuild::settle(int node, FileReport report)
{
    const bool ok = report.status == QLatin1String("ok");
    m_states[node] = ok ? State::Done : State::Failed;
    this->report(node, std::move(report));
}

void CoqBuild::report(int node, FileReport report)
{
    const bool ok = report.status == QLatin1String("ok");
    report.file = QDir(m_project.root).relativeFilePath(m_graph->nodes().at(node).file);
    report.endMs = m_clock.elapsed();
    ++m_done;
    if (ok)
        ++m_summary.ok;
    if (report.upToDate)
        ++m_summary.upToDate;
    const QString &s = report.status;
    m_summary.error += s == QLatin1String("error");
    m_summary.skipped += s == QLatin1String("skipped");
    m_summary.crashed += s == QLatin1String("crashed");
    m_summary.timeout += s == QLatin1String("timeout");
    m_summary.cancelled += s == QLatin1String("cancelled");
    m_report.fileFinished(report, m_done, int(m_states.size()));
}

void CoqBuild::skipDependents(int node)
{
    const QString failed = QDir(m_project.root).relativeFilePath(m_graph->nodes().at(node).file);
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

void CoqBuild::reweigh(int node, qint64 ms)
{
    const QString &file = m_graph->nodes().at(node).file;
    m_history->record(file, ms);
    m_graph->setWeights({{file, ms}});
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it) {
        if (!m_queue->isRunning(it.key()))
            m_queue->setPriority(it.key(), int(std::min<qint64>(m_graph->nodes().at(it->node).rank, std::numeric_limits<int>::max())));
    }
}

void CoqBuild::interrupt()
{
    if (m_interrupted || !m_queue)
        return;
    m_interrupted = true;
    for (int node = 0; node < m_states.size(); ++node) {
        if (m_states.at(node) != State::Waiting)
            continue;
        FileReport report;
        report.status = QStringLiteral("cancelled");
        report.message = QStringLiteral("interrupted before it started");
        settle(node, report);
    }
    m_queue->cancelAll();
    finishIfDone();
}

void CoqBuild::finishIfDone()
{
    if (m_stopping || m_done < m_states.size())
        return;
    m_stopping = true;
    QMetaObject::invokeMethod(m_queue, &TaskQueue::stop, Qt::QueuedConnection);
}
