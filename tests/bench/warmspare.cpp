// Dispatch latency to a fresh worker when a warm spare is ready: enqueue ->
// outcome of a trivial task of a fresh-worker kind, against the round trip
// on a persistent worker.

#include "figures.h"
#include "harness.h"
#include "stats.h"

void warmSpareFigures(Context &context, QList<Figure> *figures)
{
    const int n = context.scale(100, 5);
    QList<double> samples, toStart;
    {
        Harness h;
        h.queue->setWarmSpares(1);
        QElapsedTimer clock;
        h.on(&Drover::TaskQueue::taskStarted, [&](Drover::TaskId, int) { toStart << double(clock.nsecsElapsed()) / 1000.0; });
        for (int i = 0; i < n; ++i) {
            // A spare is connected and idle, and the last task's worker is gone.
            Harness::until("a warm spare", [&] { return !h.idle.isEmpty() && h.idle.size() == h.live.size(); });
            const Drover::Task task = Harness::task(QStringLiteral("echo"), i, false);
            const qint64 target = h.finished + 1;
            clock.start();
            h.queue->enqueue(task);
            h.awaitFinished(target);
            samples << double(clock.nsecsElapsed()) / 1000.0;
        }
        h.expectAllDone();
    }
    figures->append({.name = QStringLiteral("dispatch latency to a fresh worker with a warm spare ready (median of %1)").arg(n),
                     .unit = QStringLiteral("µs"),
                     .value = Stats::median(samples),
                     .baselineName = QStringLiteral("round trip on a persistent worker, median"),
                     .baseline = context.roundTripMedianUs(),
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 2,
                     .note = QStringLiteral("enqueue -> taskStarted: median %1 µs (the rest is the worker's first task)")
                                 .arg(Stats::median(toStart), 0, 'f', 0)});
}
