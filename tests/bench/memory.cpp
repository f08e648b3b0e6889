// Memory: an idle worker against a bare Qt process with a connected socket,
// and the master's cost per queued task.

#include "figures.h"
#include "floor.h"
#include "harness.h"

#include <QtNetwork/QLocalServer>

#include <malloc.h>

using namespace Drover;

void memoryFigures(const Sizes &sizes, QList<Figure> *figures)
{
    qint64 workerRss = 0;
    {
        Harness h;
        h.queue->enqueue(Harness::task(QStringLiteral("echo")));
        Harness::until([&] { return h.finished == 1; });
        for (const WorkerInfo &w : h.queue->workers())
            workerRss = w.rssBytes;
    }
    qint64 bareRss = 0;
    {
        QLocalServer server;
        server.setSocketOptions(QLocalServer::AbstractNamespaceOption);
        const QString name = QStringLiteral("drover-bench-%1").arg(QCoreApplication::applicationPid());
        server.listen(name);
        bareRss = Floor::residentAfterReady(QStringLiteral(DROVER_BENCH_IDLE), {name});
    }
    figures->append({QStringLiteral("idle worker RSS"), QStringLiteral("KiB"), double(workerRss) / 1024.0,
                     QStringLiteral("bare QCoreApplication + connected QLocalSocket"), double(bareRss) / 1024.0,
                     Figure::Goal::RatioAtMost, 1.15});

    const int queued = sizes.scale(100000, 10000);
    double perTask = 0;
    {
        Harness h;
        QCborMap payload;
        payload.insert(QLatin1String("op"), QStringLiteral("echo"));
        Task task;
        task.payload = payload;
        QList<TaskId> ids;
        ids.reserve(queued);
        const size_t before = mallinfo2().uordblks;
        for (int i = 0; i < queued; ++i)
            ids << h.queue->enqueue(task);
        const size_t after = mallinfo2().uordblks;
        perTask = double(after - before - size_t(ids.size()) * sizeof(TaskId)) / double(queued);
        h.queue->cancelAll();
    }
    figures->append({QStringLiteral("master memory per queued task (%1 queued)").arg(queued), QStringLiteral("bytes"), perTask,
                     QStringLiteral("-"), 0, Figure::Goal::ValueAtMost, 512});
}
