// Figure 5: cancel() of a running cooperative task (op sleep on a
// persistent worker) -> its Cancelled outcome, against the round trip.

#include "figures.h"
#include "harness.h"
#include "stats.h"

using namespace Drover;

void cancelFigures(Context &context, QList<Figure> *figures)
{
    const int n = context.scale(100, 5);
    QList<double> samples;
    int workersUsed = 0;
    {
        Harness h;
        // An Old worker: it is kept after a cooperative cancel.
        h.startPersistentWorkers(1);
        int starts = 0;
        h.on(&TaskQueue::taskStarted, [&](TaskId, int) { ++starts; });
        h.on(&TaskQueue::workerStarted, [&](int, qint64) { ++workersUsed; });
        QElapsedTimer clock;
        for (int i = 0; i < n; ++i) {
            const int startsBefore = starts;
            const qint64 target = h.finished + 1;
            const TaskId id = h.queue->enqueue(Harness::task(QStringLiteral("sleep"), 600000, true));
            Harness::until("the task to start", [&] { return starts > startsBefore; });
            clock.start();
            if (!h.queue->cancel(id))
                throw BenchError("cancel() refused a running task");
            h.awaitFinished(target);
            samples << double(clock.nsecsElapsed()) / 1000.0;
            if (h.last.outcome != Outcome::Cancelled)
                throw BenchError("the cancelled task ended " + outcomeName(h.last.outcome).toStdString());
        }
    }
    figures->append({.name = QStringLiteral("cancel() of a running cooperative task -> Cancelled (median of %1)").arg(n),
                     .unit = QStringLiteral("µs"),
                     .value = Stats::median(samples),
                     .baselineName = QStringLiteral("round trip on a persistent worker, median"),
                     .baseline = context.roundTripMedianUs(),
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 3,
                     .note = QStringLiteral("cancel -> Cancelled: p99 %1 µs; new workers started during the %2 cancels: %3")
                                 .arg(Stats::percentile(samples, 99), 0, 'f', 0)
                                 .arg(n)
                                 .arg(workersUsed)});
}
