// Figure 3: a fresh worker, from process start to ready (hello answered),
// and a whole fresh task cycle (enqueue -> outcome, the worker retired
// after the task), against posix_spawn + waitpid of a bare QCoreApplication.

#include "figures.h"
#include "floor.h"
#include "harness.h"
#include "stats.h"

#include <QtCore/QHash>

using namespace Drover;

Context::FreshWorker measureFreshWorker(const Context &context)
{
    const int n = context.scale(100, 5);
    Context::FreshWorker result;
    Harness h;
    QHash<int, qint64> startedAt;
    QElapsedTimer clock;
    clock.start();
    h.on(&TaskQueue::workerStarted, [&](int id, qint64) { startedAt.insert(id, clock.nsecsElapsed()); });
    h.on(&TaskQueue::workerReady, [&](int id) {
        result.readyMs << double(clock.nsecsElapsed() - startedAt.value(id)) / 1e6;
    });
    for (int i = 0; i < n; ++i) {
        const Task task = Harness::task(QStringLiteral("echo"), i, false);
        const qint64 target = h.finished + 1;
        const qint64 start = clock.nsecsElapsed();
        h.queue->enqueue(task);
        h.awaitFinished(target);
        result.cycleMs << double(clock.nsecsElapsed() - start) / 1e6;
        // The retired worker is gone before the next cycle starts one.
        Harness::until("the retired worker to exit", [&] { return h.live.isEmpty(); });
    }
    h.expectAllDone();
    if (result.readyMs.size() != n)
        throw BenchError("not every task had its own fresh worker");
    return result;
}

void freshWorkerFigures(Context &context, QList<Figure> *figures)
{
    const Context::FreshWorker &fresh = context.freshWorker();
    const QList<double> spawn = Floor::spawnAndWait(QStringLiteral(DROVER_BENCH_MINIMAL), fresh.readyMs.size());
    const QString baseline = QStringLiteral("posix_spawn+waitpid, bare QCoreApplication, median");
    figures->append({.name = QStringLiteral("fresh worker: spawn to ready (median of %1)").arg(fresh.readyMs.size()),
                     .unit = QStringLiteral("ms"),
                     .value = Stats::median(fresh.readyMs),
                     .baselineName = baseline,
                     .baseline = Stats::median(spawn),
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 1.5});
    figures->append({.name = QStringLiteral("fresh worker: whole task cycle, enqueue to outcome (median)"),
                     .unit = QStringLiteral("ms"),
                     .value = Stats::median(fresh.cycleMs),
                     .baselineName = baseline,
                     .baseline = Stats::median(spawn),
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 1.5});
}
