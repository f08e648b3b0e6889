// Prefetch: a busy Old worker holds the next task while it works
// (TaskQueue::setPrefetch()). What a held task does on every event that can
// reach it: it starts when its worker begins it, not when it was sent; it is
// cancelled, given back on a priority change or when the worker no longer
// matches it, queued again (not an attempt) when its worker dies, and ends
// with stop() and terminate(); and everything a worker says goes to the task
// it runs, never to the one it holds.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scripted.h"

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {
Task persistent(const QString &op, const QCborValue &arg = {}, const QString &name = {})
{
    Task task = scripted(op, arg, true);
    task.name = name;
    return task;
}

Task withKey(Task task, const QString &key, const QCborValue &value)
{
    QCborMap payload = task.payload.toMap();
    payload.insert(key, value);
    task.payload = payload;
    return task;
}
} // namespace

class tst_Prefetch : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Manager> m_manager;
    TaskQueue *m_queue = nullptr;
    std::unique_ptr<OutcomeRecorder> m_recorder;
    QList<TaskId> m_started;          // taskStarted, in order
    QList<TaskId> m_finished;         // taskFinished, in order
    QHash<TaskId, int> m_startedOn;   // the worker of each start

    //! The held task of the queue's worker `workerId` now (0: none).
    TaskId heldBy(int workerId) const
    {
        for (const WorkerInfo &info : m_queue->workers()) {
            if (info.id == workerId)
                return info.heldTask;
        }
        return 0;
    }

    //! One task on the one worker, which stays: it is Old from then on.
    int warmUp(const QCborValue &competence = {})
    {
        Task task = persistent(QStringLiteral("echo"));
        if (!competence.isUndefined())
            task = withKey(task, QStringLiteral("competence"), competence);
        const TaskId id = m_queue->enqueue(task);
        if (!m_recorder->waitFor(id) || m_recorder->result(id).outcome != Outcome::Done)
            return -1;
        return m_recorder->result(id).workerId;
    }

