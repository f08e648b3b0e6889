// A Manager under GNU make's jobserver, the pipe made by the test as make
// would: tokens taken beyond the implicit slot, the same bytes given back on
// every way a task can end, descriptors that are not a jobserver refused.
// tst_makejobs runs drover-check under the real make.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "slots/jobserverauth.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scripted.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <memory>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

using namespace Drover;
using namespace std::chrono_literals;
using Drover::Internal::JobserverAuth;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {
// Bytes waiting in a pipe, without taking them.
int bytesIn(int fd)
{
    int n = 0;
    return ::ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

QByteArray drain(int fd)
{
    QByteArray bytes(bytesIn(fd), '\0');
    if (!bytes.isEmpty() && ::read(fd, bytes.data(), size_t(bytes.size())) != bytes.size())
        return "read failed";
    std::sort(bytes.begin(), bytes.end());
    return bytes;
}

// Warnings of drover.manager that name make's jobserver.
QStringList g_jobserverWarnings;
QtMessageHandler g_previousHandler = nullptr;
void keepJobserverWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message.contains(QLatin1String("jobserver")))
        g_jobserverWarnings << message;
    g_previousHandler(type, context, message);
}
} // namespace

class TstJobserver : public QObject
{
    Q_OBJECT

    int m_pipe[2] = {-1, -1};

    // A Manager created while MAKEFLAGS names the test's pipe, holding
    // `tokens` tokens; only that Manager sees the variable.
    std::unique_ptr<Manager> managerUnderMake(const QByteArray &tokens)
    {
        if (::pipe2(m_pipe, O_CLOEXEC) != 0 || ::write(m_pipe[1], tokens.constData(), size_t(tokens.size())) != tokens.size())
            return nullptr;
        qputenv("MAKEFLAGS", QByteArray(" -j%1 --jobserver-auth=%2,%3")
                                 .replace("%1", QByteArray::number(tokens.size() + 1))
                                 .replace("%2", QByteArray::number(m_pipe[0]))
                                 .replace("%3", QByteArray::number(m_pipe[1])));
        auto manager = std::make_unique<Manager>();
        qunsetenv("MAKEFLAGS");
        manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        return manager;
    }

private slots:
    void initTestCase()
    {
        g_previousHandler = qInstallMessageHandler(keepJobserverWarnings);
    }

