// Workers over TCP with TLS (docs/wire.md, "Workers on other hosts"),
// started through a launcher template on this host: tasks run with the
// right outcomes, killed workers are recovered, and every bad input at the
// TCP listener (a stranger, a wrong secret, a replayed handshake,
// plaintext, a half-open connection, a certificate that does not match, a
// worker or plugin of another build) is refused with its reason while the
// other workers go on; a frozen host is caught by the heartbeat. On loopback
// TLS is asked for (setTlsOnLoopback); without it the same handshake runs
// over plain TCP. A relay in the middle sees no payload in plaintext.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/remotepeer.h"

#include <QtCore/QCborMap>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>

using namespace Drover;
using namespace std::chrono_literals;
namespace Wire = TestSupport::Wire;

namespace {
const QString Direct = QStringLiteral("{worker} {args}");

Task sleepTask(int ms, const QByteArray &marker = {})
{
    QCborMap p;
    p.insert(QLatin1String("op"), QStringLiteral("sleep"));
    p.insert(QLatin1String("arg"), ms);
    p.insert(QLatin1String("stay"), true);
    if (!marker.isEmpty())
        p.insert(QLatin1String("marker"), QString::fromLatin1(marker));
    Task t;
    t.payload = p;
    t.options.retries = 3;
    return t;
}

//! A manager with remote workers on 127.0.0.1 and the scripted kind.
struct Remote
{
    explicit Remote(const QString &launcher = Direct)
    {
        manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        manager.setWorkerProgram(QStringLiteral(DROVER_WORKER_BIN));
        // TLS as on another host (loopback alone would go without it):
        // the bad-input rows and the relay test are about TLS.
        manager.setTlsOnLoopback(true);
        ok = manager.setRemoteWorkers(QStringLiteral("127.0.0.1:0"), launcher);
        queue = ok ? manager.queue(QStringLiteral("scripted")) : nullptr;
        if (queue) {
            queue->setMaxWorkers(2);
            queue->setHandshakeTimeout(10s);
        }
    }
    quint16 port() const { return quint16(manager.remoteAddress().section(QLatin1Char(':'), -1).toUInt()); }

    Manager manager;
    TaskQueue *queue = nullptr;
    bool ok = false;
};

bool anyContains(const QSignalSpy &spy, const QString &text)
{
    return std::any_of(spy.cbegin(), spy.cend(), [&](const QList<QVariant> &args) { return args.at(0).toString().contains(text); });
}
} // namespace

class tst_Remote : public QObject
{
    Q_OBJECT

private slots:
    void launchers_data()
    {
        QTest::addColumn<QString>("launcher");
        QTest::newRow("the worker itself") << Direct;
        QTest::newRow("through a shell") << QStringLiteral("sh -c '\"$0\" \"$@\"' {worker} {args}");
        QTest::newRow("args left out") << QStringLiteral("env {worker}");
    }

