// How a worker's end is told: workerExitedUnexpectedly() only for the ends
// nobody asked for, Drover::exitStatusText() for the words, and a crashed
// task's outcome with the last lines its worker wrote on stderr.

#include "drover/manager.h"
#include "drover/processfate.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scripted.h"
#include "support/scriptedqueue.h"

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {
Task saying(const QString &err, int raise)
{
    QCborMap arg;
    arg.insert(QLatin1String("err"), err);
    if (raise > 0)
        arg.insert(QLatin1String("raise"), raise);
    else
        arg.insert(QLatin1String("crash"), raise < 0); // -1: exit with code 3
    return scripted(QStringLiteral("say"), arg);
}
} // namespace

class tst_WorkerExits : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:
    qint64 pidOf(int workerId) const
    {
        for (const WorkerInfo &info : m_queue->workers()) {
            if (info.id == workerId)
                return info.pid;
        }
        return 0;
    }

private slots:
    void init() { openScriptedQueue(); }

    void cleanup() { closeScriptedQueue(); }

    void exitStatusText_data()
    {
        QTest::addColumn<bool>("crashed");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("text");
        QTest::newRow("exit 0") << false << 0 << "exited with code 0";
        QTest::newRow("exit 3") << false << 3 << "exited with code 3";
        QTest::newRow("SIGSEGV") << true << int(SIGSEGV) << "was killed by SIGSEGV";
        QTest::newRow("SIGKILL") << true << int(SIGKILL) << "was killed by SIGKILL";
        QTest::newRow("no name") << true << 99 << "was killed by signal 99";
    }
    void exitStatusText()
    {
        QFETCH(bool, crashed);
        QFETCH(int, code);
        QFETCH(QString, text);
        QCOMPARE(Drover::exitStatusText(crashed ? QProcess::CrashExit : QProcess::NormalExit, code), text);
    }

    // The ends Drover asked for are not unexpected; the others are, with the
    // status workerExited() gave.
    void unexpectedExitsOnly_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<bool>("unexpected");
        QTest::newRow("crash") << "crash" << true;
        QTest::newRow("exit on its own") << "exit" << true;
        QTest::newRow("killed from outside") << "outside" << true;
        QTest::newRow("told to quit after its task") << "done" << false;
        QTest::newRow("idle too long") << "idle" << false;
        QTest::newRow("killWorker()") << "killWorker" << false;
        QTest::newRow("cancel's grace ran out") << "grace" << false;
        QTest::newRow("task timed out") << "timeout" << false;
        QTest::newRow("queue stopped") << "stop" << false;
    }
    void unexpectedExitsOnly()
    {
        QFETCH(QString, how);
        QFETCH(bool, unexpected);
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        QSignalSpy unexpectedly(m_queue, &TaskQueue::workerExitedUnexpectedly);
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        m_queue->setCancelGrace(200ms);

        Task task = scripted(QStringLiteral("sleep"), 60000); // cooperative, long
        if (how == QLatin1String("crash"))
            task = scripted(QStringLiteral("crash"));
        else if (how == QLatin1String("exit"))
            task = scripted(QStringLiteral("exit"), 3);
        else if (how == QLatin1String("done"))
            task = scripted(QStringLiteral("echo"), 1);
        else if (how == QLatin1String("idle")) {
            task = scripted(QStringLiteral("echo"), 1, true);
            m_queue->setIdleTimeout(100ms);
        } else if (how == QLatin1String("grace"))
            task = scripted(QStringLiteral("spin"), 60000); // ignores the cancel
        else if (how == QLatin1String("timeout")) {
            task = scripted(QStringLiteral("spin"), 60000);
            task.options.killTimeout = 300ms;
        }
        const TaskId id = m_queue->enqueue(task);
        QVERIFY(started.wait(30000));
        const int workerId = started.first().at(1).toInt();
        if (how == QLatin1String("outside")) {
            const qint64 pid = pidOf(workerId);
            QVERIFY(pid > 0);
            QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        } else if (how == QLatin1String("killWorker")) {
            QVERIFY(m_queue->killWorker(workerId));
        } else if (how == QLatin1String("grace")) {
            QVERIFY(m_queue->cancel(id));
        } else if (how == QLatin1String("stop")) {
            m_queue->stop();
        }
        QVERIFY(m_recorder->waitFor(id));
        QTRY_VERIFY_WITH_TIMEOUT(!exited.isEmpty(), 30000);
        QCOMPARE(exited.first().at(0).toInt(), workerId);
        if (unexpected) {
            // Emitted right after workerExited(), from the same place.
            QCOMPARE(unexpectedly.size(), 1);
            QCOMPARE(unexpectedly.first().at(0).toInt(), workerId);
            QCOMPARE(unexpectedly.first().at(1).toString(), exited.first().at(1).toString());
        } else {
            QVERIFY2(unexpectedly.isEmpty(), qPrintable(exited.first().at(1).toString()));
        }
    }

    // A task whose worker crashed says what the worker last wrote on
    // stderr: a few lines, the last ones, each cut short.
    void lastWordsInTheOutcome_data()
    {
        QTest::addColumn<QString>("err");
        QTest::addColumn<int>("raise");
        QTest::addColumn<QString>("message");
        QTest::newRow("one line, SIGABRT")
            << "assertion failed: x > 0\n" << int(SIGABRT)
            << "was killed by SIGABRT; its last words on stderr: assertion failed: x > 0";
        QTest::newRow("no newline, exit 3")
            << "fatal: cannot go on" << -1 << "exited with code 3; its last words on stderr: fatal: cannot go on";
        QString many;
        for (int i = 1; i <= 20; ++i)
            many += QStringLiteral("line %1\n").arg(i);
        QTest::newRow("only the last five of twenty")
            << many << int(SIGABRT)
            << "was killed by SIGABRT; its last words on stderr: line 16 | line 17 | line 18 | line 19 | line 20";
        QTest::newRow("a long line is cut")
            << QString(1000, QLatin1Char('x')) + QLatin1Char('\n') << int(SIGABRT)
            << "was killed by SIGABRT; its last words on stderr: " + QString(300, QLatin1Char('x')) + "...";
        QTest::newRow("silent") << QString() << int(SIGABRT) << "was killed by SIGABRT";
    }
    void lastWordsInTheOutcome()
    {
        QFETCH(QString, err);
        QFETCH(int, raise);
        QFETCH(QString, message);
        const TaskId id = m_queue->enqueue(saying(err, raise));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::WorkerDied);
        QCOMPARE(m_recorder->result(id).message, message);
    }

    // A persistent worker's earlier tasks' stderr is not the crash's.
    void lastWordsAreTheTasksOwn()
    {
        QSignalSpy output(m_queue, &TaskQueue::workerOutput);
        QCborMap arg;
        arg.insert(QLatin1String("err"), QStringLiteral("an earlier warning\n"));
        const TaskId first = m_queue->enqueue(scripted(QStringLiteral("say"), arg, true));
        QVERIFY(m_recorder->waitFor(first));
        QCOMPARE(m_recorder->result(first).outcome, Outcome::Done);
        QTRY_VERIFY_WITH_TIMEOUT(!output.isEmpty(), 30000); // the line is in before the next task
        const TaskId second = m_queue->enqueue(saying(QStringLiteral("the crash's own\n"), SIGABRT));
        QVERIFY(m_recorder->waitFor(second));
        QCOMPARE(m_recorder->result(second).workerId, m_recorder->result(first).workerId);
        QCOMPARE(m_recorder->result(second).message,
                 QStringLiteral("was killed by SIGABRT; its last words on stderr: the crash's own"));
    }
};

QTEST_GUILESS_MAIN(tst_WorkerExits)
#include "tst_workerexits.moc"
