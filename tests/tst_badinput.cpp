// Bad input on the wire: a worker that sends an oversize frame, bytes that
// are not CBOR, an unknown message type, a wrong answer, goes silent, or
// says a wrong hello (secret, version, first message, a process we did not
// start). Each is refused with a reason, the offender is closed (and killed
// if it is ours), its task handled as a death - and the other workers'
// tasks still complete. A whole response whose body cannot be decoded ends
// only its task, MarshalError.

#include "drover/manager.h"
#include "drover/taskkind.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;

class tst_BadInput : public QObject
{
    Q_OBJECT

private slots:
    void rogueWorker_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("holdsTask");
        QTest::newRow("oversize frame") << "oversize" << "exceeds the limit of" << true;
        QTest::newRow("not CBOR") << "garbage" << "not valid CBOR" << true;
        QTest::newRow("unknown message type") << "unknown-type" << "unknown message type \"bogus\"" << true;
        QTest::newRow("answer for another task") << "wrong-task" << "answer for task 987654" << true;
        QTest::newRow("silent worker") << "silent" << "stopped answering heartbeats" << true;
        QTest::newRow("wrong secret") << "wrong-secret" << "wrong secret" << false;
        QTest::newRow("wrong protocol version") << "wrong-version" << "speaks protocol version 100" << false; // ours + 98
        QTest::newRow("first message not hello") << "not-hello" << "not hello" << false;
        QTest::newRow("hello from a process we did not start") << "impostor" << "not the process started for it" << false;
    }

    void rogueWorker()
    {
        QFETCH(QString, mode);
        QFETCH(QString, reason);
        QFETCH(bool, holdsTask);
        qputenv("ROGUE_MODE", mode.toUtf8());
        qputenv("ROGUE_VICTIM", "1");
        qputenv("ROGUE_REAL_WORKER", DROVER_WORKER_BIN);
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            manager.setWorkerProgram(QStringLiteral(DROVER_ROGUE_BIN));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY2(queue, qPrintable(manager.errorString()));
            queue->setMaxWorkers(2);
            queue->setHandshakeTimeout(2s);
            queue->setHeartbeat(100ms, 1000ms);
            TestSupport::OutcomeRecorder recorder(queue);
            QSignalSpy protocolErrors(&manager, &Manager::protocolError);
            QSignalSpy exited(queue, &TaskQueue::workerExited);

            QList<TaskId> ids;
            for (int i = 0; i < 6; ++i) {
                QCborMap p;
                p.insert(QLatin1String("op"), QStringLiteral("sleep"));
                p.insert(QLatin1String("arg"), 50);
                p.insert(QLatin1String("stay"), true);
                Task t;
                t.payload = p;
                ids << queue->enqueue(t);
            }
            QVERIFY(recorder.waitFor(ids, 120000));
            int victims = 0;
            for (TaskId id : ids) {
                const TaskResult r = recorder.result(id);
                if (r.workerId == 1) {
                    ++victims;
                    QCOMPARE(r.outcome, Outcome::WorkerDied);
                    QVERIFY2(r.message.contains(reason), qPrintable(r.message));
                } else {
                    QCOMPARE(r.outcome, Outcome::Done);
                }
            }
            QCOMPARE(victims, holdsTask ? 1 : 0);
            if (!holdsTask) {
                QVERIFY(!protocolErrors.isEmpty());
                QVERIFY2(protocolErrors.first().at(0).toString().contains(reason),
                         qPrintable(protocolErrors.first().at(0).toString()));
            }
            QTRY_VERIFY_WITH_TIMEOUT(std::any_of(exited.cbegin(), exited.cend(),
                                                 [](const QList<QVariant> &args) { return args.at(0).toInt() == 1; }),
                                     30000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }

    // A whole response frame whose body cannot be decoded ends its task
    // MarshalError (docs/wire.md), with the kind's onMarshalError() told;
    // the other tasks go on.
    void undecodableResponse_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("reason");
        QTest::newRow("body not CBOR") << "undecodable-response"
                                       << "the response cannot be decoded: frame is not valid CBOR";
        QTest::newRow("a byte after the body") << "response-with-trailing-byte"
                                               << "the response cannot be decoded: frame has 1 bytes after its CBOR item";
    }
    void undecodableResponse()
    {
        QFETCH(QString, mode);
        QFETCH(QString, reason);
        qputenv("ROGUE_MODE", mode.toUtf8());
        qputenv("ROGUE_VICTIM", "1");
        qputenv("ROGUE_REAL_WORKER", DROVER_WORKER_BIN);
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            manager.setWorkerProgram(QStringLiteral(DROVER_ROGUE_BIN));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY2(queue, qPrintable(manager.errorString()));
            // One worker at a time: the rogue, worker 1, surely gets the first task.
            queue->setQuitTimeout(1s);
            TestSupport::OutcomeRecorder recorder(queue);
            QList<TaskId> ids;
            for (int i = 0; i < 4; ++i) {
                QCborMap p;
                p.insert(QLatin1String("op"), QStringLiteral("echo"));
                p.insert(QLatin1String("arg"), i);
                p.insert(QLatin1String("stay"), true);
                Task t;
                t.payload = p;
                ids << queue->enqueue(t);
            }
            QVERIFY(recorder.waitFor(ids, 120000));
            int victims = 0;
            for (TaskId id : ids) {
                const TaskResult r = recorder.result(id);
                if (r.workerId == 1) {
                    ++victims;
                    QCOMPARE(r.outcome, Outcome::MarshalError);
                    QVERIFY2(r.message.startsWith(reason), qPrintable(r.message));
                    auto *kind = dynamic_cast<QObject *>(queue->taskKind());
                    QVERIFY(kind);
                    QVERIFY(kind->property("marshalLog").toStringList().contains(
                        QStringLiteral("%1:%2").arg(id).arg(r.message)));
                } else {
                    QCOMPARE(r.outcome, Outcome::Done);
                }
            }
            QCOMPARE(victims, 1);
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>{}, 10000);
    }
};

QTEST_GUILESS_MAIN(tst_BadInput)
#include "tst_badinput.moc"
