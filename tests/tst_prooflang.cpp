// The demo proof language's steps (docs/language.md), each run in-process
// through Drover::Testing::LocalContext: all but `crash` and `hang`, which end
// or block their process (drover-check's suite runs those in real workers);
// feedback, the verbose option, and prompt cancellation.

#include "arithmetic.h"
#include "checker.h"
#include "prooflang.h"
#include "repair.h"
#include "steps.h"
#include "support/prooflang.h"

#include <drover/taskkind.h>
#include <drover/testing.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QPluginLoader>
#include <QtTest/QTest>

#include <chrono>
#include <thread>

using namespace ProofLang;
using namespace std::chrono_literals;
using TestSupport::check;
using TestSupport::feedbackTexts;
using TestSupport::key;
using TestSupport::lemma;

namespace {

// Fib(k) mod 2^64 by 2x2 matrix powers: a second method to hold fast doubling to.
quint64 fibonacciByMatrix(quint64 k)
{
    quint64 r[4] = {1, 0, 0, 1};  // identity
    quint64 m[4] = {1, 1, 1, 0};  // [[F2, F1], [F1, F0]]
    auto times = [](quint64 *x, const quint64 *y) {
        const quint64 p[4] = {x[0] * y[0] + x[1] * y[2], x[0] * y[1] + x[1] * y[3],
                              x[2] * y[0] + x[3] * y[2], x[2] * y[1] + x[3] * y[3]};
        std::copy(p, p + 4, x);
    };
    for (; k; k >>= 1) {
        if (k & 1)
            times(r, m);
        times(m, m);
    }
    return r[1];
}

} // namespace

class tst_ProofLang : public QObject
{
    Q_OBJECT

private slots:
    void steps_data()
    {
        QTest::addColumn<QString>("steps");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("step");      // the failing one, for "error"
        QTest::addColumn<QString>("message");
        const auto ok = [](const char *name, const QString &steps) {
            QTest::newRow(name) << steps << "ok" << 0 << "";
        };
        const auto fails = [](const char *name, const QString &steps, int step, const QString &message) {
            QTest::newRow(name) << steps << "error" << step << message;
        };
        ok("primes", QStringLiteral("prime 2.\nprime 3.\nprime 1000003.\nprime 4294967291."));
        ok("largest prime below 2^40", QStringLiteral("prime 1099511627689."));
        fails("composite", QStringLiteral("prime 7.\nprime 91."), 2, QStringLiteral("91 is not prime: it is divisible by 7"));
        fails("even", QStringLiteral("prime 1000000."), 1, QStringLiteral("1000000 is not prime: it is divisible by 2"));
        fails("square of a prime", QStringLiteral("prime 1018081."), 1, QStringLiteral("1018081 is not prime: it is divisible by 1009"));
        fails("zero", QStringLiteral("prime 0."), 1, QStringLiteral("0 is not prime: primes are at least 2"));
        fails("one", QStringLiteral("prime 1."), 1, QStringLiteral("1 is not prime: primes are at least 2"));
        fails("leading zeros", QStringLiteral("prime 007.\nprime 0009."), 2, QStringLiteral("9 is not prime: it is divisible by 3"));
        ok("tabs", QStringLiteral("prime\t7.\nfib\t10\t=\t55.\nsay\tspaced out."));
        // Without a master to ask, a par step says so (tst_par runs it for real).
        fails("par without a master", QStringLiteral("prime 3.\npar prime 1..10 = 4."), 2,
              QStringLiteral("par prime 1..10 could not be checked: no request handler is set (LocalContext::answer)"));

        ok("fib small", QStringLiteral("fib 0 = 0.\nfib 1 = 1.\nfib 2 = 1.\nfib 10 = 55.\nfib 90 = 2880067194370816120."));
        ok("fib largest exact", QStringLiteral("fib 93 = 12200160415121876738."));
        ok("fib first wrapped", QStringLiteral("fib 94 = 1293530146158671551."));
        ok("fib 100 mod 2^64", QStringLiteral("fib 100 = 3736710778780434371."));
        ok("fib 10^18", QStringLiteral("fib 1000000000000000000 = 13142498416641831483."));
        ok("fib largest K", QStringLiteral("fib 18446744073709551615 = 800812746651928290."));
        fails("fib wrong", QStringLiteral("fib 10 = 56."), 1, QStringLiteral("Fib(10) mod 2^64 is 55, not 56"));
        fails("fib unwrapped", QStringLiteral("fib 94 = 19740274219868223167."), 1,
              QStringLiteral("number 19740274219868223167 does not fit in 64 bits"));

        fails("prime too large", QStringLiteral("prime 3.\nprime 18446744073709551616."), 2,
              QStringLiteral("number 18446744073709551616 does not fit in 64 bits"));
        fails("fib K too large", QStringLiteral("fib 99999999999999999999 = 1."), 1,
              QStringLiteral("number 99999999999999999999 does not fit in 64 bits"));
        fails("spin too large", QStringLiteral("spin 123456789012345678901234567890."), 1,
              QStringLiteral("number 123456789012345678901234567890 does not fit in 64 bits"));
        fails("sleep too large", QStringLiteral("sleep 18446744073709551616."), 1,
              QStringLiteral("number 18446744073709551616 does not fit in 64 bits"));
        fails("alloc too large", QStringLiteral("alloc 18446744073709551616."), 1,
              QStringLiteral("number 18446744073709551616 does not fit in 64 bits"));

        fails("fail", QStringLiteral("prime 3.\nfail not today.\nprime 5."), 2, QStringLiteral("not today"));
        fails("bare fail", QStringLiteral("fail."), 1, QStringLiteral("the step fails"));
        ok("say", QStringLiteral("say anything at all: 1 + 1 = 3."));
        ok("spin and sleep", QStringLiteral("spin 20.\nsleep 20.\nspin 0.\nsleep 0."));
        ok("alloc", QStringLiteral("alloc 8.\nalloc 0.\nalloc 8."));
        fails("alloc over the limit", QStringLiteral("alloc 1048577."), 1,
              QStringLiteral("cannot allocate 1048577 MB: alloc is limited to 1048576 MB"));
    }
    void steps()
    {
        QFETCH(QString, steps);
        QFETCH(QString, status);
        QFETCH(int, step);
        QFETCH(QString, message);
        Drover::Testing::LocalContext context;
        const QCborValue answer = check(lemma(steps), context);
        QCOMPARE(answer[key("status")].toString(), status);
        const qsizetype count = steps.count(QLatin1Char('\n')) + 1;
        if (status == QLatin1String("error")) {
            QCOMPARE(answer[key("step")].toInteger(), step);
            QCOMPARE(answer[key("line")].toInteger(), 2 + step);
            QCOMPARE(answer[key("message")].toString(), message);
            QCOMPARE(answer[key("checked")].toInteger(), step - 1);
        } else {
            QCOMPARE(answer[key("checked")].toInteger(), count);
        }
    }

