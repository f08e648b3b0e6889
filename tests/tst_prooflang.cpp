// The demo proof language: parsing (good documents, every parse error with
// its line and column, resynchronisation), payloads and verdicts, and each
// step kind run in-process through a small WorkerContext.

#include "checker.h"
#include "prooflang.h"
#include "steps.h"

#include <drover/workercontext.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

#include <atomic>
#include <thread>

using namespace ProofLang;

namespace {
class FakeContext : public Drover::WorkerContext
{
public:
    void sendFeedback(const QCborValue &value) override { feedback << value; }
    bool isCancelled() const override { return cancelled.load(); }
    QList<QCborValue> forwardedFeedback() const override { return forwarded; }
    int workerId() const override { return 1; }

    QList<QCborValue> feedback;
    QList<QCborValue> forwarded;
    std::atomic<bool> cancelled{false};
};

QCborValue check(const QString &document, FakeContext &context)
{
    const Document doc = parse(document);
    if (doc.lemmas.isEmpty())
        return {};
    return checkLemma(lemmaPayload(QStringLiteral("doc"), doc.lemmas.first(), false), context);
}

QString lemma(const QString &steps)
{
    return QStringLiteral("Lemma l: s.\nProof.\n%1\nQed.\n").arg(steps);
}
} // namespace

class tst_ProofLang : public QObject
{
    Q_OBJECT

private slots:
    void parsesGoodDocument()
    {
        const Document doc = parse(QStringLiteral(
            "# a comment\n"
            "Set Verbose on.   # trailing comment\n"
            "  Lemma first: one step.\n"
            "Proof.\n"
            "    prime 7.\n"
            "  fib 10 = 55.\n"
            "Qed.\n"
            "\n"
            "Lemma second': say things.\r\n"
            "Proof.\r\n"
            "say hello, world.\r\n"
            "Qed.\r\n"));
        QCOMPARE(doc.errors.size(), 0);
        QCOMPARE(doc.options.size(), 1);
        QCOMPARE(doc.options.first().name, QStringLiteral("Verbose"));
        QCOMPARE(doc.options.first().value, QStringLiteral("on"));
        QCOMPARE(doc.lemmas.size(), 2);
        const Lemma &first = doc.lemmas.first();
        QCOMPARE(first.name, QStringLiteral("first"));
        QCOMPARE(first.statement, QStringLiteral("one step"));
        QCOMPARE(first.line, 3);
        QCOMPARE(first.column, 3);
        QCOMPARE(first.endLine, 7);
        QCOMPARE(first.steps.size(), 2);
        QCOMPARE(first.steps[0].text, QStringLiteral("prime 7"));
        QCOMPARE(first.steps[0].number, 1);
        QCOMPARE(first.steps[0].line, 5);
        QCOMPARE(first.steps[0].column, 5);
        QCOMPARE(first.steps[1].number, 2);
        QCOMPARE(doc.lemmas[1].name, QStringLiteral("second'"));
        QCOMPARE(doc.lemmas[1].steps[0].text, QStringLiteral("say hello, world"));
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("document");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QStringList>("lemmas"); // those that still parse
        const QString good = QStringLiteral("Lemma good: g.\nProof.\nprime 3.\nQed.\n");
        QTest::newRow("unknown step") << QStringLiteral("Lemma a: x.\nProof.\n  frob 3.\nQed.\n") + good
                                      << 3 << 3 << "unknown step `frob`" << QStringList{"good"};
        QTest::newRow("malformed prime") << QStringLiteral("Lemma a: x.\nProof.\nprime seven.\nQed.\n") + good
                                         << 3 << 7 << "malformed `prime` step: expected `prime N.`" << QStringList{"good"};
        QTest::newRow("malformed fib") << QStringLiteral("Lemma a: x.\nProof.\nfib 3 4.\nQed.\n") + good
                                       << 3 << 5 << "malformed `fib` step: expected `fib K = V.`" << QStringList{"good"};
        QTest::newRow("negative number") << QStringLiteral("Lemma a: x.\nProof.\nsleep -5.\nQed.\n") + good
                                         << 3 << 7 << "malformed `sleep` step" << QStringList{"good"};
        QTest::newRow("step without dot") << QStringLiteral("Lemma a: x.\nProof.\nprime 3\nQed.\n") + good
                                          << 3 << 8 << "a step ends with `.`" << QStringList{"good"};
        QTest::newRow("missing Proof") << QStringLiteral("Lemma a: x.\nprime 3.\nQed.\n") + good
                                       << 2 << 1 << "expected `Proof.` after the statement of a" << QStringList{"good"};
        QTest::newRow("missing Qed at end") << good + QStringLiteral("Lemma a: x.\nProof.\nprime 3.\n")
                                            << 5 << 1 << "lemma a is not closed with `Qed.`" << QStringList{"good"};
        QTest::newRow("missing Qed before next lemma") << QStringLiteral("Lemma a: x.\nProof.\nprime 3.\n") + good
                                                       << 1 << 1 << "lemma a is not closed with `Qed.`" << QStringList{"good"};
        QTest::newRow("lemma without name") << QStringLiteral("Lemma : x.\nProof.\nQed.\n") + good
                                            << 1 << 1 << "expected `Lemma NAME: statement.`" << QStringList{"good"};
        QTest::newRow("duplicate name") << good + good << 5 << 7 << "lemma good is defined twice" << QStringList{"good"};
        QTest::newRow("text outside a lemma") << QStringLiteral("prime 3.\n") + good
                                              << 1 << 1 << "expected `Lemma NAME: statement.` or `Set NAME VALUE.`"
                                              << QStringList{"good"};
        QTest::newRow("malformed Set") << QStringLiteral("Set Verbose.\n") + good
                                       << 1 << 1 << "expected `Set NAME VALUE.`" << QStringList{"good"};
    }
    void parseErrors()
    {
        QFETCH(QString, document);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        QFETCH(QStringList, lemmas);
        const Document doc = parse(document);
        QCOMPARE(doc.errors.size(), 1);
        QCOMPARE(doc.errors.first().line, line);
        QCOMPARE(doc.errors.first().column, column);
        QVERIFY2(doc.errors.first().message.startsWith(message), qPrintable(doc.errors.first().message));
        QStringList names;
        for (const Lemma &l : doc.lemmas)
            names << l.name;
        QCOMPARE(names, lemmas);
    }

