// drover-testmaster PLUGIN_DIR: a master that starts one busy scripted worker,
// prints "worker PID" and waits to be killed, for the test that a worker
// dies with its master.

#include "drover/manager.h"
#include "drover/taskqueue.h"

#include <QtCore/QCborMap>
#include <QtCore/QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 2)
        return 2;
    Drover::Manager manager;
    manager.addPluginPath(QString::fromLocal8Bit(argv[1]));
    Drover::TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
    if (!queue)
        return 3;
    QObject::connect(queue, &Drover::TaskQueue::taskStarted, [queue](Drover::TaskId, int workerId) {
        for (const Drover::WorkerInfo &info : queue->workers()) {
            if (info.id == workerId) {
                std::printf("worker %lld\n", static_cast<long long>(info.pid));
                std::fflush(stdout);
            }
        }
    });
    QCborMap payload;
    payload.insert(QLatin1String("op"), QStringLiteral("spin"));
    payload.insert(QLatin1String("arg"), 600000);
    Drover::Task task;
    task.payload = payload;
    queue->enqueue(task);
    return app.exec();
}
