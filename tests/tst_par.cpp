// The `par` kind through real workers: a `par prime A..B` step of a lemma
// fans out into block tasks on persistent par workers, whose counts are
// merged back into the lemma's outcome; the workers keep the blocks they
// sieved as their competence, report cache hits, and are given the blocks
// they hold first.

#include "support/processes.h"
#include "support/recorder.h"

#include "arithmetic.h"
#include "parfanout.h"
#include "primeblocks.h"
#include "prooflang.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Drover;
using TestSupport::OutcomeRecorder;

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

// An oracle independent of the sieve: trial division.
qint64 primesBetween(quint64 from, quint64 to)
{
    qint64 count = 0;
    for (quint64 n = std::max<quint64>(from, 2); n <= to; ++n)
        count += ProofLang::smallestDivisor(n, {}) == 0 ? 1 : 0;
    return count;
}
} // namespace

class tst_Par : public QObject
{
    Q_OBJECT

    std::unique_ptr<Manager> m_manager;
    TaskQueue *m_proof = nullptr;
    TaskQueue *m_par = nullptr;
    Par::ParFanOut *m_fanOut = nullptr;
    std::unique_ptr<OutcomeRecorder> m_outcomes;

    TaskId enqueueLemma(const QString &steps)
    {
        const ProofLang::Document doc =
            ProofLang::parse(QStringLiteral("Lemma l: s.\nProof.\n%1\nQed.\n").arg(steps));
        if (doc.lemmas.size() != 1)
            qFatal("the test's lemma does not parse: %s", qPrintable(doc.errors.value(0).message));
        Task task;
        task.payload = ProofLang::lemmaPayload(QStringLiteral("doc"), doc.lemmas.first(), false);
        return m_proof->enqueue(task);
    }

    ProofLang::Verdict check(const QString &steps, TaskId *id = nullptr)
    {
        const TaskId task = enqueueLemma(steps);
        if (id)
            *id = task;
        if (!m_outcomes->waitFor({task}))
            qFatal("no outcome for the lemma");
        const TaskResult result = m_outcomes->results.value(task);
        if (result.outcome != Outcome::Done)
            qWarning("the lemma ended %s: %s", qPrintable(outcomeName(result.outcome)), qPrintable(result.message));
        return ProofLang::verdictOf(result.response);
    }

private Q_SLOTS:
    void init()
    {
        m_manager = std::make_unique<Manager>();
        m_proof = m_manager->queue(QStringLiteral("proof"));
        QVERIFY2(m_proof, qPrintable(m_manager->errorString()));
        m_fanOut = Par::ParFanOut::attach(m_manager.get(), m_proof, 1, m_manager.get());
        m_par = m_manager->queue(QStringLiteral("par"));
        QVERIFY2(m_par, qPrintable(m_manager->errorString()));
        m_outcomes = std::make_unique<OutcomeRecorder>(m_proof);
    }

    void cleanup()
    {
        m_outcomes.reset();
        m_manager.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
    }

    // The merged count is right, across block boundaries too.
    void mergedCount_data()
    {
        QTest::addColumn<quint64>("from");
        QTest::addColumn<quint64>("to");
        QTest::addColumn<int>("blocks");
        QTest::newRow("one number, prime") << quint64(2) << quint64(2) << 1;
        QTest::newRow("0 and 1") << quint64(0) << quint64(1) << 1;
        QTest::newRow("first hundred") << quint64(1) << quint64(100) << 1;
        QTest::newRow("across a block boundary") << quint64(65530) << quint64(65540) << 2;
        QTest::newRow("three blocks, unaligned") << quint64(60000) << quint64(140000) << 3;
        QTest::newRow("far out") << quint64(999'999'000'000) << quint64(999'999'003'000) << 1;
    }

    void mergedCount()
    {
        QFETCH(quint64, from);
        QFETCH(quint64, to);
        QFETCH(int, blocks);
        const qint64 expected = primesBetween(from, to);
        QSignalSpy merged(m_fanOut, &Par::ParFanOut::merged);
        const ProofLang::Verdict right = check(QStringLiteral("par prime %1..%2 = %3.").arg(from).arg(to).arg(expected));
        QVERIFY2(right.ok, qPrintable(right.message));
        QCOMPARE(merged.size(), 1);
        QCOMPARE(merged.first().at(1).value<QCborValue>()[key("blocks")].toInteger(), blocks);

        const ProofLang::Verdict wrong = check(QStringLiteral("par prime %1..%2 = %3.").arg(from).arg(to).arg(expected + 1));
        QCOMPARE(wrong.status, QStringLiteral("error"));
        QCOMPARE(wrong.message,
                 QStringLiteral("%1..%2 holds %3 primes, not %4").arg(from).arg(to).arg(expected).arg(expected + 1));
    }

