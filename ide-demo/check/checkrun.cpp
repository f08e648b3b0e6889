#include "checkrun.h"

#include "jsonreporter.h"
#include "prooflang.h"
#include "terminalreporter.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QFile>
#include <QtCore/QTextStream>

using namespace Drover;

CheckRun::CheckRun(CheckOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.json)
        m_reporter = std::make_unique<JsonReporter>();
    else
        m_reporter = std::make_unique<TerminalReporter>();
}

CheckRun::~CheckRun() = default;

bool CheckRun::start(int *exitCode)
{
    m_clock.start();
    QTextStream err(stderr);

    // Read and parse everything before starting any worker.
    struct Parsed
    {
        QString file;
        ProofLang::Document document;
    };
    QList<Parsed> documents;
    for (const QString &file : std::as_const(m_options.files)) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            err << "drover-check: cannot read " << file << ": " << f.errorString() << '\n';
            *exitCode = 2;
            return false;
        }
        const QByteArray bytes = f.readAll();
        const QString text = QString::fromUtf8(bytes);
        if (text.toUtf8() != bytes) {
            err << "drover-check: cannot read " << file << ": it is not UTF-8 text\n";
            *exitCode = 2;
            return false;
        }
        documents.append({file, ProofLang::parse(text)});
    }
    for (const Parsed &p : std::as_const(documents)) {
        for (const ProofLang::ParseError &e : p.document.errors) {
            err << p.file << ':' << e.line << ':' << e.column << ": " << e.message << '\n';
            m_reporter->parseError(p.file, e.line, e.column, e.message);
            ++m_summary.parseErrors;
        }
    }
    err.flush();

    m_manager = std::make_unique<Manager>();
    m_queue = m_manager->queue(QStringLiteral("proof"));
    if (!m_queue) {
        err << "drover-check: " << m_manager->errorString() << '\n';
        *exitCode = 3;
        return false;
    }
    m_queue->setMaxWorkers(m_options.jobs);
    connect(m_queue, &TaskQueue::taskFinished, this, &CheckRun::onTaskFinished);
    connect(m_queue, &TaskQueue::taskStarted, this, [this](TaskId id, int) {
        const LemmaRef ref = m_lemmas.value(id);
        m_reporter->lemmaStarted(ref.file, ref.name, m_done, int(m_lemmas.size()));
    });
    connect(m_queue, &TaskQueue::workerStarted, this, [this](int id, qint64 pid) {
        m_workerPids.insert(id, pid);
        m_reporter->workerEvent(id, pid, QStringLiteral("started"), {});
    });
    connect(m_queue, &TaskQueue::workerExited, this, [this](int id, const QString &status) {
        m_reporter->workerEvent(id, m_workerPids.take(id), QStringLiteral("exited"), status);
        finishIfDone();
    });

    for (const Parsed &p : std::as_const(documents)) {
        for (const ProofLang::Option &option : p.document.options)
            m_queue->forwardFeedback(ProofLang::optionBroadcast(p.file, option));
        for (const ProofLang::Lemma &lemma : p.document.lemmas) {
            Task task;
            task.payload = ProofLang::lemmaPayload(p.file, lemma, m_options.persistent);
            task.name = lemma.name;
            task.options.retries = m_options.retries;
            if (m_options.timeout) {
                task.options.termTimeout = *m_options.timeout;
                task.options.killTimeout = m_options.killAfter;
            }
            m_lemmas.insert(m_queue->enqueue(task), {p.file, lemma.name, lemma.line});
        }
    }
    m_summary.lemmas = int(m_lemmas.size());
    if (m_lemmas.isEmpty())
        QMetaObject::invokeMethod(this, &CheckRun::finishIfDone, Qt::QueuedConnection);
    return true;
}

void CheckRun::interrupt()
{
    if (m_queue)
        m_queue->cancelAll();
}

void CheckRun::onTaskFinished(TaskId id, const TaskResult &result)
{
    const LemmaRef ref = m_lemmas.value(id);
    LemmaOutcome o;
    o.file = ref.file;
    o.name = ref.name;
    o.line = ref.line;
    o.worker = result.workerId;
    o.ms = result.elapsed.count();
    switch (result.outcome) {
    case Outcome::Done: {
        const ProofLang::Verdict verdict = ProofLang::verdictOf(result.response);
        o.status = verdict.ok ? QStringLiteral("ok") : verdict.status == QLatin1String("cancelled") ? QStringLiteral("cancelled") : QStringLiteral("error");
        o.step = verdict.step;
        o.message = verdict.message;
        break;
    }
    case Outcome::TimedOut:
        o.status = QStringLiteral("timeout");
        o.message = result.message;
        break;
    case Outcome::Cancelled:
        o.status = QStringLiteral("cancelled");
        o.message = result.message;
        break;
    case Outcome::WorkerDied:
        o.status = QStringLiteral("crashed");
        o.message = result.message;
        if (result.message.startsWith(QLatin1String("no worker could start")))
            m_internalError = result.message;
        break;
    case Outcome::Failed:
    case Outcome::MarshalError:
    case Outcome::Dropped:
        o.status = QStringLiteral("error");
        o.message = result.message;
        break;
    }
    if (o.status == QLatin1String("ok"))
        ++m_summary.ok;
    else if (o.status == QLatin1String("error"))
        ++m_summary.error;
    else if (o.status == QLatin1String("crashed"))
        ++m_summary.crashed;
    else if (o.status == QLatin1String("timeout"))
        ++m_summary.timeout;
    else
        ++m_summary.cancelled;
    ++m_done;
    m_reporter->lemmaFinished(o, m_done, int(m_lemmas.size()));
    if (m_done == m_lemmas.size())
        m_manager->stop(); // let the workers go; finishIfDone() waits for them
    finishIfDone();
}

void CheckRun::finishIfDone()
{
    if (m_finished || m_done < m_lemmas.size() || (m_queue && !m_queue->workers().isEmpty()))
        return;
    m_finished = true;
    m_summary.wallMs = m_clock.elapsed();
    m_reporter->summary(m_summary);
    int code = m_summary.ok == m_summary.lemmas && m_summary.parseErrors == 0 ? 0 : 1;
    if (!m_internalError.isEmpty()) {
        QTextStream(stderr) << "drover-check: internal error: " << m_internalError << '\n';
        code = 3;
    }
    emit finished(code);
}
