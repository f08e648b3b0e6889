// Figure 2: trivial tasks per second through 2 persistent workers, one task
// per request, against 2 C-level socketpair workers and Python's pool; and
// the same with prefetch off (TaskQueue::setPrefetch(false)), one request in
// flight per worker as before issue 20, measured in the same run.

#include "figures.h"
#include "floor.h"
#include "harness.h"

void throughputFigures(Context &context, QList<Figure> *figures)
{
    const int n = context.scale(20000, 500);
    const auto measure = [n](bool prefetch) {
        Harness h;
        h.queue->setMaxWorkers(2);
        h.queue->setPrefetch(prefetch);
        h.startPersistentWorkers(2);
        const double rate = double(n) / h.drainTrivialTasks(n);
        h.expectAllDone();
        return rate;
    };
    const double withoutPrefetch = measure(false);
    const double perSecond = measure(true);
    const double floor = Floor::socketpairThroughput(2, context.scale(200000, 5000));
    const std::optional<double> python = Floor::pythonPool(2, n, 1);

    const QString name = QStringLiteral("trivial tasks/s, 2 persistent workers, one task per request (%1 tasks)").arg(n);
    figures->append({.name = name,
                     .unit = QStringLiteral("tasks/s"),
                     .value = perSecond,
                     .baselineName = QStringLiteral("socketpair, 2 C-level workers"),
                     .baseline = floor,
                     .goal = Figure::Goal::SlowerAtMost,
                     .target = 2});
    figures->append({.name = name,
                     .unit = QStringLiteral("tasks/s"),
                     .value = perSecond,
                     .baselineName = QStringLiteral("Python ProcessPoolExecutor(2), chunksize 1"),
                     .baseline = python.value_or(0),
                     .goal = Figure::Goal::RatioAtLeast,
                     .target = 5,
                     .baselineNa = python ? QString() : QStringLiteral("n/a: no python3 on PATH")});
    figures->append({.name = QStringLiteral("trivial tasks/s as above, prefetch off (one request in flight per worker)"),
                     .unit = QStringLiteral("tasks/s"),
                     .value = withoutPrefetch,
                     .baselineName = QStringLiteral("socketpair, 2 C-level workers"),
                     .baseline = floor});
}
