// The `query` kind through a real Manager and real, persistent workers:
// Eval and Search answers, a broadcast `Set` that changes the answer on
// every worker, Search reading the broadcast index (never the payload), a
// query whose worker dies, and no worker process left after each test.

#include "support/processes.h"
#include "support/recorder.h"

#include "prooflang.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCborMap>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Drover;
using TestSupport::OutcomeRecorder;

namespace {
const QString Doc = QStringLiteral("doc.proof");

// The document whose index Search reads: lemmas on lines 1, 5 and 9.
const QString Indexed = QStringLiteral("Lemma primes_are_prime: small primes.\nProof.\n  prime 7.\nQed.\n"
                                       "Lemma fib_small: Fib(10) = 55.\nProof.\n  fib 10 = 55.\nQed.\n"
                                       "Lemma not_prime: 91 is PRIME, or is it.\nProof.\n  prime 91.\nQed.\n");

// "Name=value" pairs, as `Set` lines of the document.
using Settings = QStringList;

ProofLang::Option optionOf(const QString &setting)
{
    const qsizetype equals = setting.indexOf(QLatin1Char('='));
    return {setting.left(equals), setting.mid(equals + 1), 1};
}
} // namespace

class tst_Query : public QObject
{
    Q_OBJECT

    std::unique_ptr<Manager> m_manager;
    TaskQueue *m_queue = nullptr;
    std::unique_ptr<OutcomeRecorder> m_outcomes;

    TaskId ask(const QString &text, const QString &doc = Doc)
    {
        Task task;
        task.payload = ProofLang::queryPayload(doc, {text, 1, 1});
        task.name = text;
        return m_queue->enqueue(task);
    }

    TaskResult resultOf(TaskId id)
    {
        if (!m_outcomes->waitFor(id))
            qFatal("query %llu got no outcome", id);
        return m_outcomes->results.value(id);
    }

    void set(const Settings &settings, const QString &doc = Doc)
    {
        for (const QString &setting : settings)
            m_queue->forwardFeedback(ProofLang::optionBroadcast(doc, optionOf(setting)));
    }

    void broadcastIndex(const QString &doc = Doc)
    {
        m_queue->forwardFeedback(ProofLang::indexBroadcast(doc, ProofLang::parse(Indexed)));
    }

    // Asks the query again and again, `count` at a time, until each of the
    // `count` workers has answered it; returns the answers by worker. Bound
    // by time, not rounds: a worker slow to start on a loaded machine lets
    // the others answer many rounds before it.
    QHash<int, QSet<QString>> answersFromEveryWorker(const QString &query, int count)
    {
        QHash<int, QSet<QString>> byWorker;
        const QDeadlineTimer deadline(60000);
        while (byWorker.size() < count && !deadline.hasExpired()) {
            QList<TaskId> ids;
            for (int i = 0; i < count; ++i)
                ids << ask(query);
            if (!m_outcomes->waitFor(ids))
                qFatal("a round of queries got no outcome");
            for (TaskId id : std::as_const(ids)) {
                const TaskResult result = m_outcomes->results.value(id);
                byWorker[result.workerId] << ProofLang::queryAnswerOf(result.response).answer;
            }
        }
        return byWorker;
    }

private Q_SLOTS:
    void init()
    {
        m_manager = std::make_unique<Manager>();
        m_queue = m_manager->queue(QStringLiteral("query"));
        QVERIFY2(m_queue, qPrintable(m_manager->errorString()));
        m_queue->setMaxWorkers(3);
        m_outcomes = std::make_unique<OutcomeRecorder>(m_queue);
    }

    void cleanup()
    {
        m_outcomes.reset();
        m_manager.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
    }

