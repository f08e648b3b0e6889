// What a hostile local process can do to a manager, and what a careless task
// can leave behind: each test is a reproduction that failed on a manager
// without the defence (issue 18). The suite runs with a hard limit of 1,024
// open files, so the manager cannot raise its way out of a flood.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"
#include "support/scripted.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <fcntl.h>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    return statm.readAll().split(' ').value(1).toLongLong() * ::sysconf(_SC_PAGESIZE);
}

//! The peak resident memory since resetPeakResident() (VmHWM), in bytes.
qint64 peakResidentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}

//! Makes the peak equal to what is resident now (Linux 4.0: clear_refs 5).
bool resetPeakResident()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size());
}

//! Gone, or a zombie that init has not reaped yet.
bool isDead(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    return !stat.open(QIODevice::ReadOnly) || stat.readAll().contains(") Z ");
}

bool allDead(const QList<qint64> &pids)
{
    return std::all_of(pids.begin(), pids.end(), isDead);
}

QList<qint64> pidsOf(const QCborValue &feedback)
{
    QList<qint64> pids;
    for (const QCborValue &pid : feedback.toArray())
        pids << pid.toInteger();
    return pids;
}

Task childrenTask(const QString &then, bool escape, bool stay)
{
    Task task = scripted(QStringLiteral("children"), 20, stay);
    QCborMap payload = task.payload.toMap();
    payload.insert(QLatin1String("then"), then);
    payload.insert(QLatin1String("escape"), escape);
    task.payload = payload;
    return task;
}

} // namespace

class tst_Hardening : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:
    std::vector<std::unique_ptr<QProcess>> m_flooders;

    //! A hostile process: COUNT connections to our manager, each sending
    //! a frame header of BYTES and as much body as is taken.
    QProcess *flood(int count, qint64 bytes = 0, bool waitForGo = false)
    {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (waitForGo)
            env.insert(QStringLiteral("FLOOD_WAIT"), QStringLiteral("1"));
        process->setProcessEnvironment(env);
        process->start(QStringLiteral(DROVER_FLOOD_BIN),
                       {QString::number(::getpid()), QString::number(count), QString::number(bytes)});
        m_flooders.push_back(std::move(process));
        return m_flooders.back().get();
    }

    static QByteArray readLine(QProcess *process)
    {
        if (!QTest::qWaitFor([process] { return process->canReadLine() || process->state() == QProcess::NotRunning; }, 60000))
            return "timed out";
        return process->canReadLine() ? process->readLine().trimmed() : process->readAllStandardError();
    }

    void runTasks(int count, int retries = 0)
    {
        QList<TaskId> ids;
        for (int i = 0; i < count; ++i) {
            Task task = scripted(QStringLiteral("echo"), i);
            task.options.retries = retries;
            ids << m_queue->enqueue(task);
        }
        QVERIFY(m_recorder->waitFor(ids, 120000));
        for (TaskId id : std::as_const(ids))
            QVERIFY2(m_recorder->result(id).outcome == Outcome::Done, qPrintable(m_recorder->result(id).message));
    }

