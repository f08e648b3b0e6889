// One test per row of the task-kind contract (DESIGN.md / docs/architecture.md):
// each fails if that row's behaviour breaks. The scripted kind plays the plugin.

#include "drover/manager.h"
#include "drover/taskkind.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using TestSupport::OutcomeRecorder;

namespace {

QCborMap payload(std::initializer_list<std::pair<QString, QCborValue>> entries)
{
    QCborMap map;
    for (const auto &[key, value] : entries)
        map.insert(key, value);
    return map;
}

Task task(const QCborMap &p, int priority = 0)
{
    Task t;
    t.payload = p;
    t.priority = priority;
    return t;
}

// The plugin's master half is one object per process, shared by every
// Manager: the tests read what was logged since they started.
QStringList pluginLog(TaskQueue *queue, const char *property)
{
    auto *object = dynamic_cast<QObject *>(queue->taskKind());
    return object ? object->property(property).toStringList() : QStringList{QStringLiteral("no QObject")};
}

} // namespace

class tst_Contract : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:
    qsizetype m_endedBefore = 0;
    qsizetype m_marshalBefore = 0;

private slots:
    void init()
    {
        openScriptedQueue();
        if (!m_queue)
            return;
        m_endedBefore = pluginLog(m_queue, "endedLog").size();
        m_marshalBefore = pluginLog(m_queue, "marshalLog").size();
    }

    QStringList endedSinceInit() const { return pluginLog(m_queue, "endedLog").mid(m_endedBefore); }
    QStringList marshalSinceInit() const { return pluginLog(m_queue, "marshalLog").mid(m_marshalBefore); }

    void cleanup()
    {
        QVERIFY(m_recorder->lateFeedback.isEmpty());
        closeScriptedQueue();
    }

    // task + Fresh: a kind whose useResponse says End gets a new process per task.
    void freshWorkerPerTask()
    {
        QList<TaskId> ids;
        for (int i = 0; i < 3; ++i)
            ids << m_queue->enqueue(task(payload({{QStringLiteral("arg"), i}})));
        QVERIFY(m_recorder->waitFor(ids));
        QSet<qint64> pids;
        for (TaskId id : ids) {
            const TaskResult r = m_recorder->result(id);
            QCOMPARE(r.outcome, Outcome::Done);
            QCOMPARE(r.response[QLatin1String("fresh")].toBool(), true);
            pids.insert(r.response[QLatin1String("pid")].toInteger());
        }
        QCOMPARE(pids.size(), 3);
    }

    // worker_status Old: a worker that stays sees its competence on the next task.
    void persistentWorkerIsOld()
    {
        const QCborValue competence(QStringLiteral("knows-primes"));
        const TaskId first = m_queue->enqueue(task(payload({{QStringLiteral("stay"), true},
                                                            {QStringLiteral("competence"), competence}})));
        QVERIFY(m_recorder->waitFor(first));
        const TaskId second = m_queue->enqueue(task(payload({{QStringLiteral("stay"), true},
                                                             {QStringLiteral("competence"), competence}})));
        QVERIFY(m_recorder->waitFor(second));
        const QCborValue a = m_recorder->result(first).response;
        const QCborValue b = m_recorder->result(second).response;
        QCOMPARE(a[QLatin1String("fresh")].toBool(), true);
        QCOMPARE(b[QLatin1String("fresh")].toBool(), false);
        QCOMPARE(b[QLatin1String("competence")], competence);
        QCOMPARE(a[QLatin1String("pid")], b[QLatin1String("pid")]);
        QCOMPARE(m_queue->workers().size(), 1);
        QCOMPARE(m_queue->workers().first().fresh, false);
    }

    // A kind without taskAffinity() (NoAffinity): an Old worker takes the
    // queued tasks in order, and each dispatch asks taskMatch() of the first
    // task only, however many wait behind it (a ranking would look at 64).
    void noAffinityTakesTheFirstMatch()
    {
        m_queue->setMaxWorkers(1);
        constexpr int Count = 200;
        auto *kind = dynamic_cast<QObject *>(m_queue->taskKind());
        QVERIFY(kind);
        const qint64 before = kind->property("matchCalls").toLongLong();
        QList<TaskId> ids;
        for (int i = 0; i < Count; ++i)
            ids << m_queue->enqueue(task(payload({{QStringLiteral("arg"), i}, {QStringLiteral("stay"), true}})));
        QVERIFY(m_recorder->waitFor(ids));
        QCOMPARE(m_recorder->order, ids);
        const qint64 calls = kind->property("matchCalls").toLongLong() - before;
        QVERIFY2(calls <= 2 * Count, qPrintable(QStringLiteral("%1 taskMatch() calls for %2 tasks").arg(calls).arg(Count)));
    }

    // request_of_task -> nullopt: the task is dropped and the worker takes the next.
    void obsoleteTaskIsDropped()
    {
        const TaskId dropped = m_queue->enqueue(task(payload({{QStringLiteral("drop"), true}})));
        const TaskId next = m_queue->enqueue(task(payload({{QStringLiteral("arg"), 7}})));
        QVERIFY(m_recorder->waitFor({dropped, next}));
        QCOMPARE(m_recorder->result(dropped).outcome, Outcome::Dropped);
        QCOMPARE(m_recorder->result(dropped).attempts, 0);
        QCOMPARE(m_recorder->result(next).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(next).response[QLatin1String("value")].toInteger(), 7);
    }

    // task_match: a task goes only to a worker it matches.
    void taskGoesToMatchingWorker()
    {
        m_queue->setMaxWorkers(2);
        const QCborValue a(QStringLiteral("A")), b(QStringLiteral("B"));
        const TaskId makeA = m_queue->enqueue(task(payload({{QStringLiteral("stay"), true}, {QStringLiteral("competence"), a},
                                                            {QStringLiteral("op"), QStringLiteral("sleep")}, {QStringLiteral("arg"), 200}})));
        const TaskId makeB = m_queue->enqueue(task(payload({{QStringLiteral("stay"), true}, {QStringLiteral("competence"), b},
                                                            {QStringLiteral("op"), QStringLiteral("sleep")}, {QStringLiteral("arg"), 200}})));
        QVERIFY(m_recorder->waitFor({makeA, makeB}));
        const qint64 pidA = m_recorder->result(makeA).response[QLatin1String("pid")].toInteger();
        const qint64 pidB = m_recorder->result(makeB).response[QLatin1String("pid")].toInteger();
        QVERIFY(pidA != pidB);
        QList<TaskId> needA, needB;
        for (int i = 0; i < 4; ++i) {
            needB << m_queue->enqueue(task(payload({{QStringLiteral("needs"), b}, {QStringLiteral("stay"), true},
                                                    {QStringLiteral("competence"), b}})));
            needA << m_queue->enqueue(task(payload({{QStringLiteral("needs"), a}, {QStringLiteral("stay"), true},
                                                    {QStringLiteral("competence"), a}})));
        }
        QVERIFY(m_recorder->waitFor(needA + needB));
        for (TaskId id : needA)
            QCOMPARE(m_recorder->result(id).response[QLatin1String("pid")].toInteger(), pidA);
        for (TaskId id : needB)
            QCOMPARE(m_recorder->result(id).response[QLatin1String("pid")].toInteger(), pidB);
    }

    // task_match + full pool: an idle Old worker that matches nothing is
    // retired so that a fresh one can take the work; nothing starves.
    void mismatchedOldWorkerIsRetired()
    {
        const TaskId old = m_queue->enqueue(task(payload({{QStringLiteral("stay"), true},
                                                          {QStringLiteral("competence"), QStringLiteral("X")}})));
        QVERIFY(m_recorder->waitFor(old));
        const TaskId freshOnly = m_queue->enqueue(task(payload({{QStringLiteral("freshOnly"), true}})));
        QVERIFY(m_recorder->waitFor(freshOnly));
        QCOMPARE(m_recorder->result(freshOnly).outcome, Outcome::Done);
        QVERIFY(m_recorder->result(freshOnly).response[QLatin1String("pid")]
                != m_recorder->result(old).response[QLatin1String("pid")]);
    }

    // use_response Stay: the new tasks are enqueued at once and run.
    void stayEnqueuesNewTasks()
    {
        QSignalSpy queued(m_queue, &TaskQueue::taskQueued);
        QCborArray spawn;
        spawn.append(payload({{QStringLiteral("arg"), QStringLiteral("child-1")}}));
        spawn.append(payload({{QStringLiteral("arg"), QStringLiteral("child-2")}}));
        const TaskId parent = m_queue->enqueue(task(payload({{QStringLiteral("stay"), true},
                                                             {QStringLiteral("spawn"), spawn}})));
        QTRY_COMPARE_WITH_TIMEOUT(m_recorder->results.size(), 3, 60000);
        QCOMPARE(queued.size(), 3);
        // The children were queued before the parent's outcome was reported.
        QCOMPARE(m_recorder->order.first(), parent);
        QStringList values;
        for (auto it = m_recorder->results.cbegin(); it != m_recorder->results.cend(); ++it) {
            QCOMPARE(it->outcome, Outcome::Done);
            if (it.key() != parent)
                values << it->response[QLatin1String("value")].toString();
        }
        values.sort();
        QCOMPARE(values, (QStringList{QStringLiteral("child-1"), QStringLiteral("child-2")}));
    }

    // use_response End: the worker is retired and replaced when there is work.
    void endRetiresWorker()
    {
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        const TaskId id = m_queue->enqueue(task(payload({})));
        QVERIFY(m_recorder->waitFor(id));
        QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 1, 30000);
        QCOMPARE(exited.first().at(1).toString(), QStringLiteral("exited with code 0"));
        QTRY_COMPARE_WITH_TIMEOUT(m_queue->workers().size(), 0, 30000);
    }

    // on_marshal_error: too large a response, or request, ends the task once.
    void marshalError_data()
    {
        QTest::addColumn<bool>("bigRequest");
        QTest::newRow("response over the limit") << false;
        QTest::newRow("request over the limit") << true;
    }
    void marshalError()
    {
        QFETCH(bool, bigRequest);
        m_manager.reset();
        m_manager = std::make_unique<Manager>();
        m_manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        m_manager->setMaxFrameSize(4096);
        m_queue = m_manager->queue(QStringLiteral("scripted"));
        QVERIFY(m_queue);
        m_recorder = std::make_unique<OutcomeRecorder>(m_queue);
        const QCborMap p = bigRequest ? payload({{QStringLiteral("pad"), QByteArray(10000, 'p')}})
                                      : payload({{QStringLiteral("op"), QStringLiteral("big")}, {QStringLiteral("arg"), 10000},
                                                 {QStringLiteral("stay"), true}});
        const TaskId id = m_queue->enqueue(task(p));
        const TaskId after = m_queue->enqueue(task(payload({{QStringLiteral("arg"), 1}})));
        QVERIFY(m_recorder->waitFor({id, after}));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::MarshalError);
        QVERIFY2(m_recorder->result(id).message.contains(QLatin1String("4096")), qPrintable(m_recorder->result(id).message));
        QCOMPARE(marshalSinceInit().size(), 1);
        QVERIFY(marshalSinceInit().first().startsWith(QString::number(id) + QLatin1Char(':')));
        QCOMPARE(m_recorder->result(after).outcome, Outcome::Done);
    }

    // on_task_cancellation_or_expiration_or_slave_death: once per task that
    // ends without a response, with none for an idle worker's death.
    void onTaskEndedCalledOnce()
    {
        m_queue->setMaxWorkers(1);
        const TaskId blocker = m_queue->enqueue(task(payload({{QStringLiteral("op"), QStringLiteral("sleep")}, {QStringLiteral("arg"), 300}})));
        const TaskId queued = m_queue->enqueue(task(payload({})));
        QVERIFY(m_queue->cancel(queued));
        QCOMPARE(m_recorder->result(queued).outcome, Outcome::Cancelled);
        QVERIFY(!m_queue->cancel(queued));
        const TaskId crash = m_queue->enqueue(task(payload({{QStringLiteral("op"), QStringLiteral("crash")}})));
        QVERIFY(m_recorder->waitFor({blocker, crash}));
        QCOMPARE(m_recorder->result(crash).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->result(crash).message, QStringLiteral("was killed by SIGABRT"));

        // An idle persistent worker dies: onTaskEnded(nullopt).
        const TaskId stay = m_queue->enqueue(task(payload({{QStringLiteral("stay"), true}})));
        QVERIFY(m_recorder->waitFor(stay));
        QTRY_COMPARE_WITH_TIMEOUT(m_queue->workers().size(), 1, 30000);
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        QVERIFY(m_queue->killWorker(m_queue->workers().first().id));
        QVERIFY(exited.wait(30000));
        QCOMPARE(exited.first().at(1).toString(), QStringLiteral("was killed by SIGKILL"));
        QCOMPARE(endedSinceInit(),
                 (QStringList{QStringLiteral("cancelled:%1").arg(queued), QStringLiteral("worker-died:%1").arg(crash),
                              QStringLiteral("worker-died:none")}));
    }

    // forward_feedback: every live worker gets it, and so does one started later.
    void forwardFeedbackReachesEveryWorker()
    {
        m_queue->setMaxWorkers(2);
        QList<TaskId> warm;
        for (int i = 0; i < 2; ++i)
            warm << m_queue->enqueue(task(payload({{QStringLiteral("stay"), true}, {QStringLiteral("op"), QStringLiteral("sleep")}, {QStringLiteral("arg"), 300}})));
        QVERIFY(m_recorder->waitFor(warm));
        QTRY_COMPARE_WITH_TIMEOUT(m_queue->workers().size(), 2, 30000);
        m_queue->forwardFeedback(QStringLiteral("Set Verbose on"));
        QList<TaskId> asks;
        for (int i = 0; i < 2; ++i)
            asks << m_queue->enqueue(task(payload({{QStringLiteral("stay"), true}, {QStringLiteral("op"), QStringLiteral("forwarded")}})));
        QVERIFY(m_recorder->waitFor(asks));
        QSet<qint64> pids;
        for (TaskId id : asks) {
            const QCborValue value = m_recorder->result(id).response[QLatin1String("value")];
            QCOMPARE(value.toArray().size(), 1);
            QCOMPARE(value.toArray().at(0).toString(), QStringLiteral("Set Verbose on"));
            pids << m_recorder->result(id).response[QLatin1String("pid")].toInteger();
        }
        QCOMPARE(pids.size(), 2);

        // A worker started after the broadcast (fresh kind: End retires it).
        const TaskId late = m_queue->enqueue(task(payload({{QStringLiteral("op"), QStringLiteral("forwarded")}, {QStringLiteral("freshOnly"), true}})));
        QVERIFY(m_recorder->waitFor(late));
        QVERIFY(!pids.contains(m_recorder->result(late).response[QLatin1String("pid")].toInteger()));
        QCOMPARE(m_recorder->result(late).response[QLatin1String("value")].toArray().size(), 1);

        m_queue->clearForwardedFeedback();
        const TaskId cleared = m_queue->enqueue(task(payload({{QStringLiteral("op"), QStringLiteral("forwarded")}})));
        QVERIFY(m_recorder->waitFor(cleared));
        QCOMPARE(m_recorder->result(cleared).response[QLatin1String("value")].toArray().size(), 0);
    }

    // perform: feedback arrives in order, before the outcome; a throw fails the task.
    void performFeedbackAndFailure()
    {
        const TaskId talk = m_queue->enqueue(task(payload({{QStringLiteral("op"), QStringLiteral("feedback")}, {QStringLiteral("arg"), 50}})));
        const TaskId fail = m_queue->enqueue(task(payload({{QStringLiteral("op"), QStringLiteral("fail")}, {QStringLiteral("arg"), QStringLiteral("no such lemma")}})));
        QVERIFY(m_recorder->waitFor({talk, fail}));
        const QList<QCborValue> fb = m_recorder->feedback.value(talk);
        QCOMPARE(fb.size(), 50);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(fb.at(i).toInteger(), i);
        QCOMPARE(m_recorder->result(fail).outcome, Outcome::Failed);
        QCOMPARE(m_recorder->result(fail).message, QStringLiteral("no such lemma"));
    }

    // name / extra_env: the kind's extra environment reaches the worker.
    void extraEnvironmentReachesWorker()
    {
        const TaskId id = m_queue->enqueue(task(payload({{QStringLiteral("op"), QStringLiteral("env")}})));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).response[QLatin1String("value")].toString(), QStringLiteral("from-extraEnvironment"));
        QCOMPARE(m_queue->kind(), QStringLiteral("scripted"));
    }

    // Priorities: the highest runs first, equal ones in enqueue order, and
    // setPriority() reorders what is queued.
    void priorityOrder()
    {
        QList<TaskId> ids;
        ids << m_queue->enqueue(task(payload({{QStringLiteral("arg"), 0}}), 0));
        ids << m_queue->enqueue(task(payload({{QStringLiteral("arg"), 1}}), 5));
        ids << m_queue->enqueue(task(payload({{QStringLiteral("arg"), 2}}), 5));
        ids << m_queue->enqueue(task(payload({{QStringLiteral("arg"), 3}}), 1));
        QSignalSpy moved(m_queue, &TaskQueue::taskPriorityChanged);
        QVERIFY(m_queue->setPriority(ids[0], 9));
        QCOMPARE(moved.size(), 1);
        QCOMPARE(moved.first().at(1).toInt(), 9);
        QVERIFY(m_recorder->waitFor(ids));
        QCOMPARE(m_recorder->order, (QList<TaskId>{ids[0], ids[1], ids[2], ids[3]}));
    }
};

QTEST_GUILESS_MAIN(tst_Contract)
#include "tst_contract.moc"
