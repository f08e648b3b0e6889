// Chaos: thousands of tasks over several workers while a timer SIGKILLs
// random workers and cancels random tasks. Every task gets exactly one
// outcome, the counts add up, and no process outlives the test.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"

#include <QtCore/QCborMap>
#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <memory>

using namespace Drover;
using namespace std::chrono_literals;

class tst_Chaos : public QObject
{
    Q_OBJECT

private slots:
    void killsAndCancels_data()
    {
        QTest::addColumn<int>("tasks");
        QTest::addColumn<int>("workers");
        QTest::addColumn<bool>("persistent");
        QTest::newRow("3000 tasks, 4 persistent workers") << 3000 << 4 << true;
        QTest::newRow("600 tasks, 3 fresh workers") << 600 << 3 << false;
    }

    void killsAndCancels()
    {
        QFETCH(int, tasks);
        QFETCH(int, workers);
        QFETCH(bool, persistent);
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);

        QList<qint64> pids;
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY2(queue, qPrintable(manager.errorString()));
            queue->setMaxWorkers(workers);
            queue->setCancelGrace(100ms);
            TestSupport::OutcomeRecorder recorder(queue);
            connect(queue, &TaskQueue::workerStarted, this, [&](int, qint64 pid) { pids << pid; });

            QList<TaskId> ids;
            for (int i = 0; i < tasks; ++i) {
                QCborMap p;
                const int kind = random.bounded(10);
                // Mostly quick echoes, some short sleeps (cooperative), a few
                // spins that ignore cancellation.
                p.insert(QLatin1String("op"), kind < 7 ? QStringLiteral("echo")
                                              : kind < 9 ? QStringLiteral("sleep")
                                                         : QStringLiteral("spin"));
                p.insert(QLatin1String("arg"), kind < 7 ? 0 : random.bounded(1, 20));
                p.insert(QLatin1String("stay"), persistent);
                Task t;
                t.payload = p;
                t.priority = random.bounded(3);
                t.options.retries = random.bounded(2);
                ids << queue->enqueue(t);
            }

            int kills = 0, cancels = 0;
            QTimer chaos;
            connect(&chaos, &QTimer::timeout, this, [&] {
                const QList<WorkerInfo> live = queue->workers();
                if (!live.isEmpty() && random.bounded(3) == 0) {
                    const WorkerInfo &victim = live.at(random.bounded(int(live.size())));
                    if (queue->killWorker(victim.id))
                        ++kills;
                }
                for (int i = 0; i < 3; ++i) {
                    if (queue->cancel(ids.at(random.bounded(int(ids.size())))))
                        ++cancels;
                }
            });
            chaos.start(5ms);
            QVERIFY(recorder.waitFor(ids, 240000));
            chaos.stop();

            QCOMPARE(recorder.results.size(), tasks);
            QVERIFY(recorder.duplicates.isEmpty());
            QVERIFY(recorder.lateFeedback.isEmpty());
            QHash<Outcome, int> counts;
            for (const TaskResult &r : std::as_const(recorder.results))
                ++counts[r.outcome];
            int sum = 0;
            for (int c : std::as_const(counts))
                sum += c;
            QCOMPARE(sum, tasks);
            QVERIFY(counts.value(Outcome::Done) > 0);
            QVERIFY(counts.value(Outcome::Cancelled) > 0);
            QCOMPARE(counts.value(Outcome::Failed) + counts.value(Outcome::Dropped) + counts.value(Outcome::MarshalError)
                         + counts.value(Outcome::TimedOut),
                     0);
            qInfo("%d kills, %d cancels: %d done, %d cancelled, %d worker-died", kills, cancels,
                  counts.value(Outcome::Done), counts.value(Outcome::Cancelled), counts.value(Outcome::WorkerDied));
            QVERIFY(kills > 0);
            QCOMPARE(queue->runningCount(), 0);
            QCOMPARE(queue->queuedCount(), 0);
        }
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
        for (qint64 pid : std::as_const(pids))
            QVERIFY(!TestSupport::processExists(pid));
    }
};

QTEST_GUILESS_MAIN(tst_Chaos)
#include "tst_chaos.moc"
