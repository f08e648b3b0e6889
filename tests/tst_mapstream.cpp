// TaskQueue::mapStream() (Nproc's iter_stream): inputs pulled from a
// generator or taken from a future as they come, at most maxChunksInFlight
// chunks at once (back-pressure), results numbered in input order; a failed
// chunk either cancels the map or, with OnFailure::Continue, leaves its
// inputs undefined and the rest goes on; cancelling the map stops the pulls.
// With the scripted kind, whose worker squares each integer of a chunk.

#include "support/scripted.h"
#include "support/scriptedqueue.h"

#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Drover;
using TestSupport::scripted;

class tst_MapStream : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private slots:
    void init() { openScriptedQueue(); }
    void cleanup() { closeScriptedQueue(); }

    void generatorWithBackPressure_data()
    {
        QTest::addColumn<int>("granularity");
        QTest::addColumn<int>("inFlight");
        QTest::addColumn<bool>("ordered");
        QTest::newRow("1 input a chunk, 2 chunks at once") << 1 << 2 << false;
        QTest::newRow("5 inputs a chunk, 3 chunks at once, ordered") << 5 << 3 << true;
        QTest::newRow("7 inputs a chunk (a short last one), 1 at once") << 7 << 1 << false;
    }
    void generatorWithBackPressure()
    {
        QFETCH(int, granularity);
        QFETCH(int, inFlight);
        QFETCH(bool, ordered);
        m_queue->setMaxWorkers(2);
        const int inputs = 60;
        int pulled = 0;
        int mostChunks = 0; // chunks in the queue, with the one being filled
        MapOptions options;
        options.granularity = granularity;
        options.maxChunksInFlight = inFlight;
        options.ordered = ordered;
        QFuture<QCborValue> future = m_queue->mapStream(
            [&]() -> std::optional<QCborValue> {
                if (pulled == inputs)
                    return std::nullopt;
                mostChunks = std::max(mostChunks, m_queue->queuedCount() + m_queue->runningCount() + 1);
                return QCborValue(pulled++);
            },
            options);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
        QVERIFY(!future.isCanceled());
        QCOMPARE(pulled, inputs);
        // Never more chunks at once than allowed, and as many when it can.
        QCOMPARE(mostChunks, inFlight);
        const QList<QCborValue> results = future.results();
        QCOMPARE(results.size(), inputs);
        for (int i = 0; i < inputs; ++i)
            QCOMPARE(results.at(i).toInteger(), qint64(i) * i);
    }

    // Inputs reported into a future over time: chunks start as they fill,
    // the short last one when the source ends.
    void futureAsSource()
    {
        m_queue->setMaxWorkers(2);
        QPromise<QCborValue> source;
        source.start();
        MapOptions options;
        options.granularity = 4;
        QFuture<QCborValue> future = m_queue->mapStream(source.future(), options);
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        int next = 0;
        QTimer producer;
        connect(&producer, &QTimer::timeout, this, [&] {
            source.addResult(QCborValue(next), next);
            if (++next == 10) {
                producer.stop();
                source.finish();
            }
        });
        producer.start(20);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
        QVERIFY(!future.isCanceled());
        QCOMPARE(started.size(), 3); // 4 + 4 + the short 2
        const QList<QCborValue> results = future.results();
        QCOMPARE(results.size(), 10);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(results.at(i).toInteger(), qint64(i) * i);
    }

    void failedChunk_data()
    {
        QTest::addColumn<bool>("goOn");
        QTest::newRow("CancelAll") << false;
        QTest::newRow("Continue") << true;
    }
    void failedChunk()
    {
        QFETCH(bool, goOn);
        const QList<QCborValue> inputs{QCborValue(1), QCborValue(2), scripted(QStringLiteral("crash")).payload, QCborValue(4),
                                       QCborValue(5)};
        MapOptions options;
        options.maxChunksInFlight = 1;
        options.onFailure = goOn ? MapOptions::OnFailure::Continue : MapOptions::OnFailure::CancelAll;
        qsizetype i = 0;
        QFuture<QCborValue> future = m_queue->mapStream(
            [&]() { return i < inputs.size() ? std::optional<QCborValue>(inputs.at(i++)) : std::nullopt; }, options);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 120000);
        if (!goOn) {
            QVERIFY(future.isCanceled());
            const QString why = m_queue->failureOf(future);
            QVERIFY2(why.contains(QLatin1String("map chunk 3 ended worker-died")), qPrintable(why));
            QCOMPARE(i, qsizetype(3)); // nothing pulled after the failure
            return;
        }
        QVERIFY(!future.isCanceled());
        QCOMPARE(m_queue->failureOf(future), QString());
        const QList<QCborValue> results = future.results();
        QCOMPARE(results.size(), 5);
        QCOMPARE(results.at(0).toInteger(), 1);
        QCOMPARE(results.at(1).toInteger(), 4);
        QVERIFY(results.at(2).isUndefined());
        QCOMPARE(results.at(3).toInteger(), 16);
        QCOMPARE(results.at(4).toInteger(), 25);
    }

    // Cancelling the map cancels its running chunk and pulls no more.
    void cancelStopsThePulls()
    {
        int pulled = 0;
        MapOptions options;
        options.maxChunksInFlight = 1;
        QFuture<QCborValue> future = m_queue->mapStream(
            [&]() -> std::optional<QCborValue> {
                ++pulled;
                return scripted(QStringLiteral("sleep"), 600000).payload;
            },
            options);
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QSignalSpy finished(m_queue, &TaskQueue::taskFinished);
        QVERIFY(started.wait(60000));
        future.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QCOMPARE(finished.at(0).at(1).value<TaskResult>().outcome, Outcome::Cancelled);
        QCOMPARE(pulled, 1);
        QVERIFY(future.isCanceled());
    }
};

QTEST_MAIN(tst_MapStream)
#include "tst_mapstream.moc"
