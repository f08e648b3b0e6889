// queueEmptied() whenever a worker could take work and none is queued, for
// every kind: fresh-worker kinds, persistent ones, a warm spare that becomes
// ready (Tezt's Scheduler: on_empty_queue).

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"
#include "support/scripted.h"

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

class tst_QueueEmptied : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:

private slots:
    void init() { openScriptedQueue(); }

    void cleanup() { closeScriptedQueue(); }

    // Work fed from queueEmptied() as in Tezt's on_empty_queue, for a kind
    // whose workers end after each task (no worker is idle: the id is 0)
    // and for one whose workers stay (the id is the idle worker's).
    void queueEmptiedFeedsEveryKind_data()
    {
        QTest::addColumn<bool>("stay");
        QTest::addColumn<int>("maxWorkers");
        QTest::newRow("fresh worker per task") << false << 1;
        QTest::newRow("fresh worker per task, pool of 2") << false << 2;
        QTest::newRow("persistent workers") << true << 1;
    }
    void queueEmptiedFeedsEveryKind()
    {
        QFETCH(bool, stay);
        QFETCH(int, maxWorkers);
        m_queue->setMaxWorkers(maxWorkers);
        int fed = 0;
        QList<int> ids;
        connect(m_queue, &TaskQueue::queueEmptied, this, [&](int idleWorkerId) {
            ids << idleWorkerId;
            QCOMPARE(m_queue->queuedCount(), 0);
            if (fed < 3) {
                ++fed;
                m_queue->enqueue(scripted(QStringLiteral("echo"), fed, stay));
            }
        });
        m_queue->enqueue(scripted(QStringLiteral("echo"), 0, stay));
        QVERIFY(m_queue->waitForDrained(120s));
        QCOMPARE(fed, 3);
        QCOMPARE(m_recorder->results.size(), 4);
        QVERIFY(!ids.isEmpty());
        for (int id : std::as_const(ids))
            QVERIFY2(stay ? id > 0 : id == 0, qPrintable(QString::number(id)));
    }

    // A warm spare that is ready with nothing queued can take work: say so.
    void queueEmptiedForReadySpare()
    {
        QSignalSpy ready(m_queue, &TaskQueue::workerReady);
        QSignalSpy emptied(m_queue, &TaskQueue::queueEmptied);
        m_queue->setWarmSpares(1);
        QVERIFY(emptied.wait(60000));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(emptied.at(0).at(0).toInt(), ready.at(0).at(0).toInt());
        // Fed from there, the spare takes the task.
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo"), 1, true));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).response[QLatin1String("worker")].toInteger(), ready.at(0).at(0).toInt());
    }

    // Nothing is queued, but no worker could take work: the queue is stopped.
    void noQueueEmptiedAfterStop()
    {
        QSignalSpy emptied(m_queue, &TaskQueue::queueEmptied);
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("sleep"), 60000));
        QTRY_VERIFY_WITH_TIMEOUT(m_queue->isRunning(id), 60000);
        m_queue->stop();
        QVERIFY(m_recorder->waitFor(id));
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 60000);
        QCOMPARE(emptied.size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_QueueEmptied)
#include "tst_queueemptied.moc"
