#include "checkrun.h"

#include "parfanout.h"

#include "broadcasts.h"
#include "jsonreporter.h"
#include "lemmaoutcome.h"
#include "prooflang.h"
#include "prooftasks.h"
#include "querychecks.h"
#include "terminalreporter.h"
#include "utf8file.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QDateTime>
#include <QtCore/QTextStream>

#include <algorithm>

using namespace Drover;
using namespace std::chrono_literals;

namespace {

// Once every lemma is in, the workers are told to quit; the queue kills
// those that do not within its quit timeout (5 s). Past this, the queue is
// not keeping its word and the Manager's destructor reaps what is left.
constexpr auto StopWatchdog = 15s;
} // namespace

CheckRun::CheckRun(CheckOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.json)
        m_reporter = std::make_unique<JsonReporter>();
    else
        m_reporter = std::make_unique<TerminalReporter>(m_options.failuresOnly);
    m_stopWatchdog.setSingleShot(true);
    m_stopWatchdog.setInterval(StopWatchdog);
    connect(&m_stopWatchdog, &QTimer::timeout, this, [this] {
        QTextStream(stderr) << "drover-check: the workers did not stop within "
                            << std::chrono::seconds(StopWatchdog).count() << " s; killing them\n";
        finish();
    });
}

// m_manager goes before m_reporter: nothing reports into a dead reporter.
CheckRun::~CheckRun()
{
    m_manager.reset();
}

bool CheckRun::start(int *exitCode)
{
    m_clock.start();
    QTextStream err(stderr);

    // Read and parse everything before starting any worker.
    QList<std::pair<QString, ProofLang::Document>> documents;
    for (const QString &file : std::as_const(m_options.files)) {
        QString error;
        const std::optional<QString> text = DroverDemo::readUtf8File(file, &error);
        if (!text) {
            err << "drover-check: " << error << '\n';
            *exitCode = 2;
            return false;
        }
        documents.append({file, ProofLang::parse(*text)});
    }
    for (const auto &[file, document] : std::as_const(documents)) {
        for (const ProofLang::ParseError &e : document.errors) {
            err << file << ':' << e.line << ':' << e.column << ": " << e.message << '\n';
            m_reporter->parseError(file, e.line, e.column, e.message);
            ++m_summary.parseErrors;
        }
    }
    err.flush();

    m_manager = std::make_unique<Manager>();
    m_options.applyJobsCap(m_manager.get());
    if (QString why; !DroverDemo::useRemoteWorkers(m_manager.get(), m_options.shared, &why)) {
        err << "drover-check: " << why << '\n';
        *exitCode = 3;
        return false;
    }
    // A plugin that cannot be used, or that another of the same kind
    // shadows, is said: the user may be running a kind they did not mean.
    for (const PluginError &e : m_manager->pluginErrors())
        err << "drover-check: warning: plugin " << e.file << ": " << e.reason << '\n';
    m_queue = m_manager->queue(QStringLiteral("proof"));
    if (!m_queue) {
        err << "drover-check: " << m_manager->errorString() << '\n';
        *exitCode = 3;
        return false;
    }
    m_queue->setMaxWorkers(m_options.shared.jobs);
    // `par prime` steps fan out to the `par` kind's workers, as many again.
    Par::ParFanOut::attach(m_manager.get(), m_queue, m_options.shared.jobs, m_manager.get());
    limitMemory(QStringLiteral("proof"));
    limitMemory(QStringLiteral("par"));
    connectQueue();
    // Queries (`Eval`, `Search`) go to a `query` queue of their own, made
    // only when some document has one.
    const bool anyQuery = std::any_of(documents.cbegin(), documents.cend(),
                                      [](const auto &d) { return !d.second.queries.isEmpty(); });
    if (anyQuery) {
        TaskQueue *queryQueue = m_manager->queue(QStringLiteral("query"));
        if (!queryQueue) {
            err << "drover-check: " << m_manager->errorString() << '\n';
            *exitCode = 3;
            return false;
        }
        limitMemory(QStringLiteral("query"));
        m_queries = std::make_unique<QueryChecks>(queryQueue, m_options, m_reporter.get(), &m_summary);
        connect(m_queries.get(), &QueryChecks::queryEnded, this, [this] {
            if (allIn())
                stopWhenAllIn();
        });
        connect(m_queries.get(), &QueryChecks::workersChanged, this, &CheckRun::finishIfDone);
        connect(m_queries.get(), &QueryChecks::internalError, this, &CheckRun::internalError);
    }
    for (const auto &[file, document] : std::as_const(documents)) {
        enqueueDocument(file, document);
        if (m_queries)
            m_queries->enqueueDocument(file, document);
    }
    m_summary.lemmas = int(m_lemmas.size());
    if (allIn())
        stopWhenAllIn();
    return true;
}

void CheckRun::limitMemory(const QString &kind)
{
    if (m_options.memoryLimit <= 0)
        return;
    if (TaskQueue *queue = m_manager->queue(kind))
        queue->setResourceLimits(m_options.memoryLimit, 0s);
}

