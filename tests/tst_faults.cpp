// The paths where things go wrong: crashes, exits, timeouts, cancellation,
// kill controls, retries, workers that cannot start, shutdown. Every task
// still gets exactly one outcome, and no process is left behind.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"
#include "support/scripted.h"

#include <QtCore/QCborMap>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

class tst_Faults : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:

private slots:
    void init() { openScriptedQueue(); }

    void cleanup() { closeScriptedQueue(); }

    void deathStatusIsReadable_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<QCborValue>("arg");
        QTest::addColumn<QString>("status");
        QTest::newRow("abort") << "crash" << QCborValue() << "was killed by SIGABRT";
        QTest::newRow("exit 3") << "exit" << QCborValue(3) << "exited with code 3";
        QTest::newRow("exit 0 mid-task") << "exit" << QCborValue(0) << "exited with code 0";
    }
    void deathStatusIsReadable()
    {
        QFETCH(QString, op);
        QFETCH(QCborValue, arg);
        QFETCH(QString, status);
        const TaskId id = m_queue->enqueue(scripted(op, arg));
        const TaskId next = m_queue->enqueue(scripted(QStringLiteral("echo"), 1));
        QVERIFY(m_recorder->waitFor({id, next}));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->result(id).message, status);
        QCOMPARE(m_recorder->result(next).outcome, Outcome::Done);
    }

    // Feedback sent just before a crash is not lost with the process.
    void lastWordsBeforeACrash()
    {
        QCborMap p;
        p.insert(QLatin1String("op"), QStringLiteral("feedback-then-crash"));
        p.insert(QLatin1String("arg"), 3);
        Task t;
        t.payload = p;
        const TaskId id = m_queue->enqueue(t);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->feedback.value(id).size(), 3);
    }

    void retriesThenWorkerDied_data()
    {
        QTest::addColumn<int>("retries");
        QTest::newRow("no retry") << 0;
        QTest::newRow("two retries") << 2;
    }
    void retriesThenWorkerDied()
    {
        QFETCH(int, retries);
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        Task t = scripted(QStringLiteral("crash"));
        t.options.retries = retries;
        const TaskId id = m_queue->enqueue(t);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->result(id).attempts, retries + 1);
        QCOMPARE(started.size(), retries + 1);
    }

    void timeoutTermThenKill_data()
    {
        QTest::addColumn<int>("termMs");
        QTest::addColumn<int>("killMs");
        QTest::addColumn<int>("termSignal");
        QTest::addColumn<QString>("died");
        QTest::newRow("SIGTERM ends it") << 200 << 5000 << SIGTERM << "was killed by SIGTERM";
        QTest::newRow("ignored signal, then SIGKILL") << 200 << 200 << SIGWINCH << "was killed by SIGKILL";
        QTest::newRow("kill timeout alone") << 0 << 200 << SIGTERM << "was killed by SIGKILL";
    }
    void timeoutTermThenKill()
    {
        QFETCH(int, termMs);
        QFETCH(int, killMs);
        QFETCH(int, termSignal);
        QFETCH(QString, died);
        Task t = scripted(QStringLiteral("spin"), 600000);
        t.options.termTimeout = std::chrono::milliseconds(termMs);
        t.options.killTimeout = std::chrono::milliseconds(killMs);
        t.options.termSignal = termSignal;
        t.options.retries = 3; // a timeout is not retried
        const TaskId id = m_queue->enqueue(t);
        QVERIFY(m_recorder->waitFor(id));
        const TaskResult r = m_recorder->result(id);
        QCOMPARE(r.outcome, Outcome::TimedOut);
        QCOMPARE(r.attempts, 1);
        QVERIFY2(r.message.contains(died), qPrintable(r.message));
        QVERIFY2(r.message.startsWith(QLatin1String("timed out after")), qPrintable(r.message));
    }

    void cancelQueuedAndRunning_data()
    {
        QTest::addColumn<bool>("stay");
        // The worker stopped cooperatively and answered: the answer still
        // says what it is, so the kind's useResponse() decides its fate.
        QTest::newRow("its kind ends it") << false;
        QTest::newRow("its kind keeps it") << true;
    }

    void cancelQueuedAndRunning()
    {
        QFETCH(bool, stay);
        m_queue->setCancelGrace(10s);
        Task sleeper = scripted(QStringLiteral("sleep"), 600000, stay);
        const TaskId running = m_queue->enqueue(sleeper);
        const TaskId queued = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QVERIFY(started.wait(30000));
        QCOMPARE(started.first().at(0).value<TaskId>(), running);
        const int workerId = started.first().at(1).toInt();
        QVERIFY(m_queue->cancel(queued));
        QCOMPARE(m_recorder->result(queued).outcome, Outcome::Cancelled); // at once
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        QVERIFY(m_queue->cancel(running));
        QVERIFY(m_recorder->waitFor(running));
        QCOMPARE(m_recorder->result(running).outcome, Outcome::Cancelled);
        QCOMPARE(m_recorder->result(running).message, QStringLiteral("cancelled while running"));
        if (stay) {
            // Kept, Old: the next task the kind keeps workers for goes to it.
            const TaskId next = m_queue->enqueue(scripted(QStringLiteral("echo"), QCborValue(1), true));
            QVERIFY(m_recorder->waitFor(next));
            QCOMPARE(m_recorder->result(next).workerId, workerId);
            QCOMPARE(exited.size(), 0);
            return;
        }
        // Retired, not killed.
        QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 1, 30000);
        QCOMPARE(exited.first().at(0).toInt(), workerId);
        QCOMPARE(exited.first().at(1).toString(), QStringLiteral("exited with code 0"));
    }

    void cancelKillsAfterGrace()
    {
        m_queue->setCancelGrace(100ms);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("spin"), 600000));
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QVERIFY(started.wait(30000));
        QVERIFY(m_queue->cancel(id));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Cancelled);
        QVERIFY2(m_recorder->result(id).message.contains(QLatin1String("SIGKILL")), qPrintable(m_recorder->result(id).message));
    }

    void killControls_data()
    {
        QTest::addColumn<QString>("control");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("status");
        QTest::newRow("kill") << "kill" << Outcome::WorkerDied << "was killed by SIGKILL";
        QTest::newRow("terminate") << "terminate" << Outcome::WorkerDied << "was killed by SIGTERM";
        QTest::newRow("interrupt, cooperative") << "interrupt" << Outcome::Cancelled << "cancelled while running";
    }
    void killControls()
    {
        QFETCH(QString, control);
        QFETCH(Outcome, outcome);
        QFETCH(QString, status);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("sleep"), 600000));
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QVERIFY(started.wait(30000));
        const int workerId = started.first().at(1).toInt();
        if (control == QLatin1String("kill"))
            QVERIFY(m_queue->killWorker(workerId));
        else if (control == QLatin1String("terminate"))
            QVERIFY(m_queue->terminateWorker(workerId));
        else
            QVERIFY(m_queue->interruptWorker(workerId));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, outcome);
        QVERIFY2(m_recorder->result(id).message.contains(status), qPrintable(m_recorder->result(id).message));
        QVERIFY(!m_queue->killWorker(12345));
    }

    // The whole process group is signalled: a worker's own child dies too.
    void killReachesWorkersChildren()
    {
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("spawn")));
        QTRY_VERIFY_WITH_TIMEOUT(!m_recorder->feedback.value(id).isEmpty(), 30000);
        const qint64 grandchild = m_recorder->feedback.value(id).first().toInteger();
        QVERIFY(grandchild > 0);
        QVERIFY(TestSupport::processExists(grandchild));
        QCOMPARE(m_queue->workers().size(), 1);
        QVERIFY(m_queue->killWorker(m_queue->workers().first().id));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        // The grandchild is re-parented to init (or a subreaper) and reaped
        // there; it must be gone or a zombie awaiting that reaper.
        QTRY_VERIFY_WITH_TIMEOUT(!TestSupport::processExists(grandchild) || [&] {
            QFile stat(QStringLiteral("/proc/%1/stat").arg(grandchild));
            return stat.open(QIODevice::ReadOnly) && stat.readAll().contains(") Z ");
        }(), 10000);
    }

    void workerProgramMissing()
    {
        m_manager->setWorkerProgram(QStringLiteral("/nonexistent/drover-worker"));
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QVERIFY2(m_recorder->result(id).message.contains(QLatin1String("/nonexistent/drover-worker")),
                 qPrintable(m_recorder->result(id).message));
        QVERIFY(errors.size() >= 5);
        QVERIFY(errors.first().at(0).toString().contains(QLatin1String("could not start")));
        QVERIFY(errors.at(1).at(0).toString().contains(QLatin1String("trying again in")));
        // The kind of error beside the text: four retried failures, then the fifth gives up.
        for (qsizetype i = 0; i < 4; ++i)
            QCOMPARE(errors.at(i).at(1).value<TaskQueue::Error>(), TaskQueue::Error::WorkerFailedToStart);
        QCOMPARE(errors.at(4).at(1).value<TaskQueue::Error>(), TaskQueue::Error::WorkersCannotStart);
    }

    void workerCannotLoadPlugin()
    {
        // Not a TaskKind plugin at all: the worker says why and exits before hello.
        m_manager->setWorkerProgram(QStringLiteral("/bin/false"));
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QVERIFY(errors.first().at(0).toString().contains(QLatin1String("exited with code 1")));
    }

    // Warm spares that cannot start are given up like workers for tasks:
    // after five failures in a row the queue stops starting them.
    void sparesThatCannotStartAreGivenUp()
    {
        m_manager->setWorkerProgram(QStringLiteral("/bin/false"));
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        m_queue->setWarmSpares(1);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty() && errors.last().at(0).toString().contains(QLatin1String("in a row")),
                                 30000);
        QSignalSpy started(m_queue, &TaskQueue::workerStarted);
        QVERIFY(!started.wait(1000));
    }

    void stopEndsEverything()
    {
        m_queue->setMaxWorkers(2);
        m_queue->setCancelGrace(200ms);
        QList<TaskId> ids;
        ids << m_queue->enqueue(scripted(QStringLiteral("sleep"), 600000, true));
        ids << m_queue->enqueue(scripted(QStringLiteral("spin"), 600000, true));
        for (int i = 0; i < 5; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("echo")));
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 2, 30000);
        QSignalSpy stopped(m_queue, &TaskQueue::stopped);
        m_queue->stop();
        QVERIFY(m_recorder->waitFor(ids));
        for (TaskId id : ids)
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 30000);
        QCOMPARE(m_queue->workers().size(), 0);
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
        // Enqueueing after stop still gives one outcome, never from inside enqueue.
        const TaskId late = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(!m_recorder->results.contains(late));
        QVERIFY(m_recorder->waitFor(late));
        QCOMPARE(m_recorder->result(late).outcome, Outcome::Cancelled);
    }

    void recycling_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("expectedWorkers");
        QTest::newRow("after 3 tasks") << "tasks" << 3;
        QTest::newRow("above a memory ceiling") << "memory" << 9;
        QTest::newRow("no rule: one worker") << "none" << 1;
    }
    void recycling()
    {
        QFETCH(QString, rule);
        QFETCH(int, expectedWorkers);
        if (rule == QLatin1String("tasks"))
            m_queue->setMaxTasksPerWorker(3);
        else if (rule == QLatin1String("memory"))
            m_queue->setMemoryCeiling(1); // every worker is above one byte
        QSet<qint64> pids;
        QList<TaskId> ids;
        for (int i = 0; i < 9; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("echo"), i, true));
        QVERIFY(m_recorder->waitFor(ids));
        for (TaskId id : ids) {
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
            pids << m_recorder->result(id).response[QLatin1String("pid")].toInteger();
        }
        QCOMPARE(pids.size(), expectedWorkers);
    }

    void idleWorkerRetired()
    {
        m_queue->setIdleTimeout(200ms);
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo"), 1, true));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_queue->workers().size(), 1);
        QVERIFY(m_queue->workers().first().rssBytes > 0);
        QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 1, 30000);
        QCOMPARE(exited.first().at(1).toString(), QStringLiteral("exited with code 0"));
        QCOMPARE(m_queue->workers().size(), 0);
    }

    void resourceLimits_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("message");
        QTest::newRow("address space") << "alloc" << Outcome::Failed << "out of memory";
        QTest::newRow("CPU time") << "spin" << Outcome::WorkerDied << "was killed by SIGXCPU";
    }
    void resourceLimits()
    {
        QFETCH(QString, op);
        QFETCH(Outcome, outcome);
        QFETCH(QString, message);
        const bool memory = op == QLatin1String("alloc");
#ifdef DROVER_SANITIZE
        // A sanitizer's allocator reserves terabytes of address space at start.
        if (memory)
            QSKIP("an address-space limit cannot apply under a sanitizer");
#endif
        m_queue->setResourceLimits(memory ? qint64(1) << 30 : 0, 1s); // 1 GiB, 1 s of CPU
        const TaskId id = m_queue->enqueue(scripted(op, memory ? 2048 : 60000));
        const TaskId small = m_queue->enqueue(scripted(QStringLiteral("alloc"), 16));
        QVERIFY(m_recorder->waitFor({id, small}));
        QCOMPARE(m_recorder->result(id).outcome, outcome);
        QVERIFY2(m_recorder->result(id).message.contains(message), qPrintable(m_recorder->result(id).message));
        QCOMPARE(m_recorder->result(small).outcome, Outcome::Done);
    }

    void timeoutCallbacks()
    {
        int term = 0, kill = 0;
        Task t = scripted(QStringLiteral("spin"), 600000);
        t.options.termTimeout = 100ms;
        t.options.termSignal = SIGWINCH; // ignored: the kill timeout must follow
        t.options.killTimeout = 100ms;
        TaskHooks hooks;
        hooks.onTermTimeout = [&](const TaskContext &) { ++term; };
        hooks.onKillTimeout = [&](const TaskContext &) { ++kill; };
        const TaskId id = m_queue->enqueue(t, hooks);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::TimedOut);
        QCOMPARE(term, 1);
        QCOMPARE(kill, 1);
    }

    // One task that crashes its worker every time it runs: the retries are
    // a crash loop, and the 3rd, 4th and 5th starts wait 100, 200 and 400 ms
    // (coarse timers may fire 5% early). Without back-off: ~100 ms.
    void crashLoopBacksOff()
    {
        QElapsedTimer clock;
        clock.start();
        Task crashing = scripted(QStringLiteral("crash"));
        crashing.options.retries = 4;
        const TaskId id = m_queue->enqueue(crashing);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->result(id).attempts, 5);
        QVERIFY2(clock.elapsed() >= 600, qPrintable(QString::number(clock.elapsed())));
        // One success ends the streak.
        const TaskId ok = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(m_recorder->waitFor(ok));
        QCOMPARE(m_recorder->result(ok).outcome, Outcome::Done);
    }

    // Different tasks that each crash their worker are each their own
    // outcome: the next one gets a worker at once, never a back-off.
    void crashingTasksAreNotACrashLoop()
    {
        static QStringList s_messages; // a message handler captures nothing
        s_messages.clear();
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &text) { s_messages << text; });
        QList<TaskId> ids;
        for (int i = 0; i < 8; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("crash")));
        const bool finished = m_recorder->waitFor(ids);
        qInstallMessageHandler(previous);
        QVERIFY(finished);
        for (TaskId id : ids)
            QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        const QStringList backOffs = s_messages.filter(QStringLiteral("next start in"));
        QVERIFY2(backOffs.isEmpty(), qPrintable(backOffs.join(QLatin1Char('\n'))));
    }

    void cancelASet()
    {
        QList<TaskId> ids;
        for (int i = 0; i < 6; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("echo"), i));
        QCOMPARE(m_queue->cancel(QList<TaskId>{ids[1], ids[3], ids[5], 999999}), 3);
        QVERIFY(m_recorder->waitFor(ids));
        for (int i = 0; i < 6; ++i)
            QCOMPARE(m_recorder->result(ids[i]).outcome, i % 2 ? Outcome::Cancelled : Outcome::Done);
    }

    void warmSpares()
    {
        m_queue->setWarmSpares(1);
        m_queue->setIdleTimeout(2s);
        // A spare starts ahead of any work.
        QSignalSpy ready(m_queue, &TaskQueue::workerReady);
        QVERIFY(ready.wait(30000));
        const qint64 sparePid = m_queue->workers().first().pid;
        QSignalSpy started(m_queue, &TaskQueue::workerStarted);
        const TaskId first = m_queue->enqueue(scripted(QStringLiteral("echo"), 1));
        QVERIFY(m_recorder->waitFor(first));
        // It ran on the spare, and a new spare is started soon after.
        QCOMPARE(m_recorder->result(first).response[QLatin1String("pid")].toInteger(), sparePid);
        QTRY_VERIFY_WITH_TIMEOUT(started.size() >= 1, 30000);

        // Never more than maxWorkers tasks at once, spares or not.
        int running = 0, most = 0;
        connect(m_queue, &TaskQueue::taskStarted, this, [&] { most = std::max(most, ++running); });
        connect(m_queue, &TaskQueue::taskFinished, this, [&] { --running; });
        QList<TaskId> ids;
        for (int i = 0; i < 4; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("sleep"), 30));
        QVERIFY(m_recorder->waitFor(ids));
        QCOMPARE(most, 1);

        // Unused, the spare retires after the idle timeout and is not replaced.
        QTRY_COMPARE_WITH_TIMEOUT(m_queue->workers().size(), 0, 30000);
        QSignalSpy restarted(m_queue, &TaskQueue::workerStarted);
        QVERIFY(!restarted.wait(500));
    }

    void workerDiesWithItsMaster_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("master SIGKILLed") << int(SIGKILL);
        QTest::newRow("master SIGTERMed") << int(SIGTERM);
    }
    void workerDiesWithItsMaster()
    {
        QFETCH(int, signal);
        const QDir temp(QDir::tempPath());
        const QStringList before = temp.entryList({QStringLiteral("drover*")});
        QProcess master;
        master.start(QStringLiteral(DROVER_TESTMASTER_BIN), {QStringLiteral(SCRIPTED_PLUGIN_DIR)});
        QVERIFY(master.waitForStarted(30000));
        QTRY_VERIFY_WITH_TIMEOUT(master.canReadLine() || master.state() == QProcess::NotRunning, 30000);
        const QByteArray line = master.readLine().trimmed();
        QVERIFY2(line.startsWith("worker "), line.constData());
        const qint64 worker = line.mid(7).toLongLong();
        QVERIFY(TestSupport::processExists(worker));
        ::kill(pid_t(master.processId()), signal);
        QVERIFY(master.waitForFinished(30000));
        // Orphaned, it is reaped by init: gone, or a zombie for a moment.
        QTRY_VERIFY_WITH_TIMEOUT(!TestSupport::processExists(worker) || [&] {
            QFile stat(QStringLiteral("/proc/%1/stat").arg(worker));
            return stat.open(QIODevice::ReadOnly) && stat.readAll().contains(") Z ");
        }(), 10000);
        // Even a master killed outright leaves no socket file or directory.
        QCOMPARE(temp.entryList({QStringLiteral("drover*")}), before);
    }

    void destroyManagerMidRun()
    {
        m_queue->setMaxWorkers(2);
        QList<TaskId> ids;
        for (int i = 0; i < 4; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("spin"), 600000));
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 2, 30000);
        QList<qint64> pids;
        for (const WorkerInfo &w : m_queue->workers())
            pids << w.pid;
        m_manager.reset();
        QCOMPARE(m_recorder->results.size(), 4);
        for (TaskId id : ids)
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Cancelled);
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
        for (qint64 pid : pids)
            QVERIFY(!TestSupport::processExists(pid));
        openScriptedQueue(); // for cleanup()
    }
};

QTEST_GUILESS_MAIN(tst_Faults)
#include "tst_faults.moc"
