// Controlling a coqidetop through the client (plugins/coq/coqlib/coqidetop.h):
// interrupting a sentence, a call past its timeout, stopping it at every
// moment, a coqidetop killed from outside, and flags coqidetop refuses.
// Each leaves no process behind. Skipped where coqidetop.opt is not
// installed.

#include "support/coqidetopsession.h"
#include "support/processes.h"

#include "coqidetop.h"
#include "coqxmlreader.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <thread>

using namespace CoqLib;
using namespace std::chrono_literals;

using namespace TestSupport;

class TestCoqIdeTopControl : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void interrupt_data();
    void interrupt();
    void hangPastTimeout();
    void stop_data();
    void stop();
    void killedFromOutside();
    void flagErrors_data();
    void flagErrors();

private:
    void requireCoq();
    bool m_haveCoq = false;
};

void TestCoqIdeTopControl::initTestCase()
{
    m_haveCoq = !CoqIdeTop::defaultProgram().isEmpty() && !QStandardPaths::findExecutable(QStringLiteral("coqc")).isEmpty();
}

void TestCoqIdeTopControl::cleanupTestCase()
{
    QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
}

void TestCoqIdeTopControl::requireCoq()
{
    if (!m_haveCoq)
        QSKIP("coqidetop.opt or coqc is not installed");
}

void TestCoqIdeTopControl::interrupt_data()
{
    QTest::addColumn<bool>("fromCancelled"); // else interrupt() from another thread
    QTest::newRow("interrupt() from another thread") << false;
    QTest::newRow("Options::cancelled") << true;
}

void TestCoqIdeTopControl::interrupt()
{
    requireCoq();
    QFETCH(bool, fromCancelled);
    Session s;
    std::mutex mutex;
    std::condition_variable started;
    int spinParent = -1; // the state before the spin: once processed, the spin runs
    bool spinning = false;
    QElapsedTimer clock;
    std::atomic<bool> cancelArmed = fromCancelled;
    s.options.callTimeout = 60s;
    s.options.cancelled = [&] { return cancelArmed && clock.isValid() && clock.elapsed() > 500; };
    s.options.onFeedback = [&](const CoqFeedback &f) {
        const std::lock_guard lock(mutex);
        if (f.kind == QLatin1String("processed") && f.stateId == spinParent) {
            spinning = true;
            started.notify_all();
        }
    };
    s.top = std::make_unique<CoqIdeTop>(s.options);
    QString error;
    QVERIFY2(s.top->start(&error), qPrintable(error));
    const CoqIdeTop::InitReply init = s.top->init();
    QVERIFY(init.ok);
    const QList<int> states = addAll(&s, Spin, init.stateId);
    QCOMPARE(states.size(), 3);
    {
        const std::lock_guard lock(mutex);
        spinParent = states.at(1);
    }
    std::thread interrupter([&] {
        std::unique_lock lock(mutex);
        // Half a second into the spin: an interrupt that lands just as a
        // sentence starts can spoil the Edit_at after it (see the header).
        if (started.wait_for(lock, 60s, [&] { return spinning; }) && !fromCancelled) {
            const QDeadlineTimer running(500ms);
            started.wait_for(lock, std::chrono::milliseconds(running.remainingTime()), [] { return false; });
            s.top->interrupt();
        }
    });
    clock.start();
    const CoqIdeTop::StatusReply status = s.top->status(false);
    const qint64 ms = clock.elapsed();
    cancelArmed = false;
    interrupter.join();
    QVERIFY(!status.ok);
    QVERIFY(!status.failure.processLost);
    QVERIFY(status.failure.interrupted);
    QCOMPARE(status.failure.message, QStringLiteral("User interrupt."));
    QCOMPARE(status.failure.safeStateId, states.at(1));
    QVERIFY2(ms < 20000, qPrintable(QString::number(ms)));
    // Still usable.
    const CoqIdeTop::EditAtReply back = s.top->editAt(states.at(1));
    QVERIFY2(back.ok, qPrintable(QStringLiteral("%1 lost=%2 safe=%3 interrupted=%4").arg(back.failure.message).arg(back.failure.processLost).arg(back.failure.safeStateId).arg(back.failure.interrupted)));
    const CoqIdeTop::AddReply next = s.top->add("Eval vm_compute in spin 3 true.", -9, states.at(1), Spin.indexOf("Eval"), 3, Spin.indexOf("Eval"));
    QVERIFY(next.ok);
    const CoqIdeTop::StatusReply after = s.top->status(false);
    QVERIFY2(after.ok, qPrintable(after.failure.message));
}

