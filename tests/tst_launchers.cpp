// Remote workers through the real launchers (docs/remote.md): a SLURM of
// the test's own (srun) and an OpenSSH server on 127.0.0.1 (ssh). Through
// each: a document is checked with every outcome right, remote workers
// SIGKILLed during a run are recovered with every task reported once, and
// a manager SIGKILLed leaves no worker (and no SLURM job) behind. Skipped,
// saying why, when the engines cannot run here (not root, not installed).

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/daemons.h"
#include "support/processes.h"
#include "support/recorder.h"

#include <QtCore/QCborMap>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

#include <csignal>
#include <memory>

using namespace Drover;
using namespace std::chrono_literals;

namespace {
//! Remote workers on this host, wherever they hang in the process tree.
//! The workers this test's launchers started: drover-worker processes whose
//! environment came through this test's sshd (SSH_CONNECTION ends with its
//! port) or this test's SLURM (srun passes SLURM_CONF on). Other suites
//! running meanwhile start remote workers of their own.
QList<qint64> remoteWorkers(int sshPort)
{
    const QByteArray slurmConf = "SLURM_CONF=" + qgetenv("SLURM_CONF");
    const QByteArray sshSuffix = ' ' + QByteArray::number(sshPort);
    QList<qint64> found;
    for (qint64 pid : TestSupport::processesWhere([](const QList<QByteArray> &f) { return f.at(0) != "Z"; })) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QByteArray words = cmdline.readAll();
        if (!words.contains("drover-worker") || !words.contains("--setup-on-stdin"))
            continue;
        QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
        if (!environ.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &variable : environ.readAll().split('\0')) {
            if ((slurmConf.size() > 11 && variable == slurmConf)
                || (sshPort > 0 && variable.startsWith("SSH_CONNECTION=") && variable.endsWith(sshSuffix))) {
                found << pid;
                break;
            }
        }
    }
    return found;
}
} // namespace

class tst_Launchers : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestSupport::SlurmCluster> m_slurm;
    std::unique_ptr<TestSupport::SshServer> m_ssh;
    QString m_slurmMissing, m_sshMissing;

    //! The template of a row, or a skip.
    QString launcher(const QString &engine)
    {
        if (engine == QLatin1String("srun"))
            return m_slurm ? QStringLiteral("srun --nodes=1 --ntasks=1 --quiet {worker} {args}") : QString();
        return m_ssh ? m_ssh->launcher() : QString();
    }
    //! This process's children but the daemons.
    QList<qint64> children() const
    {
        QList<qint64> out = TestSupport::childProcesses();
        for (qint64 daemon : (m_slurm ? m_slurm->daemonPids() : QList<qint64>{}) + (m_ssh ? m_ssh->daemonPids() : QList<qint64>{}))
            out.removeAll(daemon);
        return out;
    }
    int sshPort() const { return m_ssh ? m_ssh->port() : 0; }
    QString whyNot(const QString &engine) const { return engine == QLatin1String("srun") ? m_slurmMissing : m_sshMissing; }

    void engines_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::newRow("srun") << QStringLiteral("srun");
        QTest::newRow("ssh") << QStringLiteral("ssh");
    }

