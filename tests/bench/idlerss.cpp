// Figure 6: the resident memory of an idle persistent worker (after one
// task), against a bare QCoreApplication holding a connected QLocalSocket.

#include "figures.h"
#include "floor.h"
#include "harness.h"

void idleRssFigures(Context &, QList<Figure> *figures)
{
    qint64 workerRss = 0;
    {
        Harness h;
        h.startPersistentWorkers(1);
        for (const Drover::WorkerInfo &w : h.queue->workers())
            workerRss = w.rssBytes;
    }
    const qint64 bareRss = Floor::connectedProcessRss(QStringLiteral(DROVER_BENCH_IDLE));
    figures->append({.name = QStringLiteral("idle worker RSS"),
                     .unit = QStringLiteral("KiB"),
                     .value = double(workerRss) / 1024.0,
                     .baselineName = QStringLiteral("bare QCoreApplication + connected QLocalSocket"),
                     .baseline = double(bareRss) / 1024.0,
                     .goal = Figure::Goal::RatioAtMost,
                     .target = 1.15});
}
