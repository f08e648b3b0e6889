// Dispatch latency to a fresh worker when a warm spare is ready: enqueue ->
// outcome of a trivial task of a fresh-worker kind, against the round trip
// on a persistent worker.

#include "figures.h"
#include "harness.h"
#include "stats.h"

#include <QtCore/QTimer>

#include <algorithm>

namespace {
//! Round trips of a trivial task on a persistent worker, each after the
//! machine has been idle for `pauseMs`, as it is before each spare sample
//! (the next spare is started and connects in between). Shows how much of
//! the spare's figure is the cost of waking idle CPUs rather than Drover's.
QList<double> roundTripsAfterAPause(int n, int pauseMs)
{
    Harness h;
    h.startPersistentWorkers(1);
    QList<double> samples;
    for (int i = 0; i < n; ++i) {
        bool paused = false;
        QTimer::singleShot(pauseMs, [&] { paused = true; });
        Harness::until("the pause", [&] { return paused; });
        samples << h.roundTripUs(i);
    }
    h.expectAllDone();
    return samples;
}
} // namespace

void warmSpareFigures(Context &context, QList<Figure> *figures)
{
    const int n = context.scale(100, 5);
    QList<double> samples, toStart, pauses;
    {
        Harness h;
        h.queue->setWarmSpares(1);
        QElapsedTimer clock;
        h.on(&Drover::TaskQueue::taskStarted, [&](Drover::TaskId, int) { toStart << double(clock.nsecsElapsed()) / 1000.0; });
        for (int i = 0; i < n; ++i) {
            // A spare is connected and idle, and the last task's worker is gone.
            QElapsedTimer pause;
            pause.start();
            Harness::until("a warm spare", [&] { return !h.idle.isEmpty() && h.idle.size() == h.live.size(); });
            if (i > 0)
                pauses << double(pause.elapsed());
            const Drover::Task task = Harness::task(QStringLiteral("echo"), i, false);
            const qint64 target = h.finished + 1;
            clock.start();
            h.queue->enqueue(task);
            h.awaitFinished(target);
            samples << double(clock.nsecsElapsed()) / 1000.0;
        }
        h.expectAllDone();
    }
    const int pauseMs = std::max(1, int(Stats::median(pauses)));
    const double afterPause = Stats::median(roundTripsAfterAPause(n, pauseMs));
    figures->append({.name = QStringLiteral("dispatch latency to a fresh worker with a warm spare ready (median of %1)").arg(n),
                     .unit = QStringLiteral("µs"),
                     .value = Stats::median(samples),
                     .baselineName = QStringLiteral("round trip on a persistent worker, median"),
                     .baseline = context.roundTripMedianUs(),
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 2,
                     .note = QStringLiteral("enqueue -> taskStarted: median %1 µs (the rest is the worker's first "
                                            "task); a persistent worker's round trip after the same %2 ms pause "
                                            "between tasks: median %3 µs")
                                 .arg(Stats::median(toStart), 0, 'f', 0)
                                 .arg(pauseMs)
                                 .arg(afterPause, 0, 'f', 0)});
}