void CheckRun::connectQueue()
{
    connect(m_queue, &TaskQueue::taskFinished, this, &CheckRun::onTaskFinished);
    connect(m_queue, &TaskQueue::drained, this, &CheckRun::onDrained);
    connect(m_queue, &TaskQueue::errorOccurred, this, [this](const QString &message) { m_queueError = message; });
    connect(m_queue, &TaskQueue::taskStarted, this, [this](TaskId id, int) {
        if (!m_lemmas.contains(id))
            return;
        if (!m_startedAt.contains(id))
            m_startedAt.insert(id, QDateTime::currentMSecsSinceEpoch());
        const LemmaRef ref = m_lemmas.value(id);
        m_reporter->lemmaStarted(ref.file, ref.name, int(m_lemmas.size() - m_open.size()), int(m_lemmas.size()));
    });
    connect(m_queue, &TaskQueue::taskWaitingForSlot, this, [this](TaskId id, int) {
        if (!m_lemmas.contains(id))
            return;
        const LemmaRef ref = m_lemmas.value(id);
        m_reporter->lemmaWaiting(ref.file, ref.name, ref.line, QDateTime::currentMSecsSinceEpoch());
    });
    connect(m_queue, &TaskQueue::workerStarted, this, [this](int id, qint64 pid) {
        m_workerPids.insert(id, pid);
        m_reporter->workerEvent(id, pid, QStringLiteral("started"), {});
    });
    connect(m_queue, &TaskQueue::workerExited, this, [this](int id, const QString &status) {
        m_reporter->workerEvent(id, m_workerPids.take(id), QStringLiteral("exited"), status);
        finishIfDone();
    });
    connect(m_queue, &TaskQueue::stopped, this, &CheckRun::finishIfDone);
}

// A document's options stand before any of its lemmas can reach a worker.
void CheckRun::enqueueDocument(const QString &file, const ProofLang::Document &document)
{
    DroverDemo::forwardBroadcasts(m_queue, DroverDemo::optionBroadcasts(file, document.options));
    const DroverDemo::LemmaTaskSettings settings{.options = m_options.taskOptions(), .persistent = m_options.persistent};
    for (const ProofLang::Lemma &lemma : document.lemmas) {
        const TaskId id = m_queue->enqueue(DroverDemo::lemmaTask(file, lemma, settings));
        m_lemmas.insert(id, {file, lemma.name, lemma.line});
        m_open.insert(id);
    }
}

void CheckRun::interrupt()
{
    if (m_queue && !m_stopping)
        m_queue->cancelAll();
    if (m_queries && !m_stopping)
        m_queries->cancelAll();
}

void CheckRun::onTaskFinished(TaskId id, const TaskResult &result)
{
    if (!m_lemmas.contains(id))
        return; // not one of our lemmas (a task the plugin added itself)
    if (!m_open.remove(id)) {
        internalError(QStringLiteral("lemma %1 was reported twice").arg(m_lemmas.value(id).name));
        return;
    }
    const LemmaRef ref = m_lemmas.value(id);
    const DroverDemo::LemmaOutcome outcome = DroverDemo::lemmaOutcomeOf(result);
    LemmaReport o;
    o.file = ref.file;
    o.name = ref.name;
    o.line = ref.line;
    o.status = stateName(outcome.state);
    o.step = outcome.step;
    o.stepLine = outcome.stepLine;
    o.stepColumn = outcome.stepColumn;
    o.message = outcome.message;
    o.worker = outcome.workerId;
    o.ms = outcome.elapsed.count();
    o.startedAt = m_startedAt.take(id);
    o.endedAt = QDateTime::currentMSecsSinceEpoch();
    // A lemma that never reached a worker died of the pool, not of itself.
    if (result.outcome == Outcome::WorkerDied && result.attempts == 0)
        internalError(m_queueError.isEmpty() ? result.message : m_queueError);
    count(o.status);
    const int done = int(m_lemmas.size() - m_open.size());
    m_reporter->lemmaFinished(o, done, int(m_lemmas.size()));
    if (allIn())
        stopWhenAllIn();
}

void CheckRun::onDrained()
{
    if (m_open.isEmpty())
        return;
    internalError(QStringLiteral("the proof queue went idle with %1 of %2 lemmas still without an outcome")
                      .arg(m_open.size())
                      .arg(m_lemmas.size()));
    m_open.clear();
    if (allIn())
        stopWhenAllIn();
}

void CheckRun::count(const QString &status)
{
    if (status == QLatin1String("ok"))
        ++m_summary.ok;
    else if (status == QLatin1String("error"))
        ++m_summary.error;
    else if (status == QLatin1String("crashed"))
        ++m_summary.crashed;
    else if (status == QLatin1String("timeout"))
        ++m_summary.timeout;
    else
        ++m_summary.cancelled;
}

void CheckRun::internalError(const QString &message)
{
    if (m_internalError.isEmpty())
        m_internalError = message;
}

// Every lemma and every query has its outcome.
bool CheckRun::allIn() const
{
    return m_open.isEmpty() && (!m_queries || m_queries->allIn());
}

// Stopping is queued: the queue is not stopped from inside its own signal.
void CheckRun::stopWhenAllIn()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_stopWatchdog.start();
    QMetaObject::invokeMethod(
        this, [this] {
            m_manager->stop();
            finishIfDone();
        },
        Qt::QueuedConnection);
}

void CheckRun::finishIfDone()
{
    if (m_stopping && m_queue->isStopped() && m_queue->workers().isEmpty() && (!m_queries || m_queries->isStopped()))
        finish();
}

void CheckRun::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_stopWatchdog.stop();
    m_summary.wallMs = m_clock.elapsed();
    m_reporter->summary(m_summary);
    // An answered query never fails the run; one without an answer does.
    const bool allAnswered = m_summary.answered == m_summary.queries;
    int code = m_summary.ok == m_summary.lemmas && m_summary.parseErrors == 0 && allAnswered ? 0 : 1;
    if (!m_internalError.isEmpty()) {
        QTextStream(stderr) << "drover-check: internal error: " << m_internalError << '\n';
        code = 3;
    }
    emit finished(code);
}