    void payloadAndVerdict()
    {
        const Document doc = parse(lemma(QStringLiteral("prime 3.\nfib 1 = 1.")));
        const QCborValue payload = lemmaPayload(QStringLiteral("d.proof"), doc.lemmas.first(), true);
        QCOMPARE(payload[QLatin1String("doc")].toString(), QStringLiteral("d.proof"));
        QCOMPARE(payload[QLatin1String("lemma")].toString(), QStringLiteral("l"));
        QCOMPARE(payload[QLatin1String("persistent")].toBool(), true);
        QCOMPARE(payload[QLatin1String("steps")].toArray().size(), 2);
        QCOMPARE(payload[QLatin1String("steps")][1][QLatin1String("text")].toString(), QStringLiteral("fib 1 = 1"));
        const QCborValue option = optionBroadcast(QStringLiteral("d.proof"), {QStringLiteral("Verbose"), QStringLiteral("on"), 1});
        QCOMPARE(option[QLatin1String("name")].toString(), QStringLiteral("Verbose"));

        QCborMap error{{QStringLiteral("status"), QStringLiteral("error")}, {QStringLiteral("step"), 2},
                       {QStringLiteral("line"), 4}, {QStringLiteral("message"), QStringLiteral("no")}};
        const Verdict v = verdictOf(error);
        QVERIFY(!v.ok);
        QCOMPARE(v.step, 2);
        QCOMPARE(v.line, 4);
        QCOMPARE(v.message, QStringLiteral("no"));
        QVERIFY(verdictOf(QCborMap{{QStringLiteral("status"), QStringLiteral("ok")}}).ok);
        QCOMPARE(verdictOf(QCborMap{{QStringLiteral("status"), QStringLiteral("cancelled")}}).status, QStringLiteral("cancelled"));
        const Verdict bad = verdictOf(QCborValue(42));
        QVERIFY(!bad.ok);
        QVERIFY(bad.message.startsWith(QLatin1String("malformed answer")));
    }