    void evalAnswers_data()
    {
        QTest::addColumn<Settings>("settings");
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("answered");
        QTest::addColumn<QString>("text");  // the answer, or why there is none

        QTest::newRow("fib") << Settings{} << "Eval fib 90" << true << "Fib(90) mod 2^64 = 2880067194370816120";
        QTest::newRow("fib 0") << Settings{} << "Eval fib 0" << true << "Fib(0) mod 2^64 = 0";
        QTest::newRow("fib wraps") << Settings{} << "Eval fib 100" << true << "Fib(100) mod 2^64 = 3736710778780434371";
        QTest::newRow("prime") << Settings{} << "Eval prime 97" << true << "97 is prime";
        QTest::newRow("not prime") << Settings{} << "Eval prime 91" << true << "91 is not prime: it is divisible by 7";
        QTest::newRow("one") << Settings{} << "Eval prime 1" << true << "1 is not prime: primes are at least 2";
        QTest::newRow("hex fib") << Settings{"Base=hex"} << "Eval fib 90" << true << "Fib(0x5a) mod 2^64 = 0x27f80ddaa1ba7878";
        QTest::newRow("hex prime") << Settings{"Base=HEX"} << "Eval prime 91" << true
                                   << "0x5b is not prime: it is divisible by 0x7";
        QTest::newRow("dec") << Settings{"Base=dec"} << "Eval fib 10" << true << "Fib(10) mod 2^64 = 55";
        QTest::newRow("latest wins") << Settings{"Base=hex", "Base=dec"} << "Eval fib 10" << true << "Fib(10) mod 2^64 = 55";
        QTest::newRow("other options ignored") << Settings{"Verbose=on", "Colour=deep blue"} << "Eval fib 10" << true
                                               << "Fib(10) mod 2^64 = 55";
        QTest::newRow("too large") << Settings{} << "Eval fib 99999999999999999999" << false
                                   << "number 99999999999999999999 does not fit in 64 bits";
        QTest::newRow("bad base") << Settings{"Base=roman"} << "Eval fib 10" << false
                                  << "option Base is `roman`: expected `dec` or `hex`";
        QTest::newRow("not from the parser") << Settings{} << "Eval frob 3" << false
                                             << "unknown `Eval` expression `frob`: expected `Eval fib K.` or `Eval prime N.`";
        QTest::newRow("not a query") << Settings{} << "Lemma x" << false
                                     << "unknown query `Lemma`: expected `Eval EXPR.` or `Search WORD.`";
    }
    void evalAnswers()
    {
        QFETCH(Settings, settings);
        QFETCH(QString, query);
        QFETCH(bool, answered);
        QFETCH(QString, text);
        set(settings);
        const TaskResult result = resultOf(ask(query));
        QCOMPARE(outcomeName(result.outcome), QStringLiteral("done"));
        const ProofLang::QueryAnswer answer = ProofLang::queryAnswerOf(result.response);
        QCOMPARE(answer.answered, answered);
        QCOMPARE(answered ? answer.answer : answer.message, text);
        QCOMPARE(result.response[QLatin1String("worker")].toInteger(), result.workerId);
    }

    // Options are per document: another document's `Set` changes nothing.
    void optionsOfAnotherDocument()
    {
        set({QStringLiteral("Base=hex")}, QStringLiteral("other.proof"));
        const TaskResult result = resultOf(ask(QStringLiteral("Eval fib 10")));
        QCOMPARE(ProofLang::queryAnswerOf(result.response).answer, QStringLiteral("Fib(10) mod 2^64 = 55"));
    }

    void searchReadsTheBroadcastIndex_data()
    {
        QTest::addColumn<Settings>("settings");
        QTest::addColumn<QString>("word");
        QTest::addColumn<bool>("answered");
        QTest::addColumn<QString>("text");

        QTest::newRow("in names and statements") << Settings{} << "prime" << true
                                                 << "2 lemmas: primes_are_prime (line 1), not_prime (line 9)";
        QTest::newRow("any case") << Settings{} << "FIB" << true << "1 lemma: fib_small (line 5)";
        QTest::newRow("in a statement only") << Settings{} << "55" << true << "1 lemma: fib_small (line 5)";
        QTest::newRow("nothing") << Settings{} << "zebra" << true << "no lemma matches `zebra`";
        QTest::newRow("limited") << Settings{"SearchLimit=1"} << "prime" << true
                                 << "2 lemmas: primes_are_prime (line 1) and 1 more";
        QTest::newRow("limit above the matches") << Settings{"SearchLimit=5"} << "prime" << true
                                                 << "2 lemmas: primes_are_prime (line 1), not_prime (line 9)";
        QTest::newRow("limit 0") << Settings{"SearchLimit=0"} << "prime" << false
                                 << "option SearchLimit is `0`: expected a number of lemmas from 1";
        QTest::newRow("limit of a word") << Settings{"SearchLimit=few"} << "prime" << false
                                         << "option SearchLimit is `few`: expected a number of lemmas from 1";
        QTest::newRow("Base does not matter") << Settings{"Base=hex"} << "55" << true << "1 lemma: fib_small (line 5)";
    }
    void searchReadsTheBroadcastIndex()
    {
        QFETCH(Settings, settings);
        QFETCH(QString, word);
        QFETCH(bool, answered);
        QFETCH(QString, text);
        broadcastIndex();
        set(settings);
        const TaskId id = ask(QStringLiteral("Search ") + word);
        QVERIFY(!m_queue->task(id)->payload.toMap().contains(QLatin1String("index"))); // not in the payload
        const ProofLang::QueryAnswer answer = ProofLang::queryAnswerOf(resultOf(id).response);
        QCOMPARE(answer.answered, answered);
        QCOMPARE(answered ? answer.answer : answer.message, text);
    }

    // Without an index broadcast for its document, Search cannot answer;
    // a later broadcast reaches the workers that already run.
    void searchWithoutAnIndex()
    {
        broadcastIndex(QStringLiteral("other.proof"));
        const ProofLang::QueryAnswer before = ProofLang::queryAnswerOf(resultOf(ask(QStringLiteral("Search prime"))).response);
        QVERIFY(!before.answered);
        QCOMPARE(before.message, QStringLiteral("no index of the document's lemmas has reached this worker"));
        broadcastIndex();
        const ProofLang::QueryAnswer after = ProofLang::queryAnswerOf(resultOf(ask(QStringLiteral("Search prime"))).response);
        QVERIFY(after.answered);
    }

