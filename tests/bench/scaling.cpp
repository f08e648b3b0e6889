// Dispatch cost as the queue grows: it must not scan the queue per task.

#include "figures.h"
#include "harness.h"

using namespace Drover;

namespace {
double perTaskMicroseconds(int n)
{
    Harness h;
    h.queue->setMaxWorkers(2);
    // Start the workers first, so the figure is dispatch, not process start.
    h.queue->enqueue(Harness::task(QStringLiteral("echo")));
    h.queue->enqueue(Harness::task(QStringLiteral("echo")));
    Harness::until([&] { return h.finished == 2; });
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < n; ++i)
        h.queue->enqueue(Harness::task(QStringLiteral("echo"), i));
    Harness::until([&] { return h.finished == n + 2; });
    return double(clock.nsecsElapsed()) / 1000.0 / double(n);
}
} // namespace

void scalingFigures(const Sizes &sizes, QList<Figure> *figures)
{
    const int small = sizes.scale(1000, 100);
    const double base = perTaskMicroseconds(small);
    for (int n : {sizes.scale(10000, 1000), sizes.scale(100000, 5000)}) {
        figures->append({QStringLiteral("per-task cost with %1 queued").arg(n), QStringLiteral("µs"), perTaskMicroseconds(n),
                         QStringLiteral("%1 queued").arg(small), base, Figure::Goal::RatioAtMost, 1.5});
    }
}
