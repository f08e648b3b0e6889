#include "parfanout.h"

#include "primeblocks.h"

#include <QtCore/QCborMap>
#include <QtCore/QSet>

namespace Par {

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}
} // namespace

struct ParFanOut::Job
{
    explicit Job(const Drover::WorkerRequest &r) : request(r), asker(r.taskId()) {}

    Drover::WorkerRequest request;
    Drover::TaskId asker = 0;
    QSet<Drover::TaskId> open;  //!< block tasks without an outcome yet
    int blocks = 0;
    qint64 count = 0;
    int hits = 0;
    QSet<int> workers;
};

ParFanOut::~ParFanOut()
{
    for (const quint64 serial : m_jobs.keys())
        abandon(serial, QStringLiteral("the par fan-out was destroyed"));
    if (m_askers)
        m_askers->setRequestHandler({});
}

ParFanOut::ParFanOut(Drover::TaskQueue *askers, Drover::TaskQueue *par, const QString &unavailable, QObject *parent)
    : QObject(parent)
    , m_askers(askers)
    , m_par(par)
    , m_unavailable(unavailable.isEmpty() ? QStringLiteral("the par kind is not available") : unavailable)
{
    askers->setRequestHandler([this](const Drover::WorkerRequest &request) { onQuestion(request); });
    // A lemma that ends (cancelled, dead, timed out) no longer needs its blocks.
    connect(askers, &Drover::TaskQueue::taskFinished, this, [this](Drover::TaskId asker) {
        if (const auto it = m_jobOfAsker.constFind(asker); it != m_jobOfAsker.cend())
            abandon(it.value(), QStringLiteral("the asking task ended"));
    });
}

ParFanOut *ParFanOut::attach(Drover::Manager *manager, Drover::TaskQueue *askers, int maxWorkers, QObject *parent)
{
    Drover::TaskQueue *par = manager->queue(QStringLiteral("par"));
    if (par)
        par->setMaxWorkers(maxWorkers);
    const QString unavailable =
        par ? QString() : QStringLiteral("the par kind is not available: %1").arg(manager->errorString());
    return new ParFanOut(askers, par, unavailable, parent);
}

void ParFanOut::onQuestion(const Drover::WorkerRequest &request)
{
    const QCborValue &q = request.question();
    if (q[key("op")].toString() != QLatin1String("par") || q[key("what")].toString() != QLatin1String("prime")
        || !q[key("from")].isInteger() || !q[key("to")].isInteger() || q[key("from")].toInteger() < 0) {
        request.fail(QStringLiteral("unknown question: expected {op: par, what: prime, from, to}, got %1")
                         .arg(q.toDiagnosticNotation(QCborValue::Compact).left(120)));
        return;
    }
    if (!m_par) {
        request.fail(m_unavailable);
        return;
    }
    const auto from = quint64(q[key("from")].toInteger());
    const auto to = quint64(q[key("to")].toInteger());
    if (const std::optional<QString> problem = rangeProblem(from, to)) {
        request.fail(*problem);
        return;
    }
    if (const auto old = m_jobOfAsker.constFind(request.taskId()); old != m_jobOfAsker.cend())
        abandon(old.value(), QStringLiteral("replaced by a later question")); // a second question of the same task replaces the first

    const quint64 serial = m_nextJob++;
    auto job = std::make_shared<Job>(request);
    m_jobs.insert(serial, job);
    if (job->asker)
        m_jobOfAsker.insert(job->asker, serial);
    const QList<BlockPart> parts = partsOf(from, to);
    job->blocks = int(parts.size());
    for (const BlockPart &part : parts) {
        Drover::Task task;
        task.payload = payloadOf(part);
        task.name = QStringLiteral("primes %1..%2").arg(part.from).arg(part.to);
        // No outcome is reported from inside enqueue(): the id is set in time.
        auto id = std::make_shared<Drover::TaskId>(0);
        Drover::TaskHooks hooks;
        hooks.onFinish = [this, serial, id](const Drover::TaskResult &result) { onBlockFinished(serial, *id, result); };
        *id = m_par->enqueue(std::move(task), std::move(hooks));
        job->open.insert(*id);
    }
    emit fannedOut(job->asker, job->blocks);
}

void ParFanOut::onBlockFinished(quint64 serial, Drover::TaskId block, const Drover::TaskResult &result)
{
    const std::shared_ptr<Job> job = m_jobs.value(serial);
    if (!job)
        return; // abandoned: its asker is gone
    job->open.remove(block);
    if (result.outcome != Drover::Outcome::Done) {
        abandon(serial, QStringLiteral("a block of the range ended %1: %2")
                            .arg(Drover::outcomeName(result.outcome), result.message));
        return;
    }
    const QCborValue &answer = result.response;
    job->count += answer[key("count")].toInteger();
    job->hits += answer[key("hit")].toBool() ? 1 : 0;
    job->workers.insert(int(answer[key("worker")].toInteger()));
    if (!job->open.isEmpty())
        return;
    QCborMap merged;
    merged.insert(key("count"), job->count);
    merged.insert(key("blocks"), job->blocks);
    merged.insert(key("hits"), job->hits);
    merged.insert(key("workers"), qint64(job->workers.size()));
    m_jobs.remove(serial);
    m_jobOfAsker.remove(job->asker);
    job->request.answer(merged);
    emit this->merged(job->asker, merged);
}

void ParFanOut::abandon(quint64 serial, const QString &why)
{
    const std::shared_ptr<Job> job = m_jobs.take(serial);
    if (!job)
        return;
    m_jobOfAsker.remove(job->asker);
    if (!job->request.isAnswered())
        job->request.fail(why);
    if (m_par)
        m_par->cancel(job->open.values()); // their outcomes find no job any more
}

} // namespace Par