    // Issue #5: a broadcast `Set` changes the answer of a query on every
    // worker. Each of three persistent workers answers before and after.
    void setChangesTheAnswerOnEveryWorker_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::newRow("Base hex") << "Eval fib 90" << "Base=hex" << "Fib(90) mod 2^64 = 2880067194370816120"
                                  << "Fib(0x5a) mod 2^64 = 0x27f80ddaa1ba7878";
        QTest::newRow("SearchLimit 1") << "Search prime" << "SearchLimit=1"
                                       << "2 lemmas: primes_are_prime (line 1), not_prime (line 9)"
                                       << "2 lemmas: primes_are_prime (line 1) and 1 more";
    }
    void setChangesTheAnswerOnEveryWorker()
    {
        QFETCH(QString, query);
        QFETCH(QString, setting);
        QFETCH(QString, before);
        QFETCH(QString, after);
        constexpr int Workers = 3;
        QSignalSpy started(m_queue, &TaskQueue::workerStarted);
        broadcastIndex();

        const QHash<int, QSet<QString>> first = answersFromEveryWorker(query, Workers);
        QCOMPARE(first.size(), Workers);
        for (auto it = first.cbegin(); it != first.cend(); ++it)
            QCOMPARE(it.value(), QSet<QString>{before});

        set({setting});
        const QHash<int, QSet<QString>> second = answersFromEveryWorker(query, Workers);
        QCOMPARE(second.size(), Workers);
        for (auto it = second.cbegin(); it != second.cend(); ++it)
            QCOMPARE(it.value(), QSet<QString>{after});

        // The same workers answered both times: they stayed (persistent),
        // and the broadcast reached them where they were.
        QCOMPARE(QSet<int>(second.keyBegin(), second.keyEnd()), QSet<int>(first.keyBegin(), first.keyEnd()));
        QCOMPARE(started.size(), Workers);
        for (const WorkerInfo &worker : m_queue->workers())
            QVERIFY(!worker.fresh);
    }

    // A query whose worker dies ends worker-died, saying how; the pool goes
    // on answering with a new worker.
    void queryOnADyingWorker_data()
    {
        QTest::addColumn<bool>("kill");
        QTest::addColumn<QString>("status");
        QTest::newRow("SIGKILL") << true << "was killed by SIGKILL";
        QTest::newRow("SIGTERM") << false << "was killed by SIGTERM";
    }
    void queryOnADyingWorker()
    {
        QFETCH(bool, kill);
        QFETCH(QString, status);
        QSignalSpy running(m_queue, &TaskQueue::taskStarted);
        // The largest prime below 2^64: trial division takes many seconds.
        const TaskId id = ask(QStringLiteral("Eval prime 18446744073709551557"));
        QVERIFY(running.wait(30000));
        const int worker = running.first().at(1).toInt();
        QVERIFY(kill ? m_queue->killWorker(worker) : m_queue->terminateWorker(worker));
        const TaskResult result = resultOf(id);
        QCOMPARE(outcomeName(result.outcome), QStringLiteral("worker-died"));
        QCOMPARE(result.message, status);
        QCOMPARE(result.workerId, worker);

        const TaskResult next = resultOf(ask(QStringLiteral("Eval prime 97")));
        QCOMPARE(ProofLang::queryAnswerOf(next.response).answer, QStringLiteral("97 is prime"));
        QVERIFY(next.workerId != worker);
    }

    // A long query is cancelled promptly (Eval prime polls the flag).
    void cancelALongQuery()
    {
        QSignalSpy running(m_queue, &TaskQueue::taskStarted);
        const TaskId id = ask(QStringLiteral("Eval prime 18446744073709551557"));
        QVERIFY(running.wait(30000));
        QVERIFY(m_queue->cancel(id));
        QCOMPARE(outcomeName(resultOf(id).outcome), QStringLiteral("cancelled"));
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QCborValue>("payload");
        QTest::newRow("not a map") << QCborValue(42);
        QTest::newRow("no text") << QCborValue(QCborMap{{QStringLiteral("doc"), Doc}});
        QTest::newRow("no doc") << QCborValue(QCborMap{{QStringLiteral("text"), QStringLiteral("Eval fib 1")}});
    }
    void malformedRequests()
    {
        QFETCH(QCborValue, payload);
        Task task;
        task.payload = payload;
        const ProofLang::QueryAnswer answer = ProofLang::queryAnswerOf(resultOf(m_queue->enqueue(task)).response);
        QVERIFY(!answer.answered);
        QVERIFY2(answer.message.startsWith(QLatin1String("malformed query request: expected {doc, line, column, text}")),
                 qPrintable(answer.message));
    }
};

QTEST_MAIN(tst_Query)
#include "tst_query.moc"
