// The three ways to stop a queue and start() after each: stopWhenDrained()
// finishes the work and then closes (Nproc's close), terminate() sends
// SIGTERM and then SIGKILL at the kill timeout with workerKillTimedOut()
// (Tezt's on_worker_kill_timeout), and a stopped queue runs again after
// start().

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"
#include "support/scripted.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

class tst_Shutdown : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:

private slots:
    void init() { openScriptedQueue(); }

    void cleanup()
    {
        qunsetenv("ROGUE_MODE");
        closeScriptedQueue(std::chrono::seconds(10));
    }

    // stopWhenDrained(): everything queued, running and added meanwhile ends Done;
    // then the workers quit and stopped() fires.
    void drainFinishesTheWork_data()
    {
        QTest::addColumn<bool>("stay");
        QTest::newRow("fresh workers") << false;
        QTest::newRow("persistent workers") << true;
    }
    void drainFinishesTheWork()
    {
        QFETCH(bool, stay);
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        QSignalSpy emptied(m_queue, &TaskQueue::queueEmptied);
        QList<TaskId> ids;
        for (int i = 0; i < 3; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("sleep"), 50, stay));
        bool added = false;
        connect(m_queue, &TaskQueue::taskFinished, this, [&](TaskId id) {
            if (id == ids.first() && !added) {
                added = true;
                ids << m_queue->enqueue(scripted(QStringLiteral("echo"), 4, stay));
            }
        });
        m_queue->stopWhenDrained();
        QVERIFY(m_queue->isStopped());
        QVERIFY(stopped.wait(120000));
        QCOMPARE(m_recorder->results.size(), 4);
        for (TaskId id : std::as_const(ids))
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QVERIFY(m_queue->workers().isEmpty());
        QCOMPARE(emptied.size(), 0); // nobody is asked for more while closing
        QCOMPARE(stopped.size(), 1);
    }

    // stopWhenDrained() with nothing to do closes at once.
    void drainWhenIdle()
    {
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        m_queue->setWarmSpares(1);
        QSignalSpy ready(m_queue, &TaskQueue::workerReady);
        QVERIFY(ready.wait(60000));
        m_queue->stopWhenDrained();
        QVERIFY(stopped.wait(60000));
        QVERIFY(m_queue->workers().isEmpty());
    }

    // terminate(): a running task that ignores cooperative cancellation ends
    // Cancelled at SIGTERM, queued ones at once; no kill was needed.
    void terminateSendsSigterm()
    {
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        QSignalSpy killTimedOut(m_queue, &TaskQueue::workerKillTimedOut);
        const TaskId running = m_queue->enqueue(scripted(QStringLiteral("spin"), 600000));
        const TaskId queued = m_queue->enqueue(scripted(QStringLiteral("echo"), 1));
        QTRY_VERIFY_WITH_TIMEOUT(m_queue->isRunning(running), 60000);
        m_queue->setQuitTimeout(60s);
        m_queue->terminate();
        QCOMPARE(m_recorder->result(queued).outcome, Outcome::Cancelled);
        QVERIFY(m_recorder->waitFor(running));
        const TaskResult result = m_recorder->result(running);
        QCOMPARE(result.outcome, Outcome::Cancelled);
        QVERIFY2(result.message.contains(QLatin1String("SIGTERM")), qPrintable(result.message));
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 60000);
        QCOMPARE(killTimedOut.size(), 0);
    }

    // terminate() a worker deaf to SIGTERM: SIGKILL at the kill timeout, and
    // workerKillTimedOut() says so before its workerExited().
    void terminateKillsAfterTimeout()
    {
        m_recorder.reset();
        m_manager.reset();
        qputenv("ROGUE_MODE", "ignore-term");
        qputenv("ROGUE_VICTIM", "1");
        qputenv("ROGUE_REAL_WORKER", DROVER_WORKER_BIN);
        openScriptedQueue();
        m_manager->setWorkerProgram(QStringLiteral(DROVER_ROGUE_BIN));
        m_queue->setHeartbeat(1s, 600s);
        m_queue->setQuitTimeout(300ms);
        QStringList events;
        connect(m_queue, &TaskQueue::workerKillTimedOut, this,
                [&](int worker) { events << QStringLiteral("kill-timeout:%1").arg(worker); });
        connect(m_queue, &TaskQueue::workerExited, this,
                [&](int worker) { events << QStringLiteral("exited:%1").arg(worker); });
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo"), 1));
        QTRY_VERIFY_WITH_TIMEOUT(m_queue->isRunning(id), 60000);
        m_queue->terminate();
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Cancelled);
        QVERIFY2(m_recorder->result(id).message.contains(QLatin1String("SIGKILL")),
                 qPrintable(m_recorder->result(id).message));
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 60000);
        QCOMPARE(events, (QStringList{QStringLiteral("kill-timeout:1"), QStringLiteral("exited:1")}));
    }

    // start() after each way of stopping: the queue runs tasks again.
    void startAfterStop_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("stop") << "stop";
        QTest::newRow("stopWhenDrained") << "stopWhenDrained";
        QTest::newRow("terminate") << "terminate";
    }
    void startAfterStop()
    {
        QFETCH(QString, how);
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        const TaskId before = m_queue->enqueue(scripted(QStringLiteral("echo"), 1));
        QVERIFY(m_recorder->waitFor(before));
        if (how == QLatin1String("stopWhenDrained"))
            m_queue->stopWhenDrained();
        else if (how == QLatin1String("terminate"))
            m_queue->terminate();
        else
            m_queue->stop();
        QVERIFY(stopped.wait(60000));
        const TaskId refused = m_queue->enqueue(scripted(QStringLiteral("echo"), 2));
        QVERIFY(m_recorder->waitFor(refused));
        QCOMPARE(m_recorder->result(refused).outcome, Outcome::Cancelled);
        m_queue->start();
        QVERIFY(!m_queue->isStopped());
        const TaskId after = m_queue->enqueue(scripted(QStringLiteral("echo"), 3));
        QVERIFY(m_recorder->waitFor(after));
        QCOMPARE(m_recorder->result(after).outcome, Outcome::Done);
        // And it stops again.
        m_queue->stop();
        QVERIFY(stopped.wait(60000));
        QCOMPARE(stopped.size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_Shutdown)
#include "tst_shutdown.moc"