void TestCoqIdeTopControl::hangPastTimeout()
{
    requireCoq();
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    QCOMPARE(addAll(&s, Spin, s.root).size(), 3);
    const qint64 pid = s.top->pid();
    s.top.reset(); // a client with a short timeout for the same document
    s.options.callTimeout = 1500ms;
    s.top = std::make_unique<CoqIdeTop>(s.options);
    QString error;
    QVERIFY(s.top->start(&error));
    QVERIFY(s.top->init().ok);
    QVERIFY(!TestSupport::processExists(pid));
    QCOMPARE(addAll(&s, Spin, s.root).size(), 3);
    const qint64 hung = s.top->pid();
    const CoqIdeTop::StatusReply status = s.top->status(false);
    QVERIFY(!status.ok);
    QVERIFY(status.failure.processLost);
    QCOMPARE(status.failure.message, QStringLiteral("coqidetop did not answer Status within 1500 ms"));
    QVERIFY(!TestSupport::processExists(hung));
    QVERIFY(TestSupport::processGroupMembers(hung).isEmpty());
    // Every later call says why.
    const CoqIdeTop::GoalReply later = s.top->goal();
    QVERIFY(later.failure.processLost);
    QCOMPARE(later.failure.message, status.failure.message);
}

void TestCoqIdeTopControl::stop_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<int>("members"); // in the group before stop(), at least
    QTest::newRow("synchronous") << QStringList() << 1;
    QTest::newRow("async proofs (a proof worker in the group)")
        << QStringList{QStringLiteral("-async-proofs"), QStringLiteral("on")} << 2;
}

void TestCoqIdeTopControl::stop()
{
    requireCoq();
    QFETCH(QStringList, flags);
    QFETCH(int, members);
    Session s;
    bool ok = false;
    open(&s, flags, &ok);
    QVERIFY(ok);
    QCOMPARE(addAll(&s, "Lemma x : 1 = 1.\nProof.\n  reflexivity.\nQed.\n", s.root).size(), 4);
    QVERIFY(s.top->status(true).ok);
    const qint64 pgid = s.top->pid();
    QTRY_VERIFY_WITH_TIMEOUT(TestSupport::processGroupMembers(pgid).size() >= members, 30000);
    s.top->stop();
    QVERIFY(TestSupport::processGroupMembers(pgid).isEmpty());
    QVERIFY(!TestSupport::processExists(pgid));
    QVERIFY(s.top->peakRssBytes() > 1024 * 1024);
    QVERIFY(!s.top->isRunning());
    s.top->stop(); // twice is fine
    QVERIFY(s.top->status(false).failure.processLost);
}

void TestCoqIdeTopControl::killedFromOutside()
{
    requireCoq();
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    const qint64 pid = s.top->pid();
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
    const CoqIdeTop::AddReply r = s.top->add("Definition a := 1.", -1, s.root, 0, 1, 0);
    QVERIFY(!r.ok);
    QVERIFY(r.failure.processLost);
    QVERIFY2(r.failure.message.startsWith(QLatin1String("coqidetop was killed by SIGKILL while waiting for the answer to Add")),
             qPrintable(r.failure.message));
    QVERIFY(!TestSupport::processExists(pid)); // reaped
    QVERIFY(!s.top->isRunning());
}

void TestCoqIdeTopControl::flagErrors_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<bool>("startFails");
    QTest::addColumn<QString>("message"); // a part of the error
    QTest::newRow("-Q of a directory that is not there")
        << QStringList{QStringLiteral("-Q"), QStringLiteral("/nonexistent"), QStringLiteral("x")} << true
        << QStringLiteral("-Q /nonexistent x: /nonexistent is not a directory");
    QTest::newRow("-R without its name") << QStringList{QStringLiteral("-R"), QStringLiteral("/tmp")} << true
                                         << QStringLiteral("-R needs a directory and a name after it");
    QTest::newRow("an option coqidetop does not know") << QStringList{QStringLiteral("-bogusflag")} << false
                                                        << QStringLiteral("coqidetop exited with code 1 while waiting for the answer to Init: Unknown option -bogusflag");
}

void TestCoqIdeTopControl::flagErrors()
{
    requireCoq();
    QFETCH(QStringList, flags);
    QFETCH(bool, startFails);
    QFETCH(QString, message);
    CoqIdeTop::Options options;
    options.flags = flags;
    options.callTimeout = 60s;
    CoqIdeTop top(options);
    QString error;
    QCOMPARE(!top.start(&error), startFails);
    if (!startFails) {
        const CoqIdeTop::InitReply init = top.init();
        QVERIFY(!init.ok);
        QVERIFY(init.failure.processLost);
        error = init.failure.message;
    }
    QVERIFY2(error.contains(message), qPrintable(error));
}

QTEST_MAIN(TestCoqIdeTopControl)
#include "tst_coqidetopcontrol.moc"
