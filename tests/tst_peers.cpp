// The peers' features (seeds 001, 002, 003) on the one queue: per-task hooks,
// messages both ways, typed messages, requests to the master, the worker
// environment, futures, map with granularity, and scheduler conveniences.

#include "drover/manager.h"
#include "drover/message.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"
#include "support/scripted.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QFutureWatcher>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {

struct Port
{
    int number = 0;
};
} // namespace

template<>
struct Drover::Codec<Port>
{
    static constexpr const char *name = "Port";
    static QCborValue encode(const Port &p)
    {
        QCborMap m;
        m.insert(QLatin1String("port"), p.number);
        return m;
    }
    static std::optional<Port> decode(const QCborValue &v)
    {
        if (!v.isMap() || !v[QLatin1String("port")].isInteger())
            return std::nullopt;
        return Port{int(v[QLatin1String("port")].toInteger())};
    }
};

class tst_Peers : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:

private slots:
    void init() { openScriptedQueue(); }

    void cleanup() { closeScriptedQueue(); }

    // 1. Hooks: the port sent from onStart reaches the worker before it replies.
    void hooksSendPortOnStart()
    {
        QList<QString> calls;
        TaskHooks hooks;
        hooks.onStart = [&](const TaskContext &context) {
            calls << QStringLiteral("start");
            QVERIFY(context.sendMessage(Message<Port>::encode(Port{4242})));
        };
        hooks.onFinish = [&](const TaskResult &r) {
            calls << QStringLiteral("finish:") + outcomeName(r.outcome);
        };
        QSignalSpy finished(m_queue, &TaskQueue::taskFinished);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("port")), hooks);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(calls, (QList<QString>{QStringLiteral("start"), QStringLiteral("finish:done")}));
        const Port port = Message<Port>::decode(m_recorder->result(id).response[QLatin1String("value")]);
        QCOMPARE(port.number, 4242);
        QCOMPARE(finished.size(), 1); // the hook does not replace the signal
    }

    // 2. Messages both ways during a task; typed decoding; idle-worker messages.
    void messagesBothWays()
    {
        QStringList heard;
        TaskHooks hooks;
        hooks.onMessage = [&](const TaskContext &context, const QCborValue &value) {
            heard << value.toString();
            context.sendMessage(QString(value.toString()).replace(QLatin1String("ping"), QLatin1String("pong")));
        };
        QSignalSpy messages(m_queue, &TaskQueue::taskMessage);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("chat"), 3), hooks);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(heard, (QStringList{QStringLiteral("ping 0"), QStringLiteral("ping 1"), QStringLiteral("ping 2")}));
        QCOMPARE(messages.size(), 3);
        const QList<QString> replies =
            Message<QList<QString>>::decode(m_recorder->result(id).response[QLatin1String("value")]);
        QCOMPARE(replies, (QList<QString>{QStringLiteral("pong 0"), QStringLiteral("pong 1"), QStringLiteral("pong 2")}));
        QVERIFY(!m_queue->sendMessage(id, 1)); // it is over
    }

    void typedMessageErrors_data()
    {
        QTest::addColumn<QCborValue>("value");
        QTest::addColumn<bool>("isPort");
        QTest::newRow("a port") << Message<Port>::encode(Port{1}) << true;
        QTest::newRow("a string") << QCborValue(QStringLiteral("8080")) << false;
        QTest::newRow("a map without port") << QCborValue(QCborMap{{QStringLiteral("p"), 1}}) << false;
    }
    void typedMessageErrors()
    {
        QFETCH(QCborValue, value);
        QFETCH(bool, isPort);
        QString error;
        QCOMPARE(Message<Port>::tryDecode(value, &error).has_value(), isPort);
        if (!isPort) {
            QVERIFY2(error.startsWith(QLatin1String("expected a message of type Port, got")), qPrintable(error));
            QVERIFY_THROWS_EXCEPTION(TaskFailure, Message<Port>::decode(value));
        }
    }

    void workerMessageOutsideTask()
    {
        QCborMap environment;
        environment.insert(QLatin1String("greet"), true);
        m_queue->setWorkerEnvironment(environment);
        QSignalSpy workerMessages(m_queue, &TaskQueue::workerMessage);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(m_recorder->waitFor(id));
        QTRY_COMPARE_WITH_TIMEOUT(workerMessages.size(), 1, 30000);
        QCOMPARE(workerMessages.first().at(1).value<QCborValue>().toString(),
                 QStringLiteral("hello from worker %1").arg(workerMessages.first().at(0).toInt()));
    }

    // 3. Requests to the master.
    void askTheMaster_data()
    {
        QTest::addColumn<QString>("handler");
        QTest::addColumn<QString>("expected");
        QTest::newRow("answered at once") << "now" << "answer to 21: 42";
        QTest::newRow("answered later") << "later" << "answer to 21: 42";
        QTest::newRow("handler fails") << "fail" << "error: no such thing";
        QTest::newRow("never answered") << "never" << "error: the master did not answer within 300 ms";
        QTest::newRow("no handler") << "none" << "error: no request handler is set on the scripted queue";
    }
    void askTheMaster()
    {
        QFETCH(QString, handler);
        QFETCH(QString, expected);
        if (handler != QLatin1String("none")) {
            m_queue->setRequestHandler([handler, this](const WorkerRequest &request) {
                const QString answer = QStringLiteral("answer to %1: %2")
                                           .arg(request.question().toInteger()).arg(request.question().toInteger() * 2);
                if (handler == QLatin1String("now"))
                    request.answer(answer);
                else if (handler == QLatin1String("later"))
                    QTimer::singleShot(50ms, m_queue, [request, answer] { request.answer(answer); });
                else if (handler == QLatin1String("fail"))
                    request.fail(QStringLiteral("no such thing"));
            });
        }
        Task t = scripted(QStringLiteral("ask"), 21);
        QCborMap p = t.payload.toMap();
        p.insert(QLatin1String("timeout"), 300);
        t.payload = p;
        const TaskId id = m_queue->enqueue(t);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QCOMPARE(m_recorder->result(id).response[QLatin1String("value")].toString(), expected);
    }

    // 4. Worker environment: given once per worker, read by every task on it.
    void workerEnvironment()
    {
        QCborArray table;
        for (int i = 0; i < 1000; ++i)
            table.append(i * i);
        m_queue->setWorkerEnvironment(table);
        QSignalSpy started(m_queue, &TaskQueue::workerStarted);
        QList<TaskId> ids;
        for (int i = 0; i < 3; ++i)
            ids << m_queue->enqueue(scripted(QStringLiteral("workerenv"), {}, true));
        QVERIFY(m_recorder->waitFor(ids));
        for (TaskId id : ids)
            QCOMPARE(m_recorder->result(id).response[QLatin1String("value")].toArray(), table);
        QCOMPARE(started.size(), 1);
    }

    // 5. Futures.
    void submitFuture()
    {
        QFuture<TaskResult> future = m_queue->submit(scripted(QStringLiteral("echo"), 7));
        QFutureWatcher<TaskResult> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(future);
        QVERIFY(finished.wait(30000));
        QCOMPARE(future.result().outcome, Outcome::Done);
        QCOMPARE(future.result().response[QLatin1String("value")].toInteger(), 7);
        QVERIFY(!future.isCanceled());
    }

    void cancelledFutureCancelsTask()
    {
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QFuture<TaskResult> future = m_queue->submit(scripted(QStringLiteral("sleep"), 600000));
        QVERIFY(started.wait(30000));
        const TaskId id = started.first().at(0).value<TaskId>();
        future.cancel();
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Cancelled);
    }

    void cancelledTaskCancelsFuture()
    {
        QSignalSpy queued(m_queue, &TaskQueue::taskQueued);
        QFuture<TaskResult> future = m_queue->submit(scripted(QStringLiteral("sleep"), 600000));
        QCOMPARE(queued.size(), 1);
        QVERIFY(m_queue->cancel(queued.first().at(0).value<TaskId>()));
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 30000);
        QVERIFY(future.isCanceled());
    }

    void mapWithGranularity_data()
    {
        QTest::addColumn<int>("inputs");
        QTest::addColumn<int>("granularity");
        QTest::addColumn<bool>("ordered");
        QTest::newRow("10000 by 100, as they come") << 10000 << 100 << false;
        QTest::newRow("10000 by 100, in order") << 10000 << 100 << true;
        QTest::newRow("7 by 3") << 7 << 3 << true;
        QTest::newRow("nothing") << 0 << 10 << false;
    }
    void mapWithGranularity()
    {
        QFETCH(int, inputs);
        QFETCH(int, granularity);
        QFETCH(bool, ordered);
        m_queue->setMaxWorkers(2);
        QList<QCborValue> values;
        for (int i = 0; i < inputs; ++i)
            values << QCborValue(i);
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        MapOptions options;
        options.granularity = granularity;
        options.ordered = ordered;
        QFuture<QCborValue> future = m_queue->map(values, options);
        QFutureWatcher<QCborValue> watcher;
        QList<int> deliveredAt;
        connect(&watcher, &QFutureWatcherBase::resultsReadyAt, this,
                [&](int begin, int) { deliveredAt << begin; });
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(future);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
        QVERIFY(!future.isCanceled());
        QCOMPARE(m_queue->failureOf(future), QString());
        const QList<QCborValue> results = future.results();
        QCOMPARE(results.size(), inputs);
        for (int i = 0; i < inputs; ++i)
            QCOMPARE(results.at(i).toInteger(), qint64(i) * i);
        QCOMPARE(started.size(), (inputs + granularity - 1) / granularity);
        QTRY_VERIFY(!finished.isEmpty());
        if (ordered) {
            QList<int> sorted = deliveredAt;
            std::sort(sorted.begin(), sorted.end());
            QCOMPARE(deliveredAt, sorted);
        }
    }

    void mapChunkFailureFailsFuture()
    {
        QList<QCborValue> values{QCborValue(1), QCborValue(2), scripted(QStringLiteral("crash")).payload, QCborValue(4)};
        QFuture<QCborValue> future = m_queue->map(values);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
        QVERIFY(future.isCanceled());
        const QString failure = m_queue->failureOf(future);
        QVERIFY2(failure.contains(QLatin1String("map chunk 3 ended worker-died")), qPrintable(failure));
        // Only the queue that ran the map speaks of it.
        Manager other;
        other.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        QCOMPARE(other.queue(QStringLiteral("scripted"))->failureOf(future), QString());
        try {
            future.waitForFinished();
            (void)future.results();
            QFAIL("no exception");
        } catch (const TaskFailure &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("map chunk 3 ended worker-died")), e.what());
        }
        QVERIFY(m_queue->waitForDrained(30s));
    }

    // 6. Scheduler conveniences.
    void queueEmptiedFeedsMoreWork()
    {
        int fed = 0;
        connect(m_queue, &TaskQueue::queueEmptied, this, [&](int) {
            if (fed < 5) {
                ++fed;
                m_queue->enqueue(scripted(QStringLiteral("echo"), fed, true));
            }
        });
        m_queue->enqueue(scripted(QStringLiteral("echo"), 0, true));
        QVERIFY(m_queue->waitForDrained(60s));
        QTRY_COMPARE_WITH_TIMEOUT(m_recorder->results.size(), 6, 30000);
        QCOMPARE(fed, 5);
    }

    void clearAndDelayedWork()
    {
        const TaskId running = m_queue->enqueue(scripted(QStringLiteral("sleep"), 300));
        QList<TaskId> queued;
        for (int i = 0; i < 4; ++i)
            queued << m_queue->enqueue(scripted(QStringLiteral("echo")));
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QVERIFY(started.wait(30000));
        m_queue->clear();
        for (TaskId id : queued)
            QCOMPARE(m_recorder->result(id).outcome, Outcome::Cancelled);
        // Delayed work through QTimer, as the header documents.
        QTimer::singleShot(100ms, m_queue, [this] { m_queue->enqueue(scripted(QStringLiteral("echo"), 99)); });
        QTRY_COMPARE_WITH_TIMEOUT(m_recorder->results.size(), 6, 30000);
        QCOMPARE(m_recorder->result(running).outcome, Outcome::Done);
        QVERIFY(m_queue->waitForDrained(30s));
        QVERIFY(m_queue->waitForDrained(0ms)); // already drained: true at once
    }

    // 7. Logging through QLoggingCategory.
    void loggingCategories()
    {
        m_manager->setWorkerProgram(QStringLiteral("/nonexistent/drover-worker"));
        static QStringList categories;
        categories.clear();
        QtMessageHandler previous = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &context, const QString &) {
            categories << QString::fromLatin1(context.category);
        });
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(m_recorder->waitFor(id));
        QVERIFY2(categories.contains(QStringLiteral("drover.queue")), qPrintable(categories.join(u',')));
        categories.clear();
        QLoggingCategory::setFilterRules(QStringLiteral("drover.*=false"));
        const TaskId silent = m_queue->enqueue(scripted(QStringLiteral("echo")));
        QVERIFY(m_recorder->waitFor(silent));
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(previous);
        QCOMPARE(categories, QStringList{});
    }
};

QTEST_GUILESS_MAIN(tst_Peers)
#include "tst_peers.moc"