    void cleanup()
    {
        for (int &fd : m_pipe) {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
    }

    void parse_data()
    {
        QTest::addColumn<QString>("makeflags");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("readFd");
        QTest::addColumn<int>("writeFd");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("dryRun");
        const int none = int(JobserverAuth::Kind::None), pipe = int(JobserverAuth::Kind::Pipe),
                  fifo = int(JobserverAuth::Kind::Fifo), invalid = int(JobserverAuth::Kind::Invalid);
        QTest::newRow("make 4.3, recipe with +") << "s -j4 --jobserver-auth=3,4" << pipe << 3 << 4 << "" << false;
        QTest::newRow("no one-letter flags") << " -j4 --jobserver-auth=5,6" << pipe << 5 << 6 << "" << false;
        QTest::newRow("make 4.4 fifo") << " -j4 --jobserver-auth=fifo:/tmp/GMfifo1" << fifo << -1 << -1
                                       << "/tmp/GMfifo1" << false;
        QTest::newRow("older make") << "k --jobserver-fds=3,4 -j" << pipe << 3 << 4 << "" << false;
        QTest::newRow("the last one counts") << " --jobserver-auth=3,4 --jobserver-auth=7,8" << pipe << 7 << 8 << ""
                                             << false;
        QTest::newRow("dry run") << "ns -j4 --jobserver-auth=3,4" << pipe << 3 << 4 << "" << true;
        QTest::newRow("-j1") << "s" << none << -1 << -1 << "" << false;
        QTest::newRow("no -j") << "" << none << -1 << -1 << "" << false;
        QTest::newRow("-j without a number") << " -j" << none << -1 << -1 << "" << false;
        QTest::newRow("disabled (negative)") << " -j4 --jobserver-auth=-2,-2" << none << -2 << -2 << "" << false;
        QTest::newRow("an n in a long option is no dry run") << " --no-print-directory" << none << -1 << -1 << ""
                                                             << false;
        QTest::newRow("garbage") << " --jobserver-auth=three,four" << invalid << 0 << 0 << "" << false;
        QTest::newRow("one number") << " --jobserver-auth=3" << invalid << 3 << -1 << "" << false;
        QTest::newRow("fifo without a path") << " --jobserver-auth=fifo:" << invalid << -1 << -1 << "" << false;
        QTest::newRow("after --, an assignment") << " -- X=--jobserver-auth=3,4" << none << -1 << -1 << "" << false;
    }

    void parse()
    {
        QFETCH(QString, makeflags);
        QFETCH(int, kind);
        const JobserverAuth auth = JobserverAuth::parse(makeflags);
        QCOMPARE(int(auth.kind), kind);
        QTEST(auth.dryRun, "dryRun");
        QTEST(auth.path, "path");
        if (auth.kind == JobserverAuth::Kind::Pipe) {
            QTEST(auth.readFd, "readFd");
            QTEST(auth.writeFd, "writeFd");
        }
        if (auth.kind == JobserverAuth::Kind::Invalid)
            QVERIFY(!auth.error.isEmpty());
    }

    // Six tasks, room for five workers, make's -j3: never more than three
    // run, and the two tokens are back in the pipe at the end, whichever
    // way the tasks ended.
    void everyPathGivesTheTokensBack_data()
    {
        QTest::addColumn<QString>("path");
        for (const char *path : {"done", "failed", "crashed", "crashed-retried", "timed-out", "cancelled",
                                 "queue-stopped", "manager-destroyed"})
            QTest::newRow(path) << QString::fromLatin1(path);
    }

    void everyPathGivesTheTokensBack()
    {
        QFETCH(QString, path);
        std::unique_ptr<Manager> manager = managerUnderMake("ab");
        QVERIFY(manager);
        TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
        QVERIFY2(queue, qPrintable(manager->errorString()));
        queue->setMaxWorkers(5);
        OutcomeRecorder recorder(queue);

        QSet<TaskId> running;
        int most = 0;
        connect(queue, &TaskQueue::taskStarted, this, [&](TaskId id, int) {
            running.insert(id);
            most = std::max(most, int(running.size()));
            if (path == QLatin1String("cancelled"))
                queue->cancel(id);
            if (running.size() == 3 && path == QLatin1String("queue-stopped"))
                QMetaObject::invokeMethod(queue, [queue] { queue->stop(); }, Qt::QueuedConnection);
        });
        connect(queue, &TaskQueue::taskFinished, this, [&](TaskId id, const TaskResult &) { running.remove(id); });

        QList<TaskId> ids;
        for (int i = 0; i < 6; ++i) {
            Task task;
            if (path == QLatin1String("done"))
                task = scripted(QStringLiteral("sleep"), 100);
            else if (path == QLatin1String("failed"))
                task = scripted(QStringLiteral("fail"), QStringLiteral("no"));
            else if (path.startsWith(QLatin1String("crashed")))
                task = scripted(QStringLiteral("crash"));
            else
                task = scripted(QStringLiteral("sleep"), 20000);
            if (path == QLatin1String("crashed-retried"))
                task.options.retries = 1;
            if (path == QLatin1String("timed-out"))
                task.options.killTimeout = 200ms;
            ids << queue->enqueue(task);
        }

        if (path == QLatin1String("manager-destroyed")) {
            QTRY_COMPARE_WITH_TIMEOUT(running.size(), qsizetype(3), 60000);
            manager.reset(); // every task ends Cancelled from inside
            QCOMPARE(recorder.results.size(), qsizetype(6));
        } else {
            QVERIFY(recorder.waitFor(ids));
        }
        QVERIFY(recorder.duplicates.isEmpty());
        QVERIFY2(most <= 3, qPrintable(QStringLiteral("%1 tasks ran at once under make -j3").arg(most)));
        if (path == QLatin1String("done"))
            QCOMPARE(most, 3); // the tokens were used, not only the implicit slot
        QTRY_COMPARE_WITH_TIMEOUT(bytesIn(m_pipe[0]), 2, 10000);
        QCOMPARE(drain(m_pipe[0]), QByteArray("ab")); // the same bytes
        manager.reset();
        QCOMPARE(bytesIn(m_pipe[0]), 0); // nothing given back twice
    }

    // A token another client holds until the queue waits: the waiting
    // queue takes it when it comes back, through the event loop.
    void aTokenThatComesBackIsTaken()
    {
        std::unique_ptr<Manager> manager = managerUnderMake("x");
        QVERIFY(manager);
        QCOMPARE(drain(m_pipe[0]), QByteArray("x")); // "another make client" holds it
        TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
        QVERIFY(queue);
        queue->setMaxWorkers(3);
        OutcomeRecorder recorder(queue);
        int running = 0, most = 0;
        connect(queue, &TaskQueue::taskStarted, this, [&] { most = std::max(most, ++running); });
        connect(queue, &TaskQueue::taskFinished, this, [&] { --running; });
        const QList<TaskId> ids{queue->enqueue(scripted(QStringLiteral("sleep"), 3000)),
                                queue->enqueue(scripted(QStringLiteral("sleep"), 3000))};
        QTRY_COMPARE_WITH_TIMEOUT(running, 1, 60000);
        QCOMPARE(::write(m_pipe[1], "x", 1), ssize_t(1));
        QTRY_COMPARE_WITH_TIMEOUT(running, 2, 60000);
        QVERIFY(recorder.waitFor(ids));
        QCOMPARE(most, 2);
        QTRY_COMPARE_WITH_TIMEOUT(bytesIn(m_pipe[0]), 1, 10000);
    }

    // One slot (make's implicit one) and two workers: the second task is
    // said to wait for a slot while the first runs, once, and runs when the
    // first has ended.
    void aTaskWithoutASlotIsShownWaiting()
    {
        std::unique_ptr<Manager> manager = managerUnderMake("x");
        QVERIFY(manager);
        QCOMPARE(drain(m_pipe[0]), QByteArray("x")); // another make client holds make's one token
        TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
        QVERIFY(queue);
        queue->setMaxWorkers(2);
        OutcomeRecorder recorder(queue);
        QSignalSpy waiting(queue, &TaskQueue::taskWaitingForSlot);
        QSignalSpy started(queue, &TaskQueue::taskStarted);
        const TaskId first = queue->enqueue(scripted(QStringLiteral("port"))); // runs until the test's message
        const TaskId second = queue->enqueue(scripted(QStringLiteral("echo"), QStringLiteral("second")));
        QVERIFY(waiting.wait(60000));
        QCOMPARE(waiting.first().at(0).value<TaskId>(), second);
        QVERIFY(queue->isRunning(first));
        QVERIFY(queue->isWaitingForSlot(second));
        QVERIFY(!queue->isWaitingForSlot(first));
        QCOMPARE(started.size(), 1);
        QVERIFY(queue->sendMessage(first, QStringLiteral("go on")));
        QVERIFY(recorder.waitFor({first, second}));
        QCOMPARE(recorder.result(first).outcome, Outcome::Done);
        QCOMPARE(recorder.result(second).outcome, Outcome::Done);
        QCOMPARE(started.size(), 2);
        QCOMPARE(started.at(1).at(0).value<TaskId>(), second);
        QCOMPARE(waiting.size(), 1); // said once, however often the queue looked for a slot
        QVERIFY(!queue->isWaitingForSlot(second));
    }

    // make closes its descriptors in a recipe without '+', and the numbers
    // may then belong to anything else: said once, and the pool's own cap
    // holds.
    void descriptorsThatAreNotAJobserver()
    {
        int one[2], two[2];
        QVERIFY(::pipe2(one, O_CLOEXEC) == 0 && ::pipe2(two, O_CLOEXEC) == 0);
        const auto flags = [](int r, int w) {
            return QByteArray(" -j3 --jobserver-auth=") + QByteArray::number(r) + ',' + QByteArray::number(w);
        };
        // Closed descriptors, and the ends of two different pipes.
        for (const QByteArray &makeflags : {flags(1000, 1001), flags(one[0], two[1])}) {
            qputenv("MAKEFLAGS", makeflags);
            auto manager = std::make_unique<Manager>();
            qunsetenv("MAKEFLAGS");
            manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
            QVERIFY(queue);
            queue->setMaxWorkers(3);
            OutcomeRecorder recorder(queue);
            int running = 0, most = 0;
            connect(queue, &TaskQueue::taskStarted, this, [&] { most = std::max(most, ++running); });
            connect(queue, &TaskQueue::taskFinished, this, [&] { --running; });
            QList<TaskId> ids;
            for (int i = 0; i < 3; ++i)
                ids << queue->enqueue(scripted(QStringLiteral("sleep"), 500));
            QVERIFY(recorder.waitFor(ids));
            for (TaskId id : ids)
                QCOMPARE(recorder.results.value(id).outcome, Outcome::Done);
            QCOMPARE(most, 3);
        }
        for (int fd : {one[0], one[1], two[0], two[1]})
            ::close(fd);
        QCOMPARE(g_jobserverWarnings.size(), 1);
        QVERIFY2(g_jobserverWarnings.first().contains(QLatin1String("not make's jobserver")),
                 qPrintable(g_jobserverWarnings.first()));
    }
};

QTEST_MAIN(TstJobserver)
#include "tst_jobserver.moc"