    void primesBelowAMillion()
    {
        const ProofLang::Verdict verdict = check(QStringLiteral("par prime 1..1000000 = 78498."));
        QVERIFY2(verdict.ok, qPrintable(verdict.message));
    }

    // The second time, every block comes from the worker's cache, and the
    // lemma's feedback says so.
    void cacheHitsReportedBack()
    {
        QSignalSpy merged(m_fanOut, &Par::ParFanOut::merged);
        QVERIFY(check(QStringLiteral("par prime 1..300000.")).ok);
        TaskId second = 0;
        QVERIFY(check(QStringLiteral("par prime 1..300000."), &second).ok);
        QCOMPARE(merged.size(), 2);
        const QCborValue first = merged.at(0).at(1).value<QCborValue>();
        const QCborValue again = merged.at(1).at(1).value<QCborValue>();
        QCOMPARE(first[key("blocks")].toInteger(), 5);
        QCOMPARE(first[key("hits")].toInteger(), 0);
        QCOMPARE(again[key("hits")].toInteger(), 5);
        QCOMPARE(again[key("count")].toInteger(), 25997);
        const QList<QCborValue> feedback = m_outcomes->feedback.value(second);
        QCOMPARE(feedback.size(), 1);
        QCOMPARE(feedback.first()[key("text")].toString(),
                 QStringLiteral("1..300000 holds 25997 primes: 5 blocks on 1 par workers, 5 from their caches"));
        // The worker's competence is its cache.
        const QList<WorkerInfo> workers = m_par->workers();
        QCOMPARE(workers.size(), 1);
        QVERIFY(!workers.first().fresh);
    }

    // An Old par worker takes the queued blocks it holds before the others.
    void blocksGoWhereTheyAreCached()
    {
        QVERIFY(check(QStringLiteral("par prime 0..131071.")).ok); // caches blocks 0 and 1
        QList<quint64> started;
        connect(m_par, &TaskQueue::taskStarted, this, [&](TaskId id) {
            started << quint64(m_par->task(id)->payload[key("block")].toInteger());
        });
        OutcomeRecorder blocks(m_par);
        QList<TaskId> ids;
        for (const quint64 block : {7, 1, 8, 0}) {
            Task task;
            task.payload = Par::payloadOf({block, block * Par::BlockSize, block * Par::BlockSize + 9});
            ids << m_par->enqueue(task);
        }
        QVERIFY(blocks.waitFor(ids));
        QCOMPARE(started, (QList<quint64>{1, 0, 7, 8}));
        QCOMPARE(blocks.results.value(ids[1]).response[key("hit")].toBool(), true);
        QCOMPARE(blocks.results.value(ids[0]).response[key("hit")].toBool(), false);
    }

    void badRanges_data()
    {
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "par prime 10..5." << "the range 10..5 is empty: it must not end before it starts";
        QTest::newRow("too far") << "par prime 1..1000000000001."
                                 << "the range 1..1000000000001 goes past 1000000000000, the largest number par checks";
        QTest::newRow("too wide") << "par prime 1..100000001." << "the range 1..100000001 spans more than 100000000 numbers";
        QTest::newRow("not 64 bits") << "par prime 1..99999999999999999999." << "number 99999999999999999999 does not fit in 64 bits";
    }

    void badRanges()
    {
        QFETCH(QString, step);
        QFETCH(QString, message);
        const ProofLang::Verdict verdict = check(step);
        QCOMPARE(verdict.status, QStringLiteral("error"));
        QCOMPARE(verdict.message, message);
        QCOMPARE(m_par->workers().size(), 0); // nothing was fanned out
    }

    // Without the par plugin, a par step says why it cannot be checked.
    void withoutParWorkers()
    {
        delete m_fanOut;
        m_fanOut = new Par::ParFanOut(m_proof, nullptr, QStringLiteral("no par plugin here"), m_manager.get());
        const ProofLang::Verdict verdict = check(QStringLiteral("prime 3.\npar prime 1..10 = 4."));
        QCOMPARE(verdict.step, 2);
        QCOMPARE(verdict.message, QStringLiteral("par prime 1..10 could not be checked: no par plugin here"));
    }

    // Cancelling the lemma cancels its blocks: nothing is left queued.
    void cancellingTheLemmaCancelsItsBlocks()
    {
        QSignalSpy fannedOut(m_fanOut, &Par::ParFanOut::fannedOut);
        const TaskId id = enqueueLemma(QStringLiteral("par prime 1..99999999."));
        QVERIFY(fannedOut.wait(30000));
        QCOMPARE(fannedOut.first().at(1).toInt(), 1526);
        QVERIFY(m_proof->cancel(id));
        QVERIFY(m_outcomes->waitFor({id}));
        QCOMPARE(m_outcomes->results.value(id).outcome, Outcome::Cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(m_par->queuedCount() + m_par->runningCount(), 0, 30000);
    }
};

QTEST_MAIN(tst_Par)
#include "tst_par.moc"