    void fibonacciAgreesWithMatrixPowers()
    {
        quint64 a = 0, b = 1; // iterate the definition for small K
        for (quint64 k = 0; k < 300; ++k) {
            QCOMPARE(fibonacci(k), a);
            const quint64 next = a + b;
            a = b;
            b = next;
        }
        quint64 k = 0x9e3779b97f4a7c15ULL;
        for (int i = 0; i < 200; ++i) {
            k = k * 6364136223846793005ULL + 1442695040888963407ULL;
            QCOMPARE(fibonacci(k), fibonacciByMatrix(k));
        }
        QCOMPARE(fibonacci(~quint64(0)), fibonacciByMatrix(~quint64(0)));
    }

    void primesAgainstSmallTable()
    {
        const QList<quint64> primes{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47};
        for (quint64 n = 2; n < 50; ++n)
            QCOMPARE(smallestDivisor(n, {}) == 0, primes.contains(n));
        QCOMPARE(smallestDivisor(1000003ULL * 1000033ULL, {}), 1000003ULL); // two primes above a million
    }

    void allocHoldsMemoryUntilTheLemmaEnds()
    {
        std::vector<std::unique_ptr<char[]>> memory;
        StepEnvironment env;
        env.memory = &memory;
        QCOMPARE(runStep(QStringLiteral("alloc 4"), env), std::nullopt);
        QCOMPARE(runStep(QStringLiteral("alloc 2"), env), std::nullopt);
        QCOMPARE(memory.size(), size_t(2));
        QCOMPARE(memory[0][0], char(1));
        QCOMPARE(memory[0][(std::size_t(4) << 20) - 4096], char(1)); // the last page was touched too
    }

    void sayFeedback()
    {
        Drover::Testing::LocalContext context;
        const QCborValue answer = check(lemma(QStringLiteral("prime 5.\n  say hi there.\nsay. # says nothing")), context);
        QCOMPARE(answer[key("status")].toString(), QStringLiteral("ok"));
        const QList<QCborValue> feedback = context.feedback;
        QCOMPARE(feedback.size(), 2);
        QCOMPARE(feedback[0], QCborValue(QCborMap{{QStringLiteral("doc"), QStringLiteral("doc")},
                                                  {QStringLiteral("lemma"), QStringLiteral("l")},
                                                  {QStringLiteral("step"), 2},
                                                  {QStringLiteral("line"), 4},
                                                  {QStringLiteral("text"), QStringLiteral("hi there")}}));
        QCOMPARE(feedback[1][key("text")].toString(), QString());
    }