    void steps_data()
    {
        QTest::addColumn<QString>("steps");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("step");
        QTest::addColumn<QString>("message");
        QTest::newRow("primes") << "prime 2.\nprime 1000003.\nprime 4294967291." << "ok" << 0 << "";
        QTest::newRow("composite") << "prime 7.\nprime 91." << "error" << 2 << "91 is not prime: it is divisible by 7";
        QTest::newRow("one is not prime") << "prime 1." << "error" << 1 << "1 is not prime: primes are at least 2";
        QTest::newRow("fib") << "fib 0 = 0.\nfib 1 = 1.\nfib 90 = 2880067194370816120." << "ok" << 0 << "";
        QTest::newRow("fib mod 2^64") << "fib 100 = 3736710778780434371." << "ok" << 0 << "";
        QTest::newRow("fib huge K") << "fib 18446744073709551615 = " + QString::number(fibonacci(~quint64(0))) + "." << "ok" << 0 << "";
        QTest::newRow("fib wrong") << "fib 10 = 56." << "error" << 1 << "Fib(10) mod 2^64 is 55, not 56";
        QTest::newRow("overflow") << "prime 3.\nprime 18446744073709551616." << "error" << 2
                                  << "number 18446744073709551616 does not fit in 64 bits";
        QTest::newRow("fail") << "prime 3.\nfail not today." << "error" << 2 << "not today";
        QTest::newRow("spin and sleep") << "spin 20.\nsleep 20." << "ok" << 0 << "";
        QTest::newRow("alloc") << "alloc 8." << "ok" << 0 << "";
    }
    void steps()
    {
        QFETCH(QString, steps);
        QFETCH(QString, status);
        QFETCH(int, step);
        QFETCH(QString, message);
        FakeContext context;
        const QCborValue answer = check(lemma(steps), context);
        QCOMPARE(answer[QLatin1String("status")].toString(), status);
        if (status == QLatin1String("error")) {
            QCOMPARE(int(answer[QLatin1String("step")].toInteger()), step);
            QCOMPARE(int(answer[QLatin1String("line")].toInteger()), 2 + step);
            QCOMPARE(answer[QLatin1String("message")].toString(), message);
        }
    }

    void fibonacciKnownValues()
    {
        QCOMPARE(fibonacci(0), quint64(0));
        QCOMPARE(fibonacci(1), quint64(1));
        QCOMPARE(fibonacci(2), quint64(1));
        QCOMPARE(fibonacci(93), quint64(12200160415121876738ULL)); // the last that fits
        quint64 a = 0, b = 1;
        for (int k = 0; k < 500; ++k) {
            QCOMPARE(fibonacci(quint64(k)), a);
            const quint64 next = a + b;
            a = b;
            b = next;
        }
    }

    void sayAndVerboseFeedback()
    {
        FakeContext context;
        context.forwarded << optionBroadcast(QStringLiteral("doc"), {QStringLiteral("Verbose"), QStringLiteral("on"), 1});
        const QCborValue answer = check(lemma(QStringLiteral("say hi there.\nprime 5.")), context);
        QCOMPARE(answer[QLatin1String("status")].toString(), QStringLiteral("ok"));
        QStringList texts;
        for (const QCborValue &fb : std::as_const(context.feedback))
            texts << fb[QLatin1String("text")].toString();
        QCOMPARE(texts, (QStringList{QStringLiteral("hi there"), QStringLiteral("step 1 holds"), QStringLiteral("step 2 holds")}));
        QCOMPARE(context.feedback.first()[QLatin1String("lemma")].toString(), QStringLiteral("l"));
        QCOMPARE(context.feedback.first()[QLatin1String("line")].toInteger(), 3);

        // Another document's options do not apply.
        FakeContext other;
        other.forwarded << optionBroadcast(QStringLiteral("other"), {QStringLiteral("Verbose"), QStringLiteral("on"), 1});
        check(lemma(QStringLiteral("prime 5.")), other);
        QCOMPARE(other.feedback.size(), 0);
    }

    void cancellationIsPrompt_data()
    {
        QTest::addColumn<QString>("steps");
        QTest::newRow("spin") << "spin 60000.";
        QTest::newRow("sleep") << "sleep 60000.";
        QTest::newRow("prime") << "prime 18446744073709551557.";
    }
    void cancellationIsPrompt()
    {
        QFETCH(QString, steps);
        FakeContext context;
        QElapsedTimer clock;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            context.cancelled = true;
            clock.start();
        });
        const QCborValue answer = check(lemma(steps + QStringLiteral("\nprime 3.")), context);
        canceller.join();
        QCOMPARE(answer[QLatin1String("status")].toString(), QStringLiteral("cancelled"));
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    }
};

QTEST_GUILESS_MAIN(tst_ProofLang)
#include "tst_prooflang.moc"
