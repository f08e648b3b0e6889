// Figure 8: the cost per task of enqueueing N trivial tasks at once and
// draining them with 2 persistent workers, for N = 1k, 10k and 100k. It
// must not grow with the queue: dispatch never scans it.

#include "figures.h"
#include "harness.h"
#include "stats.h"

namespace {
//! Microseconds per task; small N is repeated and the median taken.
double perTaskMicroseconds(int n, int repeats)
{
    Harness h;
    h.queue->setMaxWorkers(2);
    h.startPersistentWorkers(2);
    QList<double> samples;
    for (int r = 0; r < repeats; ++r)
        samples << h.drainTrivialTasks(n) * 1e6 / double(n);
    h.expectAllDone();
    return Stats::median(samples);
}
} // namespace

void dispatchScalingFigures(Context &context, QList<Figure> *figures)
{
    const int small = context.scale(1000, 100);
    const double base = perTaskMicroseconds(small, context.scale(9, 3));
    const QString baselineName = QStringLiteral("%1 queued").arg(small);
    figures->append({.name = QStringLiteral("per-task dispatch cost, %1 queued (median of %2 runs)").arg(small).arg(context.scale(9, 3)),
                     .unit = QStringLiteral("µs"),
                     .value = base});
    const int middle = context.scale(10000, 1000);
    figures->append({.name = QStringLiteral("per-task dispatch cost, %1 queued").arg(middle),
                     .unit = QStringLiteral("µs"),
                     .value = perTaskMicroseconds(middle, context.scale(3, 1)),
                     .baselineName = baselineName,
                     .baseline = base});
    const int large = context.scale(100000, 5000);
    figures->append({.name = QStringLiteral("per-task dispatch cost, %1 queued").arg(large),
                     .unit = QStringLiteral("µs"),
                     .value = perTaskMicroseconds(large, 1),
                     .baselineName = baselineName,
                     .baseline = base,
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 1.5});
}
