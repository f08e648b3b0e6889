// Volume: many trivial tasks over several persistent workers, each reaching
// exactly one outcome, and no worker left once the manager is gone.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;

class tst_Stress : public QObject
{
    Q_OBJECT

private slots:
    void manyTrivialTasks_data()
    {
        QTest::addColumn<int>("tasks");
        QTest::addColumn<int>("workers");
        QTest::newRow("10000 over 4 persistent workers") << 10000 << 4;
    }

    void manyTrivialTasks()
    {
        QFETCH(int, tasks);
        QFETCH(int, workers);
        auto manager = std::make_unique<Manager>();
        manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
        QVERIFY2(queue, qPrintable(manager->errorString()));
        queue->setMaxWorkers(workers);
        TestSupport::OutcomeRecorder recorder(queue);
        QSignalSpy drained(queue, &TaskQueue::drained);
        QSet<qint64> pids;
        connect(queue, &TaskQueue::workerStarted, this, [&](int, qint64 pid) { pids << pid; });

        QList<TaskId> ids;
        ids.reserve(tasks);
        QCborMap p;
        p.insert(QLatin1String("stay"), true);
        for (int i = 0; i < tasks; ++i) {
            p.insert(QLatin1String("arg"), i);
            Task t;
            t.payload = p;
            ids << queue->enqueue(t);
        }
        QCOMPARE(QSet<TaskId>(ids.begin(), ids.end()).size(), tasks);
        QVERIFY(recorder.waitFor(ids, 240000));
        QCOMPARE(recorder.results.size(), tasks);
        QVERIFY(recorder.duplicates.isEmpty());
        QCOMPARE(drained.size(), 1);
        for (int i = 0; i < tasks; ++i) {
            const TaskResult r = recorder.result(ids.at(i));
            QCOMPARE(r.outcome, Outcome::Done);
            QCOMPARE(r.response[QLatin1String("value")].toInteger(), i);
            QCOMPARE(r.attempts, 1);
        }
        QCOMPARE(queue->workers().size(), workers);
        QCOMPARE(pids.size(), workers);

        manager.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
        for (qint64 pid : std::as_const(pids))
            QVERIFY2(!TestSupport::processExists(pid), qPrintable(QString::number(pid)));
    }
};

QTEST_GUILESS_MAIN(tst_Stress)
#include "tst_stress.moc"
