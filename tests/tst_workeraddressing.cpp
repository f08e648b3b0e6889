// One worker at a time: setPerWorkerEnvironment() gives each worker its own
// init value from its id, and Task::pinnedWorker runs a task on one live
// worker only, ending it WorkerDied when that worker is not there or goes.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scripted.h"
#include "support/scriptedqueue.h"

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <stdexcept>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {
Task pinned(Task task, int workerId)
{
    task.pinnedWorker = workerId;
    return task;
}

// A task no worker matches unless it holds competence "never".
Task unmatchable(Task task)
{
    QCborMap payload = task.payload.toMap();
    payload.insert(QLatin1String("needs"), QStringLiteral("never"));
    task.payload = payload;
    return task;
}
} // namespace

class tst_WorkerAddressing : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:
    int workerOf(TaskId id) const { return m_recorder->result(id).workerId; }
    QCborValue valueOf(TaskId id) const { return m_recorder->result(id).response.toMap()[QLatin1String("value")]; }

private slots:
    void init() { openScriptedQueue(); }

    void cleanup() { closeScriptedQueue(); }

    // Each worker gets the value made from its own id, once.
    void eachWorkerItsOwnEnvironment()
    {
        QList<int> asked;
        m_queue->setMaxWorkers(3);
        m_queue->setPerWorkerEnvironment([&asked](int workerId) {
            asked << workerId;
            return QCborValue(QStringLiteral("shard of worker %1").arg(workerId));
        });
        QList<TaskId> ids;
        for (int i = 0; i < 6; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("workerenv"), {}, true));
        QVERIFY(m_recorder->waitFor(ids));
        QSet<int> workers;
        for (TaskId id : std::as_const(ids)) {
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
            QCOMPARE(valueOf(id).toString(), QStringLiteral("shard of worker %1").arg(workerOf(id)));
            workers.insert(workerOf(id));
        }
        // Once per worker (one more may have started and not been needed).
        QCOMPARE(QSet<int>(asked.begin(), asked.end()).size(), asked.size());
        for (int worker : std::as_const(workers))
            QVERIFY(asked.contains(worker));
        const qsizetype askedBefore = asked.size();

        // A plain value drops the function, for workers started afterwards.
        QVERIFY(m_queue->setWorkerEnvironment(QStringLiteral("for all")));
        m_queue->retireIdleWorkers();
        const TaskId later = m_queue->enqueue(scripted(QStringLiteral("workerenv")));
        QVERIFY(m_recorder->waitFor(later));
        QVERIFY(!workers.contains(workerOf(later)));
        QCOMPARE(valueOf(later).toString(), QStringLiteral("for all"));
        QCOMPARE(asked.size(), askedBefore);
    }

    // A function that throws, or an environment over the frame limit: the
    // worker is ended before its first task, and the reason is told.
    void environmentsThatCannotBeGiven_data()
    {
        QTest::addColumn<bool>("throws");
        QTest::addColumn<QString>("reason");
        QTest::newRow("throws") << true << "the per-worker environment function failed: no shard for you";
        QTest::newRow("too large") << false << "exceed the frame limit of 65536 bytes";
    }
    void environmentsThatCannotBeGiven()
    {
        QFETCH(bool, throws);
        QFETCH(QString, reason);
        m_manager->setMaxFrameSize(64 * 1024);
        m_queue->setPerWorkerEnvironment([throws](int) -> QCborValue {
            if (throws)
                throw std::runtime_error("no shard for you");
            return QByteArray(128 * 1024, 'e');
        });
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo"), 1));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QVERIFY2(m_recorder->result(id).message.contains(reason), qPrintable(m_recorder->result(id).message));
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().at(0).toString().contains(reason), qPrintable(errors.first().at(0).toString()));
    }

    // Pinned tasks run on their worker only, one after the other, whatever
    // taskMatch() says, and no worker is started for them.
    void pinnedTasksRunOnTheirWorker()
    {
        m_queue->setMaxWorkers(3);
        QSignalSpy started(m_queue, &TaskQueue::workerStarted);
        const TaskId first = m_queue->enqueue(scripted(QStringLiteral("echo"), 1, true));
        QVERIFY(m_recorder->waitFor(first));
        const int worker = workerOf(first);
        QCOMPARE(started.size(), 1);

        const TaskId busy = m_queue->enqueue(pinned(scripted(QStringLiteral("sleep"), 300, true), worker));
        QList<TaskId> waiting;
        for (int i = 0; i < 4; ++i)
            waiting << m_queue->enqueue(pinned(unmatchable(scripted(QStringLiteral("echo"), i, true)), worker));
        QVERIFY(m_recorder->waitFor(QList<TaskId>(waiting) << busy));
        for (TaskId id : std::as_const(waiting)) {
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
            QCOMPARE(workerOf(id), worker);
        }
        QCOMPARE(m_recorder->order, (QList<TaskId>{first, busy, waiting[0], waiting[1], waiting[2], waiting[3]}));
        QCOMPARE(started.size(), 1); // nobody else could take them
        QVERIFY(m_queue->requestName(busy).isEmpty());
    }

    // A pinned task whose worker is not there, or is told to quit, or dies
    // under it or before it: WorkerDied, said so, never retried.
    void pinnedToAWorkerThatIsGone_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("message");
        QTest::newRow("no such worker") << "missing" << "it is pinned to worker %1, which is not a live worker of the "
                                                        "scripted queue";
        QTest::newRow("quitting") << "quitting" << "it is pinned to worker %1, which is not a live worker of the "
                                                   "scripted queue";
        QTest::newRow("killed while it waits") << "killed" << "its worker %1 is gone: was killed by SIGKILL";
    }
    void pinnedToAWorkerThatIsGone()
    {
        QFETCH(QString, how);
        QFETCH(QString, message);
        const TaskId first = m_queue->enqueue(scripted(QStringLiteral("echo"), 1, how != QLatin1String("quitting")));
        QVERIFY(m_recorder->waitFor(first));
        int worker = workerOf(first); // fresh-worker ("quitting"): told to quit after its task
        if (how == QLatin1String("missing"))
            worker += 1000;
        TaskId running = 0;
        if (how == QLatin1String("killed")) {
            Task sleeper = pinned(scripted(QStringLiteral("sleep"), 60000, true), worker);
            sleeper.options.retries = 3; // a pinned task is not run again elsewhere
            running = m_queue->enqueue(sleeper);
            QTRY_VERIFY_WITH_TIMEOUT(m_queue->isRunning(running), 30000);
        }
        const TaskId id = m_queue->enqueue(pinned(scripted(QStringLiteral("echo"), 2), worker));
        QVERIFY(!m_recorder->results.contains(id)); // never from inside enqueue()
        if (how == QLatin1String("killed"))
            QVERIFY(m_queue->killWorker(worker));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->result(id).message, message.arg(worker));
        QCOMPARE(m_recorder->result(id).attempts, 0);
        if (running) {
            QVERIFY(m_recorder->waitFor(running));
            QCOMPARE(m_recorder->result(running).outcome, Outcome::WorkerDied);
            QCOMPARE(m_recorder->result(running).attempts, 1);
        }
    }
};

QTEST_GUILESS_MAIN(tst_WorkerAddressing)
#include "tst_workeraddressing.moc"
