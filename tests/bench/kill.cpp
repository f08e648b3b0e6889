// Figure 4: SIGKILL of a busy worker. The time from killWorker() to the
// taskStarted() of the task's retry on a new worker, against a fresh
// worker's spawn to ready; and the time to workerExited() (issue 3).

#include "figures.h"
#include "harness.h"
#include "stats.h"

using namespace Drover;

void killFigures(Context &context, QList<Figure> *figures)
{
    const int n = context.scale(100, 5);
    QList<double> redispatchMs, exitedMs;
    {
        Harness h;
        QElapsedTimer clock;
        int starts = 0, exits = 0;
        qint64 startedAt = 0, exitedAt = 0;
        int runningOn = -1;
        h.on(&TaskQueue::taskStarted, [&](TaskId, int worker) {
            ++starts;
            startedAt = clock.nsecsElapsed();
            runningOn = worker;
        });
        h.on(&TaskQueue::workerExited, [&](int, const QString &) {
            ++exits;
            exitedAt = clock.nsecsElapsed();
        });
        for (int i = 0; i < n; ++i) {
            Task task = Harness::task(QStringLiteral("sleep"), 600000, true);
            task.options.retries = 1;
            const int startsBefore = starts, exitsBefore = exits;
            const qint64 target = h.finished + 1;
            const TaskId id = h.queue->enqueue(task);
            Harness::until("the task to start", [&] { return starts > startsBefore; });
            clock.start();
            if (!h.queue->killWorker(runningOn))
                throw BenchError("killWorker() refused a busy worker");
            Harness::until("the retry to start", [&] { return starts > startsBefore + 1 && exits > exitsBefore; });
            redispatchMs << double(startedAt) / 1e6;
            exitedMs << double(exitedAt) / 1e6;
            // The retry ends cooperatively; its worker, which answered and
            // so stays (a persistent task), is retired for the next round.
            h.queue->cancel(id);
            h.awaitFinished(target);
            if (h.last.outcome != Outcome::Cancelled)
                throw BenchError("the retried task ended " + outcomeName(h.last.outcome).toStdString());
            h.queue->retireIdleWorkers();
            Harness::until("the workers to exit", [&] { return h.live.isEmpty(); });
        }
    }
    figures->append({.name = QStringLiteral("SIGKILL of a busy worker -> its task restarted on a new worker (median of %1)").arg(n),
                     .unit = QStringLiteral("ms"),
                     .value = Stats::median(redispatchMs),
                     .baselineName = QStringLiteral("fresh worker spawn to ready, median"),
                     .baseline = context.spawnToReadyMedianMs(),
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 1.5});
    figures->append({.name = QStringLiteral("SIGKILL of a busy worker -> workerExited (median of %1)").arg(n),
                     .unit = QStringLiteral("ms"),
                     .value = Stats::median(exitedMs),
                     .note = QStringLiteral("SIGKILL -> workerExited: p99 %1 ms; -> retry started: p99 %2 ms")
                                 .arg(Stats::percentile(exitedMs, 99), 0, 'f', 2)
                                 .arg(Stats::percentile(redispatchMs, 99), 0, 'f', 2)});
}