private slots:
    void init()
    {
        m_manager = std::make_unique<Manager>();
        m_manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        m_queue = m_manager->queue(QStringLiteral("scripted"));
        QVERIFY2(m_queue, qPrintable(m_manager->errorString()));
        m_queue->setMaxWorkers(1);
        m_recorder = std::make_unique<OutcomeRecorder>(m_queue);
        m_started.clear();
        m_finished.clear();
        m_startedOn.clear();
        connect(m_queue, &TaskQueue::taskStarted, this, [this](TaskId id, int workerId) {
            m_started << id;
            m_startedOn.insert(id, workerId);
        });
        connect(m_queue, &TaskQueue::taskFinished, this, [this](TaskId id) { m_finished << id; });
    }

    void cleanup()
    {
        QVERIFY(m_recorder->duplicates.isEmpty());
        QVERIFY(m_recorder->lateFeedback.isEmpty());
        m_recorder.reset();
        m_manager.reset();
        QVERIFY(TestSupport::childProcesses().isEmpty());
    }

    // Whether the next task is held behind a running one: only on an Old
    // worker of a queue that allows it. Prefetch happens in the dispatch
    // that starts the running task, so once taskStarted() came it is done.
    void heldOnlyWhereAllowed_data()
    {
        QTest::addColumn<bool>("stay");
        QTest::addColumn<bool>("prefetch");
        QTest::addColumn<bool>("held");
        QTest::newRow("persistent kind") << true << true << true;
        QTest::newRow("persistent kind, opted out") << true << false << false;
        QTest::newRow("fresh worker per task") << false << true << false;
    }
    void heldOnlyWhereAllowed()
    {
        QFETCH(bool, stay);
        QFETCH(bool, prefetch);
        QFETCH(bool, held);
        m_queue->setPrefetch(prefetch);
        QCOMPARE(m_queue->prefetch(), prefetch);
        const TaskId first = m_queue->enqueue(scripted(QStringLiteral("echo"), 0, stay));
        QVERIFY(m_recorder->waitFor(first));
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        const TaskId a = m_queue->enqueue(scripted(QStringLiteral("port"), {}, stay));
        const TaskId b = m_queue->enqueue(scripted(QStringLiteral("echo"), 1, stay));
        QVERIFY(started.wait(60000));
        QCOMPARE(started.at(0).at(0).value<TaskId>(), a);
        const int worker = started.at(0).at(1).toInt();
        QCOMPARE(heldBy(worker), held ? b : TaskId(0));
        QVERIFY(!m_queue->isRunning(b));
        QVERIFY(m_queue->sendMessage(a, QStringLiteral("go")));
        QVERIFY(m_recorder->waitFor({a, b}));
        QCOMPARE(m_recorder->result(b).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(b).attempts, 1);
        // Started when it began, after the task before it ended.
        QVERIFY(m_finished.indexOf(a) < m_finished.indexOf(b));
        QCOMPARE(m_started.mid(m_started.indexOf(a)), (QList<TaskId>{a, b}));
    }

    // A kind says no in its metadata ("prefetch": false): proof requests
    // are built from the worker's competence, which the task before
    // changes. The scripted kind says nothing: on.
    void kindsOptOutInTheirMetadata()
    {
        QVERIFY(m_queue->prefetch());
        TaskQueue *proof = m_manager->queue(QStringLiteral("proof"));
        QVERIFY2(proof, qPrintable(m_manager->errorString()));
        QVERIFY(!proof->prefetch());
    }

    // Everything a worker sends goes to the task it runs: feedback,
    // messages both ways (a message sent from onStart reaches a task the
    // worker began before the message came), questions; none to the task
    // it holds. And the outcomes come in queue order.
    void attributionWhileHolding()
    {
        const int worker = warmUp();
        QVERIFY(worker > 0);
        m_queue->setRequestHandler([](const WorkerRequest &request) {
            request.answer(QStringLiteral("asked by %1").arg(request.taskId()));
        });
        QHash<TaskId, QList<QCborValue>> messages;
        connect(m_queue, &TaskQueue::taskMessage, this,
                [&](TaskId id, const QCborValue &value) { messages[id] << value; });
        QList<QPair<int, TaskId>> busy;
        connect(m_queue, &TaskQueue::workerBusy, this, [&](int w, TaskId id) { busy << qMakePair(w, id); });

        const TaskId a = m_queue->enqueue(persistent(QStringLiteral("port")));
        TaskHooks hooks;
        hooks.onStart = [](const TaskContext &context) { context.sendMessage(QStringLiteral("to B")); };
        const TaskId b = m_queue->enqueue(persistent(QStringLiteral("port")), hooks);
        const TaskId c = m_queue->enqueue(persistent(QStringLiteral("feedback"), 3));
        const TaskId d = m_queue->enqueue(persistent(QStringLiteral("chat"), 2));
        const TaskId e = m_queue->enqueue(persistent(QStringLiteral("ask"), QStringLiteral("what")));
        connect(m_queue, &TaskQueue::taskMessage, this, [&](TaskId id, const QCborValue &) {
            if (id == d)
                m_queue->sendMessage(d, QStringLiteral("reply to D"));
        });
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), b, 60000);
        // Not started: no message reaches it yet.
        QVERIFY(!m_queue->sendMessage(b, QStringLiteral("too early")));
        QVERIFY(m_queue->sendMessage(a, QStringLiteral("to A")));
        QVERIFY(m_recorder->waitFor({a, b, c, d, e}));

        for (TaskId id : {a, b, c, d, e})
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(a).response[QLatin1String("value")].toString(), QStringLiteral("to A"));
        QCOMPARE(m_recorder->result(b).response[QLatin1String("value")].toString(), QStringLiteral("to B"));
        QCOMPARE(m_recorder->feedback.value(c).size(), 3);
        for (TaskId id : {a, b, d, e})
            QVERIFY(m_recorder->feedback.value(id).isEmpty());
        QCOMPARE(messages.value(d).size(), 2);
        for (TaskId id : {a, b, c, e})
            QVERIFY(messages.value(id).isEmpty());
        const QCborArray replies = m_recorder->result(d).response[QLatin1String("value")].toArray();
        QCOMPARE(replies.size(), 2);
        QCOMPARE(replies.at(1).toString(), QStringLiteral("reply to D"));
        QCOMPARE(m_recorder->result(e).response[QLatin1String("value")].toString(),
                 QStringLiteral("asked by %1").arg(e));
        // Every start on the one worker, each right after the one before
        // ended, in queue order.
        const QList<TaskId> expected{a, b, c, d, e};
        QCOMPARE(m_started.mid(m_started.indexOf(a)), expected);
        QCOMPARE(m_finished.mid(m_finished.indexOf(a)), expected);
        QCOMPARE(busy.size(), 5);
        for (int i = 0; i < busy.size(); ++i)
            QCOMPARE(busy.at(i), qMakePair(worker, expected.at(i)));
    }

    // cancel() and clear() end a held task at once, as a queued one, while
    // the task before it still runs; it never starts, and the worker is
    // free of it (it takes the next task).
    void cancelHeld_data()
    {
        QTest::addColumn<bool>("clear");
        QTest::newRow("cancel()") << false;
        QTest::newRow("clear()") << true;
    }
    void cancelHeld()
    {
        QFETCH(bool, clear);
        const int worker = warmUp();
        QVERIFY(worker > 0);
        const TaskId a = m_queue->enqueue(persistent(QStringLiteral("port")));
        const TaskId b = m_queue->enqueue(persistent(QStringLiteral("echo")));
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), b, 60000);
        if (clear)
            m_queue->clear();
        else
            QVERIFY(m_queue->cancel(b));
        QVERIFY(m_recorder->results.contains(b)); // before cancel() returned
        QCOMPARE(m_recorder->result(b).outcome, Outcome::Cancelled);
        QCOMPARE(m_recorder->result(b).message, QStringLiteral("cancelled before it started"));
        QCOMPARE(m_recorder->result(b).attempts, 0);
        QVERIFY(!m_recorder->results.contains(a));
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), TaskId(0), 60000);
        const TaskId c = m_queue->enqueue(persistent(QStringLiteral("echo")));
        QVERIFY(m_queue->sendMessage(a, QStringLiteral("go")));
        QVERIFY(m_recorder->waitFor({a, c}));
        QCOMPARE(m_recorder->result(a).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(c).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(c).workerId, worker);
        QVERIFY(!m_started.contains(b));
    }

    // A worker with nothing to do takes back the task another one holds
    // behind a long task: held work never waits while a worker idles.
    void idleWorkerTakesHeldTask()
    {
        m_queue->setMaxWorkers(2);
        const TaskId w1 = m_queue->enqueue(persistent(QStringLiteral("sleep"), 300));
        const TaskId w2 = m_queue->enqueue(persistent(QStringLiteral("sleep"), 300));
        QVERIFY(m_recorder->waitFor({w1, w2}));
        QVERIFY(m_recorder->result(w1).workerId != m_recorder->result(w2).workerId);
        const TaskId a = m_queue->enqueue(persistent(QStringLiteral("port")));
        const TaskId c = m_queue->enqueue(persistent(QStringLiteral("port")));
        const TaskId b = m_queue->enqueue(persistent(QStringLiteral("echo")));
        QTRY_VERIFY_WITH_TIMEOUT(m_queue->isRunning(a) && m_queue->isRunning(c), 60000);
        const int workerA = m_startedOn.value(a);
        const int workerC = m_startedOn.value(c);
        QTRY_VERIFY_WITH_TIMEOUT(heldBy(workerA) == b || heldBy(workerC) == b, 60000);
        // The other one's task ends: it is idle, and takes the held task.
        const bool heldByA = heldBy(workerA) == b;
        const TaskId freed = heldByA ? c : a;
        const TaskId blocked = heldByA ? a : c;
        const int idle = heldByA ? workerC : workerA;
        QVERIFY(m_queue->sendMessage(freed, QStringLiteral("go")));
        QVERIFY(m_recorder->waitFor({freed, b}));
        QCOMPARE(m_recorder->result(b).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(b).workerId, idle);
        QCOMPARE(m_recorder->result(b).attempts, 1);
        QVERIFY(!m_recorder->results.contains(blocked));
        QVERIFY(m_queue->sendMessage(blocked, QStringLiteral("go")));
        QVERIFY(m_recorder->waitFor(blocked));
    }

    // A priority change reaches a held task: it is given back and queued
    // in its new place, so the order of starts is the queue's order.
    void priorityReachesHeld_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("expected"); // names, in order of start
        QTest::newRow("held task lowered") << "lower B" << "A C B";
        QTest::newRow("queued task raised") << "raise C" << "A C B";
        QTest::newRow("higher priority enqueued") << "enqueue D" << "A D B C";
        QTest::newRow("held task raised") << "raise B" << "A B C";
    }
    void priorityReachesHeld()
    {
        QFETCH(QString, change);
        QFETCH(QString, expected);
        const int worker = warmUp();
        QVERIFY(worker > 0);
        QHash<TaskId, QString> names;
        const TaskId a = m_queue->enqueue(persistent(QStringLiteral("port")));
        const TaskId b = m_queue->enqueue(persistent(QStringLiteral("echo")));
        const TaskId c = m_queue->enqueue(persistent(QStringLiteral("echo")));
        names = {{a, QStringLiteral("A")}, {b, QStringLiteral("B")}, {c, QStringLiteral("C")}};
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), b, 60000);
        QSignalSpy priority(m_queue, &TaskQueue::taskPriorityChanged);
        if (change == QLatin1String("lower B")) {
            QVERIFY(m_queue->setPriority(b, -5));
        } else if (change == QLatin1String("raise C")) {
            QVERIFY(m_queue->setPriority(c, 5));
        } else if (change == QLatin1String("raise B")) {
            QVERIFY(m_queue->setPriority(b, 5));
        } else {
            Task d = persistent(QStringLiteral("echo"));
            d.priority = 5;
            names.insert(m_queue->enqueue(d), QStringLiteral("D"));
        }
        QCOMPARE(priority.size(), change.startsWith(QLatin1String("enqueue")) ? 0 : 1);
        // What is held now is what runs next.
        const TaskId next = names.key(expected.split(QLatin1Char(' ')).at(1));
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), next, 60000);
        QVERIFY(m_queue->sendMessage(a, QStringLiteral("go")));
        QVERIFY(m_queue->waitForDrained(60s));
        QStringList order;
        for (TaskId id : m_started.mid(m_started.indexOf(a)))
            order << names.value(id);
        QCOMPARE(order.join(QLatin1Char(' ')), expected);
        for (TaskId id : names.keys()) {
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
            QCOMPARE(m_recorder->result(id).attempts, 1);
        }
    }

    // A task's timeout counts from when it starts, not from when it was
    // sent ahead: held longer than its timeout, it still runs in full.
    void timeoutCountsFromStart()
    {
        const int worker = warmUp();
        QVERIFY(worker > 0);
        const TaskId a = m_queue->enqueue(persistent(QStringLiteral("sleep"), 6000));
        Task quick = persistent(QStringLiteral("echo"));
        quick.options.killTimeout = 3000ms;
        const TaskId b = m_queue->enqueue(quick);
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), b, 60000);
        QVERIFY(m_recorder->waitFor({a, b}));
        QCOMPARE(m_recorder->result(a).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(b).outcome, Outcome::Done);
        // Its own time, too, counts from its start.
        QVERIFY(m_recorder->result(b).elapsed < m_recorder->result(a).elapsed);
    }

    // The held task's worker dies: the running task is handled as any
    // death, the held one goes back to the queue without counting as an
    // attempt (no retries allowed, it still runs, once).
    void workerDeathRequeuesHeld()
    {
        const int worker = warmUp();
        QVERIFY(worker > 0);
        const TaskId a = m_queue->enqueue(persistent(QStringLiteral("port")));
        Task once = persistent(QStringLiteral("echo"));
        once.options.retries = 0;
        const TaskId b = m_queue->enqueue(once);
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), b, 60000);
        QVERIFY(m_queue->killWorker(worker));
        QVERIFY(m_recorder->waitFor({a, b}));
        QCOMPARE(m_recorder->result(a).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->result(b).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(b).attempts, 1);
        QVERIFY(m_recorder->result(b).workerId != worker);
        QCOMPARE(m_started.count(b), 1);
    }

    // After the running task's useResponse() the worker's competence
    // changed and no longer matches its held task: the task is given back
    // (or, if the worker had begun it, stopped and queued again), and
    // starts once, on a worker that matches it.
    void heldTaskRecheckedAfterUseResponse()
    {
        const QString x = QStringLiteral("x");
        const int worker = warmUp(x);
        QVERIFY(worker > 0);
        QHash<TaskId, QCborValue> competenceAtStart;
        connect(m_queue, &TaskQueue::taskStarted, this, [&](TaskId id, int workerId) {
            for (const WorkerInfo &info : m_queue->workers()) {
                if (info.id == workerId)
                    competenceAtStart.insert(id, info.competence);
            }
        });
        // A leaves its worker with competence "y"; B needs "x" (and leaves
        // "x"); C, which any worker takes, brings a worker to "x" again.
        const TaskId a = m_queue->enqueue(withKey(persistent(QStringLiteral("port")), QStringLiteral("competence"),
                                                  QStringLiteral("y")));
        Task needsX = withKey(persistent(QStringLiteral("echo")), QStringLiteral("needs"), x);
        needsX = withKey(needsX, QStringLiteral("competence"), x);
        needsX.options.retries = 0;
        const TaskId b = m_queue->enqueue(needsX);
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), b, 60000);
        Task toX = withKey(persistent(QStringLiteral("echo")), QStringLiteral("competence"), x);
        toX.priority = -1;
        const TaskId c = m_queue->enqueue(toX);
        QVERIFY(m_queue->sendMessage(a, QStringLiteral("go")));
        QVERIFY(m_recorder->waitFor({a, b, c}));
        for (TaskId id : {a, b, c})
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QCOMPARE(m_started.count(b), 1);
        QCOMPARE(m_recorder->result(b).attempts, 1);
        QCOMPARE(competenceAtStart.value(b), QCborValue(x));
        QCOMPARE(m_recorder->result(b).response[QLatin1String("competence")], QCborValue(x));
    }

    // stop() ends a held task at once, as a queued one (it never starts);
    // stopWhenDrained() runs it; terminate() ends it Cancelled with its
    // worker.
    void shutdownWithHeld_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<int>("heldOutcome");
        QTest::newRow("stop") << "stop" << int(Outcome::Cancelled);
        QTest::newRow("stopWhenDrained") << "drain" << int(Outcome::Done);
        QTest::newRow("terminate") << "terminate" << int(Outcome::Cancelled);
    }
    void shutdownWithHeld()
    {
        QFETCH(QString, how);
        QFETCH(int, heldOutcome);
        const int worker = warmUp();
        QVERIFY(worker > 0);
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        const TaskId a = m_queue->enqueue(persistent(QStringLiteral("port")));
        const TaskId b = m_queue->enqueue(persistent(QStringLiteral("echo")));
        QTRY_COMPARE_WITH_TIMEOUT(heldBy(worker), b, 60000);
        if (how == QLatin1String("stop")) {
            m_queue->stop();
            QVERIFY(m_recorder->results.contains(b)); // at once, as a queued task
        } else if (how == QLatin1String("drain")) {
            m_queue->stopWhenDrained();
            QVERIFY(m_queue->sendMessage(a, QStringLiteral("go")));
        } else {
            m_queue->terminate();
        }
        QVERIFY(m_recorder->waitFor({a, b}));
        QCOMPARE(int(m_recorder->result(b).outcome), heldOutcome);
        QCOMPARE(m_recorder->result(a).outcome, heldOutcome == int(Outcome::Done) ? Outcome::Done : Outcome::Cancelled);
        QCOMPARE(m_started.contains(b), heldOutcome == int(Outcome::Done));
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 60000);
    }

    // Many tasks through one worker that always holds the next: each has
    // one outcome, in queue order, with its own answer.
    void manyTasksInOrder()
    {
        m_queue->setMaxWorkers(2);
        QList<TaskId> ids;
        for (int i = 0; i < 400; ++i)
            ids << m_queue->enqueue(persistent(QStringLiteral("echo"), i));
        QVERIFY(m_recorder->waitFor(ids, 120000));
        for (int i = 0; i < ids.size(); ++i) {
            const TaskResult result = m_recorder->result(ids.at(i));
            QCOMPARE(result.outcome, Outcome::Done);
            QCOMPARE(result.attempts, 1);
            QCOMPARE(result.response[QLatin1String("value")].toInteger(), i);
        }
        QCOMPARE(m_started.size(), ids.size());
    }
};

QTEST_GUILESS_MAIN(tst_Prefetch)
#include "tst_prefetch.moc"