private slots:
    void initTestCase()
    {
        const rlimit limit{1024, 1024};
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &limit), 0);
    }

    void init() { openScriptedQueue(); }

    void cleanup()
    {
        for (auto &process : m_flooders) {
            process->closeWriteChannel();
            if (!process->waitForFinished(10000))
                process->kill();
            process->waitForFinished(5000);
        }
        m_flooders.clear();
        closeScriptedQueue();
    }

    void silentConnectionsCannotCloseTheSocket()
    {
        m_queue->setMaxWorkers(2);
        runTasks(1);
        QSignalSpy refusals(m_manager.get(), &Manager::protocolError);
        QProcess *first = flood(550);
        QProcess *second = flood(550);
        QCOMPARE(readLine(first), QByteArray("held 550"));
        QCOMPARE(readLine(second), QByteArray("held 550"));
        // 1,100 silent connections: the manager still takes its workers.
        runTasks(20);
        QVERIFY2(openDescriptors() < 200, qPrintable(QString::number(openDescriptors())));
        // Told, but not once per connection.
        QVERIFY(!refusals.isEmpty());
        QVERIFY2(refusals.size() < 20, qPrintable(QString::number(refusals.size())));
        QVERIFY2(refusals.first().at(0).toString().contains(QStringLiteral("pid %1").arg(first->processId()))
                     || refusals.first().at(0).toString().contains(QStringLiteral("pid %1").arg(second->processId())),
                 qPrintable(refusals.first().at(0).toString()));
    }

    void outOfDescriptorsKeepsListening()
    {
        runTasks(1);
        QSignalSpy errors(m_manager.get(), &Manager::errorOccurred);
        QProcess *stranger = flood(1, 0, true);
        QCOMPARE(readLine(stranger), QByteArray("ready"));
        std::vector<int> filler;
        for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
            filler.push_back(fd);
        stranger->write("go\n");
        const bool told = errors.wait(30000);
        for (int fd : filler)
            ::close(fd);
        QVERIFY(told);
        QVERIFY2(errors.first().at(0).toString().contains(QLatin1String("out of file descriptors")),
                 qPrintable(errors.first().at(0).toString()));
        runTasks(3);
    }

    void brokenSocketListensAgain()
    {
        runTasks(1);
        // Find our listening socket as the kernel lists it, then clobber
        // its descriptor, as a careless close()/dup2() elsewhere in the
        // program would: accept() then fails with ENOTSOCK.
        QFile table(QStringLiteral("/proc/net/unix"));
        QVERIFY(table.open(QIODevice::ReadOnly));
        const QByteArray prefix = "@drover-" + QByteArray::number(::getpid()) + '-';
        QByteArray inode;
        for (const QByteArray &line : table.readAll().split('\n')) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() >= 8 && fields.at(7).startsWith(prefix))
                inode = fields.at(6);
        }
        QVERIFY(!inode.isEmpty());
        int listening = -1;
        const QByteArray wanted = "socket:[" + inode + ']';
        for (const QString &fd : QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries)) {
            char target[64] = {};
            const QByteArray link = "/proc/self/fd/" + fd.toLatin1();
            if (::readlink(link.constData(), target, sizeof target - 1) > 0 && wanted == target)
                listening = fd.toInt();
        }
        QVERIFY(listening >= 0);
        QSignalSpy errors(m_manager.get(), &Manager::errorOccurred);
        const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        QVERIFY(::dup2(null, listening) == listening);
        ::close(null);
        QVERIFY(errors.wait(30000));
        QVERIFY2(errors.first().at(0).toString().contains(QLatin1String("listens again")),
                 qPrintable(errors.first().at(0).toString()));
        runTasks(3);
    }

    void bodiesBeforeHelloAreNotBuffered()
    {
        runTasks(1);
        // The peak, not the end: a manager that buffers each body and only
        // then refuses it has given the memory back by the time we look.
        if (!resetPeakResident())
            QSKIP("no /proc/self/clear_refs to reset the peak resident memory");
        const qint64 before = residentBytes();
        QList<QProcess *> flooders;
        for (int i = 0; i < 4; ++i)
            flooders << flood(4, 64 * 1024 * 1024 - 16);
        for (QProcess *process : std::as_const(flooders))
            QCOMPARE(readLine(process), QByteArray("held 4"));
        const qint64 grown = peakResidentBytes() - before;
        QVERIFY2(grown < 32 * 1024 * 1024, qPrintable(QStringLiteral("the peak grew by %1 bytes").arg(grown)));
        runTasks(2);
    }

    void socketNameTellsNothingOfTheSecret()
    {
        qputenv("ROGUE_MODE", "reveal");
        qputenv("ROGUE_REAL_WORKER", DROVER_WORKER_BIN);
        openScriptedQueue();
        qunsetenv("ROGUE_MODE");
        m_manager->setWorkerProgram(QStringLiteral(DROVER_ROGUE_BIN));
        QByteArray secret;
        connect(m_queue, &TaskQueue::workerOutput, this, [&secret](int, const QString &line) {
            if (line.startsWith(QLatin1String("secret ")))
                secret = line.mid(7).toLatin1();
        });
        runTasks(1);
        QCOMPARE(secret.size(), 64);
        QFile table(QStringLiteral("/proc/net/unix"));
        QVERIFY(table.open(QIODevice::ReadOnly));
        const QByteArray prefix = "@drover-" + QByteArray::number(::getpid()) + '-';
        QByteArray name;
        for (const QByteArray &line : table.readAll().split('\n')) {
            if (const qsizetype at = line.indexOf(prefix); at >= 0)
                name = line.mid(at + prefix.size()).trimmed();
        }
        QVERIFY(!name.isEmpty());
        for (qsizetype i = 0; i + 6 <= secret.size(); ++i)
            QVERIFY2(!name.contains(secret.mid(i, 6)), name.constData());
    }

    void secretIsNotInTheEnvironment()
    {
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("environ")));
        QVERIFY(m_recorder->waitFor(id));
        const QByteArray environ = m_recorder->result(id).response.toMap().value(QLatin1String("value")).toByteArray();
        QVERIFY(environ.contains("DROVER_WORKER_ID="));
        for (const QByteArray &entry : environ.split('\0'))
            QVERIFY2(!entry.startsWith("DROVER_SECRET="), entry.constData());
    }

    void childrenDieWithTheirWorker_data()
    {
        QTest::addColumn<QString>("then");
        QTest::addColumn<bool>("stay");
        QTest::addColumn<QString>("ending");
        QTest::addColumn<bool>("escape");
        for (const bool escape : {false, true}) {
            const char *suffix = escape ? ", escaped by setsid" : "";
            QTest::addRow("task returns, fresh worker ends%s", suffix) << QString() << false << QString() << escape;
            QTest::addRow("task returns, persistent worker, manager destroyed%s", suffix) << QString() << true << QString("destroy") << escape;
            QTest::addRow("task returns, persistent worker, terminated%s", suffix) << QString() << true << QString("terminate") << escape;
            QTest::addRow("cancelled cooperatively%s", suffix) << QString("wait") << false << QString("cancel") << escape;
            QTest::addRow("running, manager destroyed%s", suffix) << QString("wait") << false << QString("destroy") << escape;
            QTest::addRow("running, interrupted%s", suffix) << QString("wait") << false << QString("interrupt") << escape;
        }
        // Killed outright, a worker cannot end what left its group.
        QTest::newRow("worker crashes") << QString("crash") << false << QString() << false;
        QTest::newRow("worker killed") << QString("wait") << false << QString("kill") << false;
    }
    void childrenDieWithTheirWorker()
    {
        QFETCH(QString, then);
        QFETCH(bool, stay);
        QFETCH(QString, ending);
        QFETCH(bool, escape);
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        const TaskId id = m_queue->enqueue(childrenTask(then, escape, stay));
        QTRY_VERIFY_WITH_TIMEOUT(!m_recorder->feedback.value(id).isEmpty(), 30000);
        const QList<qint64> children = pidsOf(m_recorder->feedback.value(id).first());
        QCOMPARE(children.size(), 20);
        if (then == QLatin1String("wait") || stay)
            QVERIFY(!allDead(children)); // (else their worker may be gone already)
        const int workerId = started.first().at(1).toInt();
        if (then.isEmpty())
            QVERIFY(m_recorder->waitFor(id));
        if (ending == QLatin1String("cancel"))
            m_queue->cancel(id);
        else if (ending == QLatin1String("kill"))
            m_queue->killWorker(workerId);
        else if (ending == QLatin1String("terminate"))
            m_queue->terminateWorker(workerId);
        else if (ending == QLatin1String("interrupt"))
            m_queue->interruptWorker(workerId);
        else if (ending == QLatin1String("destroy"))
            m_manager.reset();
        if (m_manager)
            QVERIFY(m_recorder->waitFor(id));
        QTRY_VERIFY_WITH_TIMEOUT(allDead(children), 10000);
        if (!m_manager)
            openScriptedQueue(); // for cleanup()
    }

    void childrenDieWithTheirMaster_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<bool>("escape");
        QTest::newRow("master SIGKILLed") << int(SIGKILL) << false;
        QTest::newRow("master SIGTERMed") << int(SIGTERM) << false;
        QTest::newRow("master SIGKILLed, escaped by setsid") << int(SIGKILL) << true;
        QTest::newRow("master SIGTERMed, escaped by setsid") << int(SIGTERM) << true;
    }
    void childrenDieWithTheirMaster()
    {
        QFETCH(int, signal);
        QFETCH(bool, escape);
        QProcess master;
        master.start(QStringLiteral(DROVER_TESTMASTER_BIN),
                     {QStringLiteral(SCRIPTED_PLUGIN_DIR), QStringLiteral("children"), QStringLiteral("20"),
                      escape ? QStringLiteral("escape") : QStringLiteral("stay")});
        QVERIFY(master.waitForStarted(30000));
        const QByteArray workerLine = readLine(&master);
        QVERIFY2(workerLine.startsWith("worker "), workerLine.constData());
        const QByteArray childrenLine = readLine(&master);
        QVERIFY2(childrenLine.startsWith("children "), childrenLine.constData());
        QList<qint64> children;
        for (const QByteArray &pid : childrenLine.mid(9).split(' '))
            children << pid.toLongLong();
        QCOMPARE(children.size(), 20);
        QVERIFY(!allDead(children));
        ::kill(pid_t(master.processId()), signal);
        QVERIFY(master.waitForFinished(30000));
        QTRY_VERIFY_WITH_TIMEOUT(allDead(children), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(isDead(workerLine.mid(7).toLongLong()), 10000);
    }

    void startFailuresFromOutsideAreRetried()
    {
        m_queue->setMaxWorkers(1);
        runTasks(1); // the program starts fine
        int killsLeft = 8;
        connect(m_queue, &TaskQueue::workerStarted, this, [&killsLeft](int, qint64 pid) {
            if (killsLeft-- > 0)
                ::kill(pid_t(pid), SIGKILL); // the OOM killer, a kill storm
        });
        // As drover-check --retries: a kill may also land just after a
        // worker took its task, and that attempt is retried.
        runTasks(3, 8);
        QVERIFY(killsLeft < 0);
    }
};

QTEST_GUILESS_MAIN(tst_Hardening)
#include "tst_hardening.moc"
