// Figure 2: trivial tasks per second through 2 persistent workers, one task
// per request, against 2 C-level socketpair workers and Python's pool.

#include "figures.h"
#include "floor.h"
#include "harness.h"

void throughputFigures(Context &context, QList<Figure> *figures)
{
    const int n = context.scale(20000, 500);
    double perSecond = 0;
    {
        Harness h;
        h.queue->setMaxWorkers(2);
        h.startPersistentWorkers(2);
        perSecond = double(n) / h.drainTrivialTasks(n);
        h.expectAllDone();
    }
    const double floor = Floor::socketpairThroughput(2, context.scale(200000, 5000));
    const std::optional<double> python = Floor::pythonPool(2, n, 1);

    const QString name = QStringLiteral("trivial tasks/s, 2 persistent workers, one task per request (%1 tasks)").arg(n);
    figures->append({.name = name,
                     .unit = QStringLiteral("tasks/s"),
                     .value = perSecond,
                     .baselineName = QStringLiteral("socketpair, 2 C-level workers"),
                     .baseline = floor,
                     .goal = Figure::Goal::SlowerAtMost,
                     .target = 3});
    figures->append({.name = name,
                     .unit = QStringLiteral("tasks/s"),
                     .value = perSecond,
                     .baselineName = QStringLiteral("Python ProcessPoolExecutor(2), chunksize 1"),
                     .baseline = python.value_or(0),
                     .goal = Figure::Goal::RatioAtLeast,
                     .target = 5,
                     .baselineNa = python ? QString() : QStringLiteral("n/a: no python3 on PATH")});
}
