// drover-testmaster PLUGIN_DIR [children N escape|stay]: a master that starts
// one busy scripted worker, prints "worker PID" and waits to be killed, for
// the tests that a worker dies with its master. With "children", the task
// starts N `sleep 600` children (out of the worker's group with "escape")
// and the master also prints "children PID...". With DROVER_TESTMASTER_LAUNCHER
// set, its workers are remote ones started through that launcher.

#include "drover/manager.h"
#include "drover/taskqueue.h"

#include <QtCore/QCborArray>
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
    if (const QString launcher = qEnvironmentVariable("DROVER_TESTMASTER_LAUNCHER"); !launcher.isEmpty()
        && !manager.setRemoteWorkers(QStringLiteral("127.0.0.1:0"), launcher))
        return 4;
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
    QObject::connect(queue, &Drover::TaskQueue::taskFeedback, [](Drover::TaskId, const QCborValue &value) {
        QByteArray line = "children";
        for (const QCborValue &pid : value.toArray())
            line += ' ' + QByteArray::number(pid.toInteger());
        std::printf("%s\n", line.constData());
        std::fflush(stdout);
    });
    QCborMap payload;
    if (argc > 3 && qstrcmp(argv[2], "children") == 0) {
        payload.insert(QLatin1String("op"), QStringLiteral("children"));
        payload.insert(QLatin1String("arg"), QByteArray(argv[3]).toInt());
        payload.insert(QLatin1String("escape"), argc > 4 && qstrcmp(argv[4], "escape") == 0);
        payload.insert(QLatin1String("then"), QStringLiteral("wait"));
    } else {
        payload.insert(QLatin1String("op"), QStringLiteral("spin"));
        payload.insert(QLatin1String("arg"), 600000);
    }
    Drover::Task task;
    task.payload = payload;
    queue->enqueue(task);
    return app.exec();
}