    void launchers()
    {
        QFETCH(QString, launcher);
        {
            Remote remote(launcher);
            QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
            QVERIFY(remote.manager.remoteAddress().startsWith(QLatin1String("127.0.0.1:")));
            TestSupport::OutcomeRecorder recorder(remote.queue);
            QList<TaskId> ids;
            for (int i = 0; i < 8; ++i)
                ids << remote.queue->enqueue(sleepTask(20));
            QVERIFY(recorder.waitFor(ids, 60000));
            for (TaskId id : ids)
                QCOMPARE(recorder.result(id).outcome, Outcome::Done);
            // Nothing of the setup on any command line or in any environment
            // of what the launcher started.
            for (const WorkerInfo &info : remote.queue->workers()) {
                for (qint64 pid : QList<qint64>{info.pid} + TestSupport::childProcesses(info.pid)) {
                    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
                    QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
                    QVERIFY(cmdline.open(QIODevice::ReadOnly) && environ.open(QIODevice::ReadOnly));
                    const QByteArray both = cmdline.readAll() + environ.readAll();
                    QVERIFY2(!both.contains("tls:") && !both.contains("DROVER_SECRET") && !both.contains("DROVER_TRUST"),
                             both.constData());
                }
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }

    // On loopback without setTlsOnLoopback(): plain TCP, and still no way in
    // without the secret (the challenge-response proves both ends).
    void plainTcpOnLoopback()
    {
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            manager.setWorkerProgram(QStringLiteral(DROVER_WORKER_BIN));
            QVERIFY(!manager.isRemoteEncrypted());
            QVERIFY2(manager.setRemoteWorkers(QStringLiteral("127.0.0.1:0"), Direct), qPrintable(manager.errorString()));
            QVERIFY(!manager.isRemoteEncrypted());
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY2(queue, qPrintable(manager.errorString()));
            queue->setMaxWorkers(2);
            QSignalSpy refusals(&manager, &Manager::protocolError);
            TestSupport::OutcomeRecorder recorder(queue);
            QList<TaskId> ids;
            for (int i = 0; i < 8; ++i)
                ids << queue->enqueue(sleepTask(20));

            // A stranger on the same port: the challenge comes in the clear,
            // a guessed proof is refused.
            QTcpSocket stranger;
            stranger.connectToHost(QHostAddress::LocalHost, quint16(manager.remoteAddress().section(QLatin1Char(':'), -1).toUInt()));
            QVERIFY(stranger.waitForConnected(10000));
            Wire::FrameReader reader;
            QCborMap challenge;
            Wire::Type type = Wire::Type::Unknown;
            QVERIFY(QTest::qWaitFor([&] {
                reader.addData(stranger.readAll());
                return reader.next(&challenge, &type) != Wire::FrameReader::Status::NeedMore;
            }, 20000));
            QCOMPARE(int(type), int(Wire::Type::Challenge));
            stranger.write(TestSupport::helloFrame(Wire::Auth::nonce().toHex(), QByteArray(32, 'x'), 1));
            QTRY_VERIFY_WITH_TIMEOUT(anyContains(refusals, QStringLiteral("wrong proof")), 20000);

            QVERIFY(recorder.waitFor(ids, 60000));
            for (TaskId id : ids)
                QCOMPARE(recorder.result(id).outcome, Outcome::Done);
        }
        QTRY_VERIFY_WITH_TIMEOUT(TestSupport::childProcesses().isEmpty(), 10000);
    }

    void killedWorkersRecovered()
    {
        {
            Remote remote(QStringLiteral("sh -c '\"$0\" \"$@\"' {worker} {args}"));
            QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
            TestSupport::OutcomeRecorder recorder(remote.queue);
            int kills = 0;
            // The worker is the launcher's child: SIGKILL it, not the launcher.
            connect(remote.queue, &TaskQueue::taskStarted, this, [&](TaskId, int workerId) {
                if (kills >= 3 || workerId % 2 != 0)
                    return;
                for (const WorkerInfo &info : remote.queue->workers()) {
                    if (info.id == workerId) {
                        for (qint64 child : TestSupport::childProcesses(info.pid))
                            ::kill(pid_t(child), SIGKILL);
                        ++kills;
                    }
                }
            });
            QList<TaskId> ids;
            for (int i = 0; i < 12; ++i)
                ids << remote.queue->enqueue(sleepTask(100));
            QVERIFY(recorder.waitFor(ids, 120000));
            QVERIFY(recorder.duplicates.isEmpty());
            for (TaskId id : ids)
                QCOMPARE(recorder.result(id).outcome, Outcome::Done);
            QVERIFY(kills > 0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("attack");
        QTest::addColumn<QString>("reason");
        QTest::newRow("stranger: hello without a proof") << "no-proof" << "wrong proof";
        QTest::newRow("wrong secret") << "wrong-secret" << "wrong proof";
        QTest::newRow("plaintext to the TLS listener") << "plaintext" << "no TLS handshake";
        QTest::newRow("half-open: TCP only") << "tcp-only" << "no TLS handshake within";
        QTest::newRow("half-open: TLS, no hello") << "tls-only" << "no hello within";
        QTest::newRow("a frame too large before a hello") << "flood" << "exceeds the limit of 4096";
        QTest::newRow("first message not hello") << "not-hello" << "not hello";
    }

    void badInput()
    {
        QFETCH(QString, attack);
        QFETCH(QString, reason);
        {
            Remote remote;
            QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
            QSignalSpy refusals(&remote.manager, &Manager::protocolError);
            TestSupport::OutcomeRecorder recorder(remote.queue);
            QList<TaskId> ids;
            for (int i = 0; i < 6; ++i)
                ids << remote.queue->enqueue(sleepTask(50));

            std::unique_ptr<QTcpSocket> plain;
            std::unique_ptr<TestSupport::TlsPeer> peer;
            if (attack == QLatin1String("plaintext") || attack == QLatin1String("tcp-only")) {
                plain = std::make_unique<QTcpSocket>();
                plain->connectToHost(QHostAddress::LocalHost, remote.port());
                QVERIFY(plain->waitForConnected(10000));
                if (attack == QLatin1String("plaintext")) {
                    plain->write(TestSupport::helloFrame("guess", QByteArray(32, 'x'), 1));
                    plain->flush();
                }
            } else {
                peer = std::make_unique<TestSupport::TlsPeer>(remote.port());
                const QByteArray nonce = peer->challenge();
                QCOMPARE(nonce.size(), 32);
                if (attack == QLatin1String("no-proof")) {
                    Wire::Hello hello;
                    hello.version = Wire::ProtocolVersion;
                    hello.workerId = 1;
                    peer->send(Wire::encodeFrame(hello.toMap()));
                } else if (attack == QLatin1String("wrong-secret")) {
                    peer->send(TestSupport::helloFrame(Wire::Auth::nonce().toHex(), nonce, 1));
                } else if (attack == QLatin1String("flood")) {
                    peer->send(QByteArray("\x00\x10\x00\x00", 4) + QByteArray(8000, 'a'));
                } else if (attack == QLatin1String("not-hello")) {
                    peer->send(Wire::encodeFrame(Wire::Pong{7}.toMap()));
                }
            }
            QTRY_VERIFY_WITH_TIMEOUT(anyContains(refusals, reason), 20000);
            QVERIFY(recorder.waitFor(ids, 60000));
            for (TaskId id : ids)
                QCOMPARE(recorder.result(id).outcome, Outcome::Done);
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }

    void replayedHandshake()
    {
        // The launcher keeps the setup (so this test holds the secret) and
        // never starts the worker.
        QTemporaryDir dir;
        const QString setupFile = dir.filePath(QStringLiteral("setup"));
        Remote remote(QStringLiteral("sh -c 'sed \"/^\\$/q\" > %1; exec sleep 30' {worker} {args}").arg(setupFile));
        QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
        QSignalSpy refusals(&remote.manager, &Manager::protocolError);
        remote.queue->enqueue(sleepTask(10));
        QByteArray secret;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     QFile f(setupFile);
                                     if (!f.open(QIODevice::ReadOnly))
                                         return false;
                                     for (const QByteArray &line : f.readAll().split('\n')) {
                                         if (line.startsWith("DROVER_SECRET="))
                                             secret = line.mid(14);
                                     }
                                     return !secret.isEmpty();
                                 }()),
                                 20000);
        // A hello that proves the secret on its own connection is taken (and
        // only refused for its unknown worker id)...
        TestSupport::TlsPeer first(remote.port());
        const QByteArray hello = TestSupport::helloFrame(secret, first.challenge(), 999);
        first.send(hello);
        QTRY_VERIFY_WITH_TIMEOUT(anyContains(refusals, QStringLiteral("worker id 999, which this manager never started")), 20000);
        // ... and the same bytes on the next connection are not.
        QTest::qWait(1100); // refusals are logged at most once a second
        TestSupport::TlsPeer second(remote.port());
        QVERIFY(!second.challenge().isEmpty());
        second.send(hello);
        QTRY_VERIFY_WITH_TIMEOUT(anyContains(refusals, QStringLiteral("wrong proof")), 20000);
    }

    void certificateThatDoesNotMatch()
    {
        // A worker given another fingerprint (a man in the middle with a
        // certificate of its own looks like this) talks to nobody.
        Remote remote;
        QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
        QProcess worker;
        worker.setProgram(QStringLiteral(DROVER_WORKER_BIN));
        worker.setArguments({QStringLiteral("--setup-on-stdin")});
        worker.start();
        QVERIFY(worker.waitForStarted());
        worker.write(QStringLiteral("DROVER_SERVER=tls:%1\nDROVER_TRUST=%2\nDROVER_SECRET=s\nDROVER_WORKER_ID=1\n"
                                    "DROVER_KIND=scripted\nDROVER_PLUGIN=%3/libdrover_scripted.so\n\n")
                         .arg(remote.manager.remoteAddress(), QString(64, QLatin1Char('0')), QStringLiteral(SCRIPTED_PLUGIN_DIR))
                         .toUtf8());
        // On the event loop: the manager's end of the handshake is in this thread.
        QTRY_COMPARE_WITH_TIMEOUT(worker.state(), QProcess::NotRunning, 20000);
        QCOMPARE(worker.exitCode(), 5);
        const QString err = QString::fromLocal8Bit(worker.readAllStandardError());
        QVERIFY2(err.contains(QLatin1String("is not the manager this worker trusts")), qPrintable(err));
    }

    void workerOfAnotherBuild()
    {
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("drover-worker"));
        QCOMPARE(QProcess::execute(QStringLiteral("objcopy"), {QStringLiteral("--remove-section=.note.gnu.build-id"),
                                                               QStringLiteral(DROVER_WORKER_BIN), copy}),
                 0);
        {
            Remote remote(QStringLiteral("sh -c 'exec %1 \"$@\"' {worker} {args}").arg(copy));
            QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
            QSignalSpy errors(remote.queue, &TaskQueue::errorOccurred);
            TestSupport::OutcomeRecorder recorder(remote.queue);
            const TaskId id = remote.queue->enqueue(sleepTask(10));
            QVERIFY(recorder.waitFor({id}, 60000));
            QCOMPARE(recorder.result(id).outcome, Outcome::WorkerDied);
            QVERIFY2(anyContains(errors, QStringLiteral("runs drover-worker of build (none), but this manager's drover-worker is build ")),
                     qPrintable(recorder.result(id).message));
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }

    // The other host has another build of the plugin: the launcher puts a
    // copy without a build id in its place (by rename: this process has the
    // original mapped) just before the worker starts.
    void pluginOfAnotherBuild()
    {
        QTemporaryDir dir;
        const QString plugins = dir.filePath(QStringLiteral("plugins"));
        QVERIFY(QDir().mkpath(plugins));
        QString plugin;
        for (const QFileInfo &file : QDir(QStringLiteral(SCRIPTED_PLUGIN_DIR)).entryInfoList({QStringLiteral("*.so")}, QDir::Files)) {
            plugin = plugins + QLatin1Char('/') + file.fileName();
            QVERIFY(QFile::copy(file.filePath(), plugin));
        }
        QVERIFY2(!plugin.isEmpty(), "no plugin in " SCRIPTED_PLUGIN_DIR);
        const QString other = dir.filePath(QStringLiteral("other.so"));
        QCOMPARE(QProcess::execute(QStringLiteral("objcopy"), {QStringLiteral("--remove-section=.note.gnu.build-id"), plugin, other}), 0);
        {
            Manager manager;
            manager.addPluginPath(plugins);
            manager.setWorkerProgram(QStringLiteral(DROVER_WORKER_BIN));
            QVERIFY(manager.setRemoteWorkers(QStringLiteral("127.0.0.1:0"),
                                             QStringLiteral("sh -c 'cp %1 %2.new && mv %2.new %2 && exec \"$0\" \"$@\"' {worker} {args}")
                                                 .arg(other, plugin)));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY2(queue, qPrintable(manager.errorString()));
            queue->setHandshakeTimeout(10s);
            QSignalSpy errors(queue, &TaskQueue::errorOccurred);
            TestSupport::OutcomeRecorder recorder(queue);
            const TaskId id = queue->enqueue(sleepTask(10));
            QVERIFY(recorder.waitFor({id}, 60000));
            QCOMPARE(recorder.result(id).outcome, Outcome::WorkerDied);
            QVERIFY2(anyContains(errors, QStringLiteral("loaded %1 of build (none), but this manager's is build ").arg(plugin)),
                     qPrintable(recorder.result(id).message));
        }
        QTRY_VERIFY_WITH_TIMEOUT(TestSupport::childProcesses().isEmpty(), 10000);
    }

    // A host that stops answering (here: its worker stopped with SIGSTOP,
    // the connection still open) is caught by the heartbeat, and its
    // worker ends with the task.
    void frozenHostCaughtByTheHeartbeat()
    {
        {
            Remote remote;
            QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
            remote.queue->setHeartbeat(100ms, 1500ms);
            TestSupport::OutcomeRecorder recorder(remote.queue);
            qint64 frozen = 0;
            connect(remote.queue, &TaskQueue::taskStarted, this, [&](TaskId, int workerId) {
                for (const WorkerInfo &info : remote.queue->workers()) {
                    if (info.id == workerId && frozen == 0) {
                        frozen = info.pid;
                        ::kill(pid_t(frozen), SIGSTOP);
                    }
                }
            });
            Task task = sleepTask(60000);
            task.options.retries = 0;
            const TaskId id = remote.queue->enqueue(task);
            QVERIFY(recorder.waitFor({id}, 60000));
            QVERIFY(frozen > 0);
            QCOMPARE(recorder.result(id).outcome, Outcome::WorkerDied);
            QVERIFY2(recorder.result(id).message.contains(QLatin1String("stopped answering heartbeats")),
                     qPrintable(recorder.result(id).message));
        }
        QTRY_VERIFY_WITH_TIMEOUT(TestSupport::childProcesses().isEmpty(), 10000);
    }

    void launcherThatNeverStartsTheWorker()
    {
        {
            Remote remote(QStringLiteral("sh -c 'exec sleep 60' {worker} {args}"));
            QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
            remote.queue->setHandshakeTimeout(1s);
            TestSupport::OutcomeRecorder recorder(remote.queue);
            const TaskId id = remote.queue->enqueue(sleepTask(10));
            QVERIFY(recorder.waitFor({id}, 60000));
            QCOMPARE(recorder.result(id).outcome, Outcome::WorkerDied);
            QVERIFY2(recorder.result(id).message.contains(QLatin1String("did not connect within 1000 ms")),
                     qPrintable(recorder.result(id).message));
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }

    void manInTheMiddleSeesNoPayload()
    {
        {
            Remote remote;
            QVERIFY2(remote.queue, qPrintable(remote.manager.errorString()));
            TestSupport::Relay relay(remote.port());
            QVERIFY(remote.manager.setRemoteWorkers(QStringLiteral("127.0.0.1:0"), Direct,
                                                    QStringLiteral("127.0.0.1:%1").arg(relay.port())));
            TestSupport::OutcomeRecorder recorder(remote.queue);
            const QByteArray canary = "CANARY-payload-that-must-not-show";
            QList<TaskId> ids;
            for (int i = 0; i < 4; ++i)
                ids << remote.queue->enqueue(sleepTask(10, canary));
            QVERIFY(recorder.waitFor(ids, 60000));
            for (TaskId id : ids)
                QCOMPARE(recorder.result(id).outcome, Outcome::Done);
            QVERIFY(relay.seen.size() > 1000); // the workers went through it
            QVERIFY(!relay.seen.contains(canary));
            QVERIFY(!relay.seen.contains("scripted"));
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }
};

QTEST_GUILESS_MAIN(tst_Remote)
#include "tst_remote.moc"