    void verboseOption_data()
    {
        QTest::addColumn<QList<QCborValue>>("forwarded");
        QTest::addColumn<QStringList>("feedback");
        const auto set = [](const char *doc, const char *value) {
            return optionBroadcast(QLatin1String(doc), {QStringLiteral("Verbose"), QLatin1String(value), 1});
        };
        const QStringList verbose{"hello", "step 1 holds", "step 2 holds"};
        const QStringList quiet{"hello"};
        QTest::newRow("unset") << QList<QCborValue>{} << quiet;
        QTest::newRow("on") << QList<QCborValue>{set("doc", "on")} << verbose;
        QTest::newRow("ON") << QList<QCborValue>{set("doc", "ON")} << verbose;
        QTest::newRow("true") << QList<QCborValue>{set("doc", "true")} << verbose;
        QTest::newRow("off") << QList<QCborValue>{set("doc", "off")} << quiet;
        QTest::newRow("latest wins") << QList<QCborValue>{set("doc", "on"), set("doc", "off")} << quiet;
        QTest::newRow("another document's") << QList<QCborValue>{set("other", "on")} << quiet;
        QTest::newRow("other options") << QList<QCborValue>{optionBroadcast(QStringLiteral("doc"), {QStringLiteral("Colour"), QStringLiteral("on"), 1}),
                                                            QCborValue(7)} << quiet;
    }
    void verboseOption()
    {
        QFETCH(QList<QCborValue>, forwarded);
        QFETCH(QStringList, feedback);
        Drover::Testing::LocalContext context;
        context.forwarded = forwarded;
        const QCborValue answer = check(lemma(QStringLiteral("say hello.\nprime 5.")), context);
        QCOMPARE(answer[key("status")].toString(), QStringLiteral("ok"));
        QCOMPARE(feedbackTexts(context), feedback);
    }

    void setVerboseThroughTheDocument()
    {
        // The way drover-check does it: every option of the document forwarded.
        const Document doc = parse(QStringLiteral("Set Verbose on.\n") + lemma(QStringLiteral("prime 3.")));
        Drover::Testing::LocalContext context;
        for (const Option &option : doc.options)
            context.forwarded << optionBroadcast(QStringLiteral("x.proof"), option);
        checkLemma(lemmaPayload(QStringLiteral("x.proof"), doc.lemmas.first(), false), context);
        QCOMPARE(feedbackTexts(context), QStringList{QStringLiteral("step 1 holds")});
    }

    void cancellationIsPrompt_data()
    {
        QTest::addColumn<QString>("step");
        QTest::newRow("spin") << "spin 60000.";
        QTest::newRow("sleep") << "sleep 60000.";
        QTest::newRow("prime") << "prime 18446744073709551557."; // the largest 64-bit prime: a minute of division
        QTest::newRow("alloc") << "alloc 16384.";                 // 16 GiB in 64 MB blocks, a few touched before the cancel
    }
    void cancellationIsPrompt()
    {
        QFETCH(QString, step);
        Drover::Testing::LocalContext context;
        QElapsedTimer sinceCancel;
        std::thread canceller([&] {
            std::this_thread::sleep_for(30ms);
            sinceCancel.start();
            context.cancel();
        });
        const QCborValue answer = check(lemma(QStringLiteral("prime 3.\n") + step + QStringLiteral("\nprime 5.")), context);
        const qint64 latency = sinceCancel.elapsed();
        canceller.join();
        QCOMPARE(answer[key("status")].toString(), QStringLiteral("cancelled"));
        QCOMPARE(answer[key("step")].toInteger(), 2);
        QCOMPARE(answer[key("checked")].toInteger(), 1);
        // Generous for a loaded machine, yet far below the seconds (alloc) or
        // the minute (the others) that the step takes when it is not stopped.
        QVERIFY2(latency < 1000, qPrintable(QStringLiteral("stopped %1 ms after the cancel").arg(latency)));
        qDebug("stopped %lld ms after the cancel", latency);
    }

    void cancelledBeforeTheFirstStep()
    {
        Drover::Testing::LocalContext context;
        context.cancel();
        const QCborValue answer = check(lemma(QStringLiteral("say never.")), context);
        QCOMPARE(answer[key("status")].toString(), QStringLiteral("cancelled"));
        QCOMPARE(answer[key("checked")].toInteger(), 0);
        QCOMPARE(context.feedback.size(), 0);
    }
};

QTEST_MAIN(tst_ProofLang)
#include "tst_prooflang.moc"
