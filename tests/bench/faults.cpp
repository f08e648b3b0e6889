// Recovery and cancellation latencies.

#include "figures.h"
#include "harness.h"
#include "stats.h"

using namespace Drover;

void faultFigures(const Sizes &sizes, double roundTripUs, double spawnToReadyMs, QList<Figure> *figures)
{
    const int n = sizes.scale(100, 5);
    QList<double> redispatch, exited;
    {
        Harness h;
        QElapsedTimer clock;
        int starts = 0, exits = 0;
        qint64 startedAt = 0, exitedAt = 0;
        int lastWorker = -1;
        QObject::connect(h.queue, &TaskQueue::taskStarted, [&](TaskId, int worker) {
            ++starts;
            startedAt = clock.nsecsElapsed();
            lastWorker = worker;
        });
        QObject::connect(h.queue, &TaskQueue::workerExited, [&](int, const QString &) {
            ++exits;
            exitedAt = clock.nsecsElapsed();
        });
        for (int i = 0; i < n; ++i) {
            Task t = Harness::task(QStringLiteral("sleep"), 600000);
            t.options.retries = 1;
            const TaskId id = h.queue->enqueue(t);
            const int startsBefore = starts, exitsBefore = exits;
            Harness::until([&] { return starts > startsBefore; });
            clock.start();
            h.queue->killWorker(lastWorker);
            Harness::until([&] { return starts > startsBefore + 1 && exits > exitsBefore; });
            redispatch << double(startedAt) / 1e6;
            exited << double(exitedAt) / 1e6;
            h.queue->cancel(id);
            Harness::until([&] { return h.queue->runningCount() == 0 && h.queue->workers().isEmpty(); });
        }
    }
    QList<double> cancels;
    {
        Harness h;
        QElapsedTimer clock;
        int starts = 0;
        QObject::connect(h.queue, &TaskQueue::taskStarted, [&](TaskId, int) { ++starts; });
        for (int i = 0; i < n; ++i) {
            const int before = starts;
            const qint64 finishedBefore = h.finished;
            const TaskId id = h.queue->enqueue(Harness::task(QStringLiteral("sleep"), 600000, true));
            Harness::until([&] { return starts > before; });
            clock.start();
            h.queue->cancel(id);
            Harness::until([&] { return h.finished > finishedBefore; });
            cancels << double(clock.nsecsElapsed()) / 1000.0;
        }
    }
    figures->append({QStringLiteral("SIGKILL of a busy worker -> task re-dispatched on a new worker (median)"),
                     QStringLiteral("ms"), Stats::median(redispatch), QStringLiteral("fresh spawn to ready"), spawnToReadyMs,
                     Figure::Goal::RatioAtMost, 1.5});
    figures->append({QStringLiteral("SIGKILL of a busy worker -> workerExited (median)"), QStringLiteral("ms"),
                     Stats::median(exited), QString(), 0, Figure::Goal::None, 0,
                     QStringLiteral("p99 %1 ms over %2").arg(Stats::percentile(exited, 99), 0, 'f', 2).arg(exited.size())});
    figures->append({QStringLiteral("cancel() of a running task -> cancelled, cooperative (median)"), QStringLiteral("µs"),
                     Stats::median(cancels), QStringLiteral("round trip"), roundTripUs, Figure::Goal::RatioAtMost, 3,
                     QStringLiteral("p99 %1 µs over %2").arg(Stats::percentile(cancels, 99), 0, 'f', 0).arg(cancels.size())});
}
