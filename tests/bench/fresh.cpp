// Fresh workers: starting one, a whole fresh task, a warm spare, and the
// 40-lemma document through fresh workers with one and two of them.

#include "figures.h"
#include "floor.h"
#include "harness.h"
#include "prooflang.h"
#include "stats.h"

#include <QtCore/QFile>
#include <QtCore/QHash>

using namespace Drover;

namespace {
double checkDocument(const QString &path, int workers)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("drover-bench: cannot read %s", qPrintable(path));
    const ProofLang::Document doc = ProofLang::parse(QString::fromUtf8(file.readAll()));
    Harness h(QStringLiteral("proof"));
    h.queue->setMaxWorkers(workers);
    QElapsedTimer clock;
    clock.start();
    for (const ProofLang::Lemma &lemma : doc.lemmas) {
        Task t;
        t.payload = ProofLang::lemmaPayload(path, lemma, false);
        h.queue->enqueue(t);
    }
    Harness::until([&] { return h.finished == doc.lemmas.size(); });
    return double(clock.nsecsElapsed()) / 1e6;
}
} // namespace

void freshWorkerFigures(const Sizes &sizes, double roundTripUs, QList<Figure> *figures, double *spawnToReadyMs)
{
    const int n = sizes.scale(40, 5);
    QList<double> readySamples, cycleSamples, spareSamples;
    {
        Harness h;
        QHash<int, qint64> startedAt;
        QElapsedTimer clock;
        clock.start();
        QObject::connect(h.queue, &TaskQueue::workerStarted, [&](int id, qint64) { startedAt.insert(id, clock.nsecsElapsed()); });
        QObject::connect(h.queue, &TaskQueue::workerReady, [&](int id) {
            readySamples << double(clock.nsecsElapsed() - startedAt.value(id)) / 1e6;
        });
        for (int i = 0; i < n; ++i) {
            const qint64 before = h.finished;
            const qint64 start = clock.nsecsElapsed();
            h.queue->enqueue(Harness::task(QStringLiteral("echo"), i, false));
            Harness::until([&] { return h.finished > before; });
            cycleSamples << double(clock.nsecsElapsed() - start) / 1e6;
            Harness::until([&] { return h.queue->workers().isEmpty(); });
        }
    }
    {
        Harness h;
        h.queue->setWarmSpares(1);
        QElapsedTimer clock;
        for (int i = 0; i < n; ++i) {
            Harness::until([&] {
                for (const WorkerInfo &w : h.queue->workers()) {
                    if (w.state == WorkerInfo::State::Idle)
                        return true;
                }
                return false;
            });
            const qint64 before = h.finished;
            clock.start();
            h.queue->enqueue(Harness::task(QStringLiteral("echo"), i, false));
            Harness::until([&] { return h.finished > before; });
            spareSamples << double(clock.nsecsElapsed()) / 1000.0;
        }
    }
    const QList<double> spawn = Floor::spawnAndWait(QStringLiteral(DROVER_BENCH_MINIMAL), n);
    *spawnToReadyMs = Stats::median(readySamples);
    figures->append({QStringLiteral("fresh worker: spawn to ready (median)"), QStringLiteral("ms"), Stats::median(readySamples),
                     QStringLiteral("posix_spawn+wait, bare QCoreApplication"), Stats::median(spawn),
                     Figure::Goal::RatioAtMost, 1.5});
    figures->append({QStringLiteral("fresh worker: whole task cycle (median)"), QStringLiteral("ms"), Stats::median(cycleSamples),
                     QStringLiteral("posix_spawn+wait, bare QCoreApplication"), Stats::median(spawn),
                     Figure::Goal::RatioAtMost, 1.5});
    figures->append({QStringLiteral("dispatch to a fresh worker with a warm spare ready (median)"), QStringLiteral("µs"),
                     Stats::median(spareSamples), QStringLiteral("round trip above"), roundTripUs,
                     Figure::Goal::RatioAtMost, 2});

    const QString doc = QStringLiteral(DROVER_EXAMPLES_DIR "/bench40.proof");
    const double one = checkDocument(doc, 1);
    const double two = checkDocument(doc, 2);
    figures->append({QStringLiteral("40 lemmas x spin 85 through fresh workers: -j 2 speed-up"), QStringLiteral("x"),
                     one / two, QStringLiteral("-j 1"), 1.0, Figure::Goal::RatioAtLeast, 1.8,
                     QStringLiteral("-j 1 %1 ms, -j 2 %2 ms").arg(one, 0, 'f', 0).arg(two, 0, 'f', 0)});
}