private slots:
    void initTestCase()
    {
        auto slurm = std::make_unique<TestSupport::SlurmCluster>();
        if (slurm->start(&m_slurmMissing))
            m_slurm = std::move(slurm);
        auto ssh = std::make_unique<TestSupport::SshServer>();
        if (ssh->start(&m_sshMissing))
            m_ssh = std::move(ssh);
    }

    void cleanupTestCase()
    {
        m_slurm.reset();
        m_ssh.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
    }

    void document_data() { engines_data(); }
    void document()
    {
        QFETCH(QString, engine);
        const QString through = launcher(engine);
        if (through.isEmpty())
            QSKIP(qPrintable(whyNot(engine)));
        QProcess check;
        check.setProgram(QStringLiteral(DROVER_CHECK_BIN));
        check.setArguments({QStringLiteral("--json"), QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--listen"),
                            QStringLiteral("127.0.0.1:0"), QStringLiteral("--launcher"), through,
                            QStringLiteral(DROVER_EXAMPLES_DIR "/sample.proof")});
        check.start();
        QVERIFY(check.waitForFinished(120000));
        const QByteArray err = check.readAllStandardError();
        QCOMPARE(check.exitCode(), 1);
        QHash<QString, QString> status;
        for (const QByteArray &line : check.readAllStandardOutput().split('\n')) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            if (event.value(QLatin1String("event")).toString() == QLatin1String("lemma"))
                status.insert(event.value(QLatin1String("name")).toString(), event.value(QLatin1String("status")).toString());
        }
        const QHash<QString, QString> expected{
            {QStringLiteral("primes_are_prime"), QStringLiteral("ok")}, {QStringLiteral("fib_small"), QStringLiteral("ok")},
            {QStringLiteral("fib_wraps"), QStringLiteral("ok")},        {QStringLiteral("wrong_fib"), QStringLiteral("error")},
            {QStringLiteral("not_prime"), QStringLiteral("error")},     {QStringLiteral("segfaulting"), QStringLiteral("crashed")},
            {QStringLiteral("busy_work"), QStringLiteral("ok")}};
        QVERIFY2(status == expected, err.constData());
        // isEmpty(), not == {}: UBSan flags memcmp of an empty list with a null one.
        QTRY_VERIFY2_WITH_TIMEOUT(remoteWorkers(sshPort()).isEmpty(), TestSupport::describeProcesses(remoteWorkers(sshPort())).constData(), 15000);
        if (engine == QLatin1String("srun"))
            QTRY_COMPARE_WITH_TIMEOUT(TestSupport::SlurmCluster::jobs(), QByteArray(), 15000);
    }

    void killedRemoteWorkers_data() { engines_data(); }
    void killedRemoteWorkers()
    {
        QFETCH(QString, engine);
        const QString through = launcher(engine);
        if (through.isEmpty())
            QSKIP(qPrintable(whyNot(engine)));
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            QVERIFY2(manager.setRemoteWorkers(QStringLiteral("127.0.0.1:0"), through), qPrintable(manager.errorString()));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY(queue);
            queue->setMaxWorkers(2);
            TestSupport::OutcomeRecorder recorder(queue);
            QList<TaskId> ids;
            for (int i = 0; i < 16; ++i) {
                QCborMap p;
                p.insert(QLatin1String("op"), QStringLiteral("sleep"));
                p.insert(QLatin1String("arg"), 150);
                p.insert(QLatin1String("stay"), true);
                Task t;
                t.payload = p;
                t.options.retries = 5;
                ids << queue->enqueue(t);
            }
            int kills = 0;
            QTimer killer;
            connect(&killer, &QTimer::timeout, this, [&] {
                const QList<qint64> alive = remoteWorkers(sshPort());
                if (kills < 3 && !alive.isEmpty()) {
                    ::kill(pid_t(alive.at(QRandomGenerator::global()->bounded(int(alive.size())))), SIGKILL);
                    ++kills;
                }
            });
            killer.start(400);
            QVERIFY(recorder.waitFor(ids, 120000));
            killer.stop();
            QVERIFY(recorder.duplicates.isEmpty());
            for (TaskId id : ids)
                QCOMPARE(recorder.result(id).outcome, Outcome::Done);
            QVERIFY(kills > 0);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(remoteWorkers(sshPort()).isEmpty(), TestSupport::describeProcesses(remoteWorkers(sshPort())).constData(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(children().isEmpty(), 10000); // not == {}: UBSan flags memcmp of an empty list with a null one
    }

    void failingLauncher_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("reason");
        QTest::newRow("srun: no such partition") << QStringLiteral("srun") << QStringLiteral("invalid partition");
        QTest::newRow("ssh: host key refused") << QStringLiteral("ssh") << QStringLiteral("Host key verification failed");
    }
    void failingLauncher()
    {
        QFETCH(QString, engine);
        QFETCH(QString, reason);
        QString through = launcher(engine);
        if (through.isEmpty())
            QSKIP(qPrintable(whyNot(engine)));
        // The same launcher, broken: a partition that is not there, a host
        // key that is not the one known.
        if (engine == QLatin1String("srun"))
            through.replace(QLatin1String("srun "), QLatin1String("srun --partition=nosuch "));
        else
            through.replace(QLatin1String("known_hosts"), QLatin1String("authorized_keys"));
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            QVERIFY2(manager.setRemoteWorkers(QStringLiteral("127.0.0.1:0"), through), qPrintable(manager.errorString()));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY(queue);
            TestSupport::OutcomeRecorder recorder(queue);
            const TaskId id = queue->enqueue(Task{});
            QVERIFY(recorder.waitFor({id}, 60000));
            QCOMPARE(recorder.result(id).outcome, Outcome::WorkerDied);
            QVERIFY2(recorder.result(id).message.contains(reason, Qt::CaseInsensitive), qPrintable(recorder.result(id).message));
            qInfo().noquote() << "the task's message:" << recorder.result(id).message;
        }
        QTRY_VERIFY_WITH_TIMEOUT(children().isEmpty(), 10000); // not == {}: UBSan flags memcmp of an empty list with a null one
    }

    void managerKilled_data() { engines_data(); }
    void managerKilled()
    {
        QFETCH(QString, engine);
        const QString through = launcher(engine);
        if (through.isEmpty())
            QSKIP(qPrintable(whyNot(engine)));
        // Jobs of the rows before may still be completing: only this
        // master's must go.
        const auto idOf = [](const QByteArray &job) { return job.split(' ').first(); };
        QList<QByteArray> before;
        for (const QByteArray &job : TestSupport::SlurmCluster::jobs().split('\n'))
            before << idOf(job);
        const auto newJobs = [&] {
            QList<QByteArray> jobs = TestSupport::SlurmCluster::jobs().split('\n');
            jobs.removeIf([&](const QByteArray &job) { return job.isEmpty() || before.contains(idOf(job)); });
            return jobs;
        };
        QProcess master;
        master.setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DROVER_TESTMASTER_LAUNCHER"), through);
        master.setProcessEnvironment(env);
        master.start(QStringLiteral(DROVER_TESTMASTER_BIN), {QStringLiteral(SCRIPTED_PLUGIN_DIR)});
        QVERIFY(master.waitForStarted());
        // Its worker runs the task (the master printed it) and is remote.
        QByteArray said;
        QTRY_VERIFY2_WITH_TIMEOUT((said += master.readAll()).contains("worker "), said.constData(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!remoteWorkers(sshPort()).isEmpty(), 30000);
        ::kill(pid_t(master.processId()), SIGKILL);
        QVERIFY(master.waitForFinished(10000));
        // isEmpty(), not == {}: UBSan flags memcmp of an empty list with a null one.
        QTRY_VERIFY2_WITH_TIMEOUT(remoteWorkers(sshPort()).isEmpty(), TestSupport::describeProcesses(remoteWorkers(sshPort())).constData(), 15000);
        if (engine == QLatin1String("srun"))
            QTRY_COMPARE_WITH_TIMEOUT(newJobs(), QList<QByteArray>{}, 15000);
    }
};

QTEST_GUILESS_MAIN(tst_Launchers)
#include "tst_launchers.moc"
