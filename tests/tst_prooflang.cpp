// The demo proof language (docs/language.md): parsing good documents, every
// parse error with its line and column, resynchronisation after a broken
// lemma; query lines; payloads, broadcasts, verdicts and query answers; and
// each step kind run in-process through a small WorkerContext (all but
// `crash` and `hang`, which end or block their process: drover-check's suite
// runs those in real workers).

#include "arithmetic.h"
#include "checker.h"
#include "prooflang.h"
#include "repair.h"
#include "steps.h"

#include <drover/taskkind.h>
#include <drover/workercontext.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QPluginLoader>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace ProofLang;
using namespace std::chrono_literals;

namespace {

QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

class FakeContext : public Drover::WorkerContext
{
public:
    void sendFeedback(const QCborValue &value) override
    {
        const std::lock_guard lock(m_mutex);
        m_feedback << value;
    }
    bool isCancelled() const override { return cancelled.load(); }
    QList<QCborValue> forwardedFeedback() const override { return forwarded; }
    int workerId() const override { return 1; }

    QList<QCborValue> feedback() const
    {
        const std::lock_guard lock(m_mutex);
        return m_feedback;
    }
    void clearFeedback()
    {
        const std::lock_guard lock(m_mutex);
        m_feedback.clear();
    }
    QStringList feedbackTexts() const
    {
        QStringList texts;
        for (const QCborValue &value : feedback())
            texts << value[key("text")].toString();
        return texts;
    }

    QList<QCborValue> forwarded;
    std::atomic<bool> cancelled{false};

private:
    mutable std::mutex m_mutex;
    QList<QCborValue> m_feedback;
};

// A document of one lemma `l` (Lemma on line 1, Proof. on 2, steps from 3).
QString lemma(const QString &steps)
{
    return QStringLiteral("Lemma l: s.\nProof.\n%1\nQed.\n").arg(steps);
}

// Checks the first lemma of a document as the `proof` worker would.
QCborValue check(const QString &document, FakeContext &context)
{
    const Document doc = parse(document);
    if (!doc.errors.isEmpty() || doc.lemmas.isEmpty())
        return QStringLiteral("parse error");
    return checkLemma(lemmaPayload(QStringLiteral("doc"), doc.lemmas.first(), false), context);
}

QStringList namesOf(const Document &doc)
{
    QStringList names;
    for (const Lemma &l : doc.lemmas)
        names << l.name;
    return names;
}

QString describe(const QList<ParseError> &errors)
{
    QStringList parts;
    for (const ParseError &e : errors)
        parts << QStringLiteral("%1:%2: %3").arg(e.line).arg(e.column).arg(e.message);
    return parts.join(QLatin1String(" | "));
}

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
    // ---- parsing ---------------------------------------------------------

    void parsesGoodDocument()
    {
        const Document doc = parse(QStringLiteral(
            "\xfeff# a comment after a byte-order mark\n"
            "Set Verbose on.   # trailing comment\n"
            "  Lemma first: one step: or two.\n"
            "Proof.\n"
            "    prime 7.\n"
            "  fib 10=55.\n"
            "Qed.\n"
            "\n"
            "Lemma second': say things.\r\n"
            "Proof.\r\n"
            "say hello, world. # not part of it\r\n"
            "\tprime\t11 .\r\n"
            "Qed.\r\n"
            "Lemma _empty: no steps at all.\n"
            "Proof.\n"
            "Qed.\n"
            "Set Colour  deep blue .\n"));
        QVERIFY2(doc.errors.isEmpty(), qPrintable(describe(doc.errors)));
        QCOMPARE(doc.options.size(), 2);
        QCOMPARE(doc.options[0].name, QStringLiteral("Verbose"));
        QCOMPARE(doc.options[0].value, QStringLiteral("on"));
        QCOMPARE(doc.options[0].line, 2);
        QCOMPARE(doc.options[1].name, QStringLiteral("Colour"));
        QCOMPARE(doc.options[1].value, QStringLiteral("deep blue"));
        QCOMPARE(namesOf(doc), (QStringList{"first", "second'", "_empty"}));

        const Lemma &first = doc.lemmas[0];
        QCOMPARE(first.statement, QStringLiteral("one step: or two"));
        QCOMPARE(first.line, 3);
        QCOMPARE(first.column, 3);
        QCOMPARE(first.endLine, 7);
        QCOMPARE(first.steps.size(), 2);
        QCOMPARE(first.steps[0].text, QStringLiteral("prime 7"));
        QCOMPARE(first.steps[0].number, 1);
        QCOMPARE(first.steps[0].line, 5);
        QCOMPARE(first.steps[0].column, 5);
        QCOMPARE(first.steps[1].text, QStringLiteral("fib 10=55"));
        QCOMPARE(first.steps[1].number, 2);
        QCOMPARE(first.steps[1].column, 3);

        const Lemma &second = doc.lemmas[1];
        QCOMPARE(second.steps.size(), 2);
        QCOMPARE(second.steps[0].text, QStringLiteral("say hello, world"));
        QCOMPARE(second.steps[0].number, 1); // numbering starts again in each proof
        QCOMPARE(second.steps[1].text, QStringLiteral("prime\t11"));
        QCOMPARE(second.steps[1].column, 2);
        QCOMPARE(doc.lemmas[2].steps.size(), 0);
        QCOMPARE(doc.lemmas[2].endLine, 16);
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("document");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");  // how the message starts
        const QString good = QStringLiteral("Lemma good: g.\nProof.\nprime 3.\nQed.\n");
        const auto broken = [&good](const char *steps) {
            return QStringLiteral("Lemma a: x.\nProof.\n%1\nQed.\n").arg(QLatin1String(steps)) + good;
        };

        // Steps.
        QTest::newRow("unknown step") << broken("  frob 3.") << 3 << 3 << "unknown step `frob`: expected prime, fib";
        QTest::newRow("keywords are lower case") << broken("Prime 3.") << 3 << 1 << "unknown step `Prime`";
        QTest::newRow("empty step") << broken("  .") << 3 << 3 << "a step is missing before `.`";
        QTest::newRow("prime of a word") << broken("prime seven.") << 3 << 7 << "malformed `prime` step: expected `prime N.`";
        QTest::newRow("prime of nothing") << broken("prime.") << 3 << 6 << "malformed `prime` step";
        QTest::newRow("fib without =") << broken("fib 3 4.") << 3 << 5 << "malformed `fib` step: expected `fib K = V.`";
        QTest::newRow("fib of nothing") << broken("fib .") << 3 << 4 << "malformed `fib` step";
        QTest::newRow("negative number") << broken("sleep -5.") << 3 << 7 << "malformed `sleep` step: expected `sleep MS.`";
        QTest::newRow("fraction") << broken("spin 1.5.") << 3 << 6 << "malformed `spin` step";
        QTest::newRow("alloc of a word") << broken("alloc lots.") << 3 << 7 << "malformed `alloc` step: expected `alloc MB.`";
        QTest::newRow("other script's digits") << broken("prime \u0667.") << 3 << 7 << "malformed `prime` step";
        QTest::newRow("crash with an argument") << broken("crash now.") << 3 << 7 << "malformed `crash` step: expected `crash.`";
        QTest::newRow("hang with an argument") << broken("hang 5.") << 3 << 6 << "malformed `hang` step";
        QTest::newRow("two steps on a line") << broken("prime 3. prime 5.") << 3 << 7 << "malformed `prime` step";
        QTest::newRow("step without dot") << broken("prime 3") << 3 << 8 << "a step ends with `.`";
        QTest::newRow("par of a word") << broken("par prime 1..x.") << 3 << 5 << "malformed `par` step: expected `par prime A..B = N.`";
        QTest::newRow("par of another kind") << broken("par fib 1..3.") << 3 << 5 << "malformed `par` step";
        QTest::newRow("par with one dot") << broken("par prime 1.3.") << 3 << 5 << "malformed `par` step";
        QTest::newRow("Qed without dot") << QStringLiteral("Lemma a: x.\nProof.\nprime 3.\nQed\n") + good
                                         << 4 << 4 << "a step ends with `.`";
        QTest::newRow("Proof twice") << broken("Proof.") << 3 << 1 << "`Proof.` twice in a";

        // The frame of a lemma.
        QTest::newRow("missing Proof") << QStringLiteral("Lemma a: x.\nprime 3.\nQed.\n") + good
                                       << 2 << 1 << "expected `Proof.` after the statement of a";
        QTest::newRow("missing Proof before Qed") << QStringLiteral("Lemma a: x.\nQed.\n") + good
                                                  << 2 << 1 << "expected `Proof.` after the statement of a";
        QTest::newRow("missing Qed at the end") << good + QStringLiteral("Lemma a: x.\nProof.\nprime 3.\n")
                                                << 5 << 1 << "lemma a is not closed with `Qed.`";
        QTest::newRow("missing Qed before the next lemma") << QStringLiteral("  Lemma a: x.\nProof.\nprime 3.\n") + good
                                                           << 1 << 3 << "lemma a is not closed with `Qed.`";
        QTest::newRow("missing Proof and Qed at the end") << good + QStringLiteral("Lemma a: x.\n")
                                                          << 5 << 1 << "lemma a is not closed with `Qed.`";

        // The `Lemma` line.
        QTest::newRow("lemma without name") << QStringLiteral("Lemma : x.\nProof.\nQed.\n") + good
                                            << 1 << 7 << "a lemma without a name";
        QTest::newRow("lemma without name or space") << QStringLiteral("Lemma: x.\nProof.\nQed.\n") + good
                                                     << 1 << 6 << "a lemma without a name";
        QTest::newRow("lemma with nothing") << QStringLiteral("Lemma\nProof.\nQed.\n") + good
                                            << 1 << 6 << "a lemma without a name";
        QTest::newRow("name starting with a digit") << QStringLiteral("Lemma 1st: x.\nProof.\nQed.\n") + good
                                                    << 1 << 7 << "a lemma name starts with a letter or `_`";
        QTest::newRow("missing colon") << QStringLiteral("   Lemma a x.\nProof.\nQed.\n") + good
                                       << 1 << 12 << "expected `:` after the lemma name a";
        QTest::newRow("name with a dash") << QStringLiteral("Lemma a-b: x.\nProof.\nQed.\n") + good
                                          << 1 << 8 << "expected `:` after the lemma name a";
        QTest::newRow("statement without dot") << QStringLiteral("Lemma a: x\nProof.\nQed.\n") + good
                                               << 1 << 11 << "the statement of a ends with `.`";
        QTest::newRow("duplicate name") << good + QStringLiteral("\n") + good
                                        << 6 << 7 << "lemma good is defined twice";

        // Outside lemmas.
        QTest::newRow("text outside a lemma") << QStringLiteral("prime 3.\n") + good
                                              << 1 << 1 << "text outside a lemma: expected `Lemma NAME: statement.` or `Set NAME VALUE.`";
        QTest::newRow("Qed outside a lemma") << good + QStringLiteral(" Qed.\n") << 5 << 2 << "`Qed.` outside a lemma";
        QTest::newRow("Proof outside a lemma") << QStringLiteral("Proof.\n") + good << 1 << 1 << "`Proof.` outside a lemma";
        QTest::newRow("Lemma as part of a word") << QStringLiteral("Lemmas: x.\n") + good << 1 << 1 << "text outside a lemma";

        // The `Set` line.
        QTest::newRow("Set without value") << QStringLiteral("Set Verbose.\n") + good
                                           << 1 << 12 << "option Verbose has no value: expected `Set NAME VALUE.`";
        QTest::newRow("Set without name") << QStringLiteral("Set .\n") + good
                                          << 1 << 5 << "an option without a name";
        QTest::newRow("Set without dot") << QStringLiteral("  Set Verbose on\n") + good
                                         << 1 << 17 << "`Set NAME VALUE` ends with `.`";

        // Queries (`Eval EXPR.`, `Search WORD.`).
        QTest::newRow("Eval without expression") << QStringLiteral("Eval.\n") + good
                                                 << 1 << 5 << "an `Eval` without an expression: expected `Eval fib K.` or `Eval prime N.`";
        QTest::newRow("Eval of an unknown function") << QStringLiteral("Eval frob 3.\n") + good
                                                     << 1 << 6 << "unknown `Eval` expression `frob`: expected `Eval fib K.`";
        QTest::newRow("Eval fib of a word") << QStringLiteral("Eval fib x.\n") + good
                                            << 1 << 10 << "malformed `Eval fib` query: expected `Eval fib K.` or `Eval prime N.`";
        QTest::newRow("Eval prime of nothing") << QStringLiteral("  Eval prime.\n") + good
                                               << 1 << 13 << "malformed `Eval prime` query";
        QTest::newRow("Eval of two numbers") << QStringLiteral("Eval fib 1 2.\n") + good
                                             << 1 << 12 << "malformed `Eval fib` query";
        QTest::newRow("Eval of a fraction") << QStringLiteral("Eval prime 1.5.\n") + good
                                            << 1 << 12 << "malformed `Eval prime` query";
        QTest::newRow("Eval of other script's digits") << QStringLiteral("Eval prime \u0667.\n") + good
                                                       << 1 << 12 << "malformed `Eval prime` query";
        QTest::newRow("Eval fib = V") << QStringLiteral("Eval fib 3 = 2.\n") + good
                                      << 1 << 12 << "malformed `Eval fib` query";
        QTest::newRow("Eval without dot") << QStringLiteral("Eval fib 3\n") + good << 1 << 11 << "a query ends with `.`";
        QTest::newRow("Search without word") << QStringLiteral("Search.\n") + good
                                             << 1 << 7 << "a `Search` without a word: expected `Search WORD.`";
        QTest::newRow("Search of two words") << QStringLiteral("\tSearch a  b.\n") + good
                                             << 1 << 12 << "a `Search` takes one word: expected `Search WORD.`";
        QTest::newRow("Search without dot") << QStringLiteral("Search prime\n") + good << 1 << 13 << "a query ends with `.`";
        QTest::newRow("Eval as part of a word") << QStringLiteral("Evaluate fib 3.\n") + good
                                                << 1 << 1 << "text outside a lemma: expected `Lemma NAME: statement.` or `Set NAME VALUE.` (or a query: `Eval EXPR.`, `Search WORD.`)";
        QTest::newRow("eval in lower case") << QStringLiteral("eval fib 3.\n") + good << 1 << 1 << "text outside a lemma";
        QTest::newRow("Eval inside a proof") << broken("Eval fib 3.") << 3 << 1 << "unknown step `Eval`";
    }
    void parseErrors()
    {
        QFETCH(QString, document);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const Document doc = parse(document);
        QVERIFY2(doc.errors.size() == 1, qPrintable(describe(doc.errors)));
        QCOMPARE(doc.errors.first().line, line);
        QCOMPARE(doc.errors.first().column, column);
        QVERIFY2(doc.errors.first().message.startsWith(message), qPrintable(doc.errors.first().message));
        // The broken lemma is left out; the good one still parses.
        QCOMPARE(namesOf(doc), QStringList{QStringLiteral("good")});
        QCOMPARE(doc.lemmas.first().steps.size(), 1);
    }

    // Queries stand outside lemmas, anywhere, in document order.
    void parsesQueries()
    {
        const Document doc = parse(QStringLiteral(
            "Eval fib 90.\n"                 // 1
            "Lemma a: x.\nProof.\n  prime 3.\nQed.\n"
            "  Search   prime .  # a comment\n" // 6
            "Set Base hex.\n"
            "\tEval  prime\t91.\n"            // 8
            "Search fib_1.5.\n"));           // 9
        QVERIFY2(doc.errors.isEmpty(), qPrintable(describe(doc.errors)));
        QCOMPARE(namesOf(doc), QStringList{QStringLiteral("a")});
        QCOMPARE(doc.options.size(), 1);
        QCOMPARE(doc.queries.size(), 4);
        QCOMPARE(doc.queries[0].text, QStringLiteral("Eval fib 90"));
        QCOMPARE(doc.queries[0].line, 1);
        QCOMPARE(doc.queries[0].column, 1);
        QCOMPARE(doc.queries[1].text, QStringLiteral("Search   prime"));
        QCOMPARE(doc.queries[1].line, 6);
        QCOMPARE(doc.queries[1].column, 3);
        QCOMPARE(doc.queries[2].text, QStringLiteral("Eval  prime\t91"));
        QCOMPARE(doc.queries[2].line, 8);
        QCOMPARE(doc.queries[2].column, 2);
        QCOMPARE(doc.queries[3].text, QStringLiteral("Search fib_1.5"));
    }

    void resynchronisesAfterBrokenLemmas()
    {
        const Document doc = parse(QStringLiteral(
            "Lemma one: fine.\n"          // 1
            "Proof.\n"
            "  prime 2.\n"
            "Qed.\n"
            "Lemma two: broken early.\n"  // 5
            "Proof.\n"
            "  frob.\n"                   // 7: reported; the rest of two is skipped
            "  fail never reported.\n"
            "  nonsense that is skipped\n"
            "Qed.\n"                      // 10
            "Set Verbose on.\n"           // 11: still an option
            "Lemma three: no Qed.\n"      // 12
            "Proof.\n"
            "  prime 3.\n"
            "Lemma four: fine again.\n"   // 15
            "Proof.\n"
            "  prime 5.\n"
            "  prime 7.\n"
            "Qed.\n"
            "stray words\n"               // 20
            "Lemma five: no Proof.\n"     // 21
            "Qed.\n"                      // 22
            "Lemma six: last.\n"
            "Proof.\n"
            "  fib 1 = 1.\n"
            "Qed.\n"));
        QCOMPARE(namesOf(doc), (QStringList{"one", "four", "six"}));
        QCOMPARE(doc.lemmas[1].steps.size(), 2);
        QCOMPARE(doc.lemmas[1].steps[1].number, 2);
        QCOMPARE(doc.lemmas[1].steps[1].line, 18);
        QCOMPARE(doc.options.size(), 1);
        QCOMPARE(doc.options.first().line, 11);
        QList<int> lines;
        for (const ParseError &e : doc.errors)
            lines << e.line;
        QCOMPARE(lines, (QList<int>{7, 12, 20, 22}));
    }

    // ---- payloads, broadcasts, verdicts ----------------------------------

    void payloadRoundTrip_data()
    {
        QTest::addColumn<bool>("persistent");
        QTest::newRow("fresh") << false;
        QTest::newRow("persistent") << true;
    }
    void payloadRoundTrip()
    {
        QFETCH(bool, persistent);
        const Document doc = parse(QStringLiteral("Lemma l: s.\nProof.\n  prime 3.\n    fib 1 = 1.\nQed.\n"));
        const QCborValue built = lemmaPayload(QStringLiteral("d.proof"), doc.lemmas.first(), persistent);
        const QCborValue payload = QCborValue::fromCbor(built.toCbor()); // as it crosses the wire
        QCOMPARE(payload, built);
        QCOMPARE(payload[key("doc")].toString(), QStringLiteral("d.proof"));
        QCOMPARE(payload[key("lemma")].toString(), QStringLiteral("l"));
        QCOMPARE(payload[key("line")].toInteger(), 1);
        QCOMPARE(payload[key("persistent")].toBool(), persistent);
        const QCborArray steps = payload[key("steps")].toArray();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps[1][key("number")].toInteger(), 2);
        QCOMPARE(steps[1][key("line")].toInteger(), 4);
        QCOMPARE(steps[1][key("column")].toInteger(), 5);
        QCOMPARE(steps[1][key("text")].toString(), QStringLiteral("fib 1 = 1"));

        FakeContext context;
        QCOMPARE(verdictOf(checkLemma(payload, context)).ok, true);
    }

    void optionBroadcastFields()
    {
        const QCborValue option = optionBroadcast(QStringLiteral("d.proof"), {QStringLiteral("Verbose"), QStringLiteral("on"), 3});
        QCOMPARE(option, QCborValue(QCborMap{{QStringLiteral("doc"), QStringLiteral("d.proof")},
                                             {QStringLiteral("name"), QStringLiteral("Verbose")},
                                             {QStringLiteral("value"), QStringLiteral("on")}}));
    }

    void queryPayloadFields()
    {
        const QCborValue payload = queryPayload(QStringLiteral("d.proof"), {QStringLiteral("Eval fib 9"), 4, 3});
        QCOMPARE(payload, QCborValue(QCborMap{{QStringLiteral("doc"), QStringLiteral("d.proof")},
                                              {QStringLiteral("line"), 4},
                                              {QStringLiteral("column"), 3},
                                              {QStringLiteral("text"), QStringLiteral("Eval fib 9")}}));
    }

    // The index holds the lemmas that parsed, in document order.
    void indexBroadcastFields()
    {
        const Document doc = parse(QStringLiteral("Lemma a: first one.\nProof.\nQed.\n"
                                                  "Lemma broken: x.\nProof.\nfrob.\nQed.\n"
                                                  "Lemma b: second.\nProof.\nQed.\n"));
        const QCborValue index = indexBroadcast(QStringLiteral("d.proof"), doc);
        QCOMPARE(index[key("doc")].toString(), QStringLiteral("d.proof"));
        const QCborArray entries = index[key("index")].toArray();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0], QCborValue(QCborMap{{QStringLiteral("lemma"), QStringLiteral("a")},
                                                 {QStringLiteral("statement"), QStringLiteral("first one")},
                                                 {QStringLiteral("line"), 1}}));
        QCOMPARE(entries[1][key("lemma")].toString(), QStringLiteral("b"));
        QCOMPARE(entries[1][key("line")].toInteger(), 8);
    }

    void queryAnswers_data()
    {
        QTest::addColumn<QCborValue>("response");
        QTest::addColumn<bool>("answered");
        QTest::addColumn<QString>("text");  // the answer, or how the message starts
        const auto map = [](std::initializer_list<std::pair<const char *, QCborValue>> items) {
            QCborMap m;
            for (const auto &[k, v] : items)
                m.insert(QLatin1String(k), v);
            return QCborValue(m);
        };
        QTest::newRow("answered") << map({{"status", "answered"}, {"answer", "97 is prime"}, {"worker", 2}}) << true
                                  << "97 is prime";
        QTest::newRow("error") << map({{"status", "error"}, {"message", "too big"}}) << false << "too big";
        QTest::newRow("cancelled") << map({{"status", "cancelled"}}) << false << "cancelled";
        QTest::newRow("not a map") << QCborValue(42) << false << "malformed answer from the query worker: 42";
        QTest::newRow("answer without text") << map({{"status", "answered"}}) << false << "malformed answer from the query worker";
        QTest::newRow("error without message") << map({{"status", "error"}}) << false << "malformed answer from the query worker";
        QTest::newRow("unknown status") << map({{"status", "ok"}, {"answer", "x"}}) << false
                                        << "malformed answer from the query worker";
    }
    void queryAnswers()
    {
        QFETCH(QCborValue, response);
        QFETCH(bool, answered);
        QFETCH(QString, text);
        const QueryAnswer answer = queryAnswerOf(response);
        QCOMPARE(answer.answered, answered);
        if (answered) {
            QCOMPARE(answer.answer, text);
            QVERIFY(answer.message.isEmpty());
        } else {
            QVERIFY2(answer.message.startsWith(text), qPrintable(answer.message));
            QVERIFY(answer.answer.isEmpty());
        }
    }

    void verdicts_data()
    {
        QTest::addColumn<QCborValue>("response");
        QTest::addColumn<QString>("status");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("step");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("checked");
        QTest::addColumn<QString>("message");  // how it starts
        const auto map = [](std::initializer_list<std::pair<const char *, QCborValue>> items) {
            QCborMap m;
            for (const auto &[k, v] : items)
                m.insert(QLatin1String(k), v);
            return QCborValue(m);
        };
        QTest::newRow("ok") << map({{"status", "ok"}, {"checked", 3}}) << "ok" << true << 0 << 0 << 3 << "";
        QTest::newRow("bare ok") << map({{"status", "ok"}}) << "ok" << true << 0 << 0 << 0 << "";
        QTest::newRow("error") << map({{"status", "error"}, {"step", 2}, {"line", 9}, {"message", "no"}, {"checked", 1}})
                               << "error" << false << 2 << 9 << 1 << "no";
        QTest::newRow("cancelled") << map({{"status", "cancelled"}, {"step", 4}, {"checked", 3}})
                                   << "cancelled" << false << 0 << 0 << 3 << "cancelled";
        QTest::newRow("not a map") << QCborValue(42) << "error" << false << 0 << 0 << 0
                                   << "malformed answer from the proof worker (not a map)";
        QTest::newRow("no status") << map({{"step", 1}}) << "error" << false << 0 << 0 << 0
                                   << "malformed answer from the proof worker (unknown status)";
        QTest::newRow("unknown status") << map({{"status", "maybe"}}) << "error" << false << 0 << 0 << 0
                                        << "malformed answer from the proof worker (unknown status)";
        QTest::newRow("error without message") << map({{"status", "error"}, {"step", 1}}) << "error" << false << 0 << 0 << 0
                                               << "malformed answer from the proof worker (an error without a message)";
    }
    void verdicts()
    {
        QFETCH(QCborValue, response);
        QFETCH(QString, status);
        QFETCH(bool, ok);
        QFETCH(int, step);
        QFETCH(int, line);
        QFETCH(int, checked);
        QFETCH(QString, message);
        const Verdict v = verdictOf(response);
        QCOMPARE(v.status, status);
        QCOMPARE(v.ok, ok);
        QCOMPARE(v.step, step);
        QCOMPARE(v.line, line);
        QCOMPARE(v.checked, checked);
        if (message.isEmpty())
            QVERIFY2(v.message.isEmpty(), qPrintable(v.message));
        else
            QVERIFY2(v.message.startsWith(message), qPrintable(v.message));
    }

    void checkerAnswersAsVerdictsRead()
    {
        FakeContext context;
        const QCborValue answer = check(lemma(QStringLiteral("prime 3.\n   fib 10 = 56.\nprime 5.")), context);
        const Verdict v = verdictOf(answer);
        QCOMPARE(v.status, QStringLiteral("error"));
        QCOMPARE(v.step, 2);
        QCOMPARE(v.line, 4);
        QCOMPARE(v.column, 4);
        QCOMPARE(v.checked, 1);
        QCOMPARE(v.message, QStringLiteral("Fib(10) mod 2^64 is 55, not 56"));
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QCborValue>("request");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a map") << QCborValue(QStringLiteral("prime 3")) << "malformed proof request: the request is not a map";
        QTest::newRow("no steps") << QCborValue(QCborMap{{QStringLiteral("lemma"), QStringLiteral("l")}})
                                  << "malformed proof request: the request has no array of steps";
        QTest::newRow("step without text")
            << QCborValue(QCborMap{{QStringLiteral("steps"), QCborArray{QCborMap{{QStringLiteral("number"), 1}}}}})
            << "malformed proof request: a step of the request has no text";
    }
    void malformedRequests()
    {
        QFETCH(QCborValue, request);
        QFETCH(QString, message);
        FakeContext context;
        const Verdict v = verdictOf(checkLemma(request, context));
        QCOMPARE(v.status, QStringLiteral("error"));
        QCOMPARE(v.step, 0);
        QCOMPARE(v.message, message);
    }

    void requestNotFromTheParser()
    {
        // The worker checks the shape of each step again: a front end other
        // than ours may send anything.
        const QCborMap request{{QStringLiteral("doc"), QStringLiteral("d")},
                               {QStringLiteral("lemma"), QStringLiteral("l")},
                               {QStringLiteral("steps"), QCborArray{QCborMap{{QStringLiteral("text"), QStringLiteral("prime 3")}},
                                                                    QCborMap{{QStringLiteral("text"), QStringLiteral("prime")}}}}};
        FakeContext context;
        const Verdict v = verdictOf(checkLemma(request, context));
        QCOMPARE(v.step, 2); // numbered by position when the request does not say
        QCOMPARE(v.message, QStringLiteral("malformed `prime` step: expected `prime N.`"));
    }

    // ---- the steps -------------------------------------------------------

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
              QStringLiteral("par prime 1..10 could not be checked: this context cannot reach a master"));

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
        FakeContext context;
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
        FakeContext context;
        const QCborValue answer = check(lemma(QStringLiteral("prime 5.\n  say hi there.\nsay. # says nothing")), context);
        QCOMPARE(answer[key("status")].toString(), QStringLiteral("ok"));
        const QList<QCborValue> feedback = context.feedback();
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
        FakeContext context;
        context.forwarded = forwarded;
        const QCborValue answer = check(lemma(QStringLiteral("say hello.\nprime 5.")), context);
        QCOMPARE(answer[key("status")].toString(), QStringLiteral("ok"));
        QCOMPARE(context.feedbackTexts(), feedback);
    }

    void setVerboseThroughTheDocument()
    {
        // The way drover-check does it: every option of the document forwarded.
        const Document doc = parse(QStringLiteral("Set Verbose on.\n") + lemma(QStringLiteral("prime 3.")));
        FakeContext context;
        for (const Option &option : doc.options)
            context.forwarded << optionBroadcast(QStringLiteral("x.proof"), option);
        checkLemma(lemmaPayload(QStringLiteral("x.proof"), doc.lemmas.first(), false), context);
        QCOMPARE(context.feedbackTexts(), QStringList{QStringLiteral("step 1 holds")});
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
        FakeContext context;
        QElapsedTimer sinceCancel;
        std::thread canceller([&] {
            std::this_thread::sleep_for(30ms);
            sinceCancel.start();
            context.cancelled = true;
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
        FakeContext context;
        context.cancelled = true;
        const QCborValue answer = check(lemma(QStringLiteral("say never.")), context);
        QCOMPARE(answer[key("status")].toString(), QStringLiteral("cancelled"));
        QCOMPARE(answer[key("checked")].toInteger(), 0);
        QCOMPARE(context.feedback().size(), 0);
    }

    // ---- the plugin itself -----------------------------------------------

#ifdef DROVER_PROOF_PLUGIN
    void plugin()
    {
        QPluginLoader loader(QStringLiteral(DROVER_PROOF_PLUGIN));
        const QJsonObject meta = loader.metaData().value(QLatin1String("MetaData")).toObject();
        QCOMPARE(meta.value(QLatin1String("kind")).toString(), QStringLiteral("proof"));
        QCOMPARE(meta.value(QLatin1String("apiVersion")).toInt(), Drover::PluginApiVersion);
        QCOMPARE(loader.metaData().value(QLatin1String("IID")).toString(), QStringLiteral(DROVER_TASKKIND_IID));
        auto *kind = qobject_cast<Drover::TaskKind *>(loader.instance());
        QVERIFY2(kind, qPrintable(loader.errorString()));

        const Document doc = parse(lemma(QStringLiteral("prime 3.\nprime 5.\nfib 3 = 3.\nprime 7.")));
        Drover::Task task;
        task.payload = lemmaPayload(QStringLiteral("d"), doc.lemmas.first(), false);
        const Drover::WorkerStatus fresh = Drover::WorkerStatus::makeFresh();
        QCOMPARE(kind->requestOfTask(fresh, task), std::optional<QCborValue>(task.payload));

        FakeContext context;
        const QCborValue response = kind->perform(task.payload, context);
        QCOMPARE(verdictOf(response).step, 3);
        QCOMPARE(verdictOf(response).from, 1);

        // A failure after steps that held: the worker stays for a repair of
        // this lemma only, and a follow-up task asks it to hold them.
        const Drover::Decision repair = kind->useResponse(fresh, task, response);
        QVERIFY(repair.stay);
        QCOMPARE(repair.competence[key("repairOnly")].toBool(), true);
        QCOMPARE(repair.newTasks.size(), 1);
        const Drover::Task follow = repair.newTasks.first();
        QVERIFY(isHoldRequest(follow.payload));
        QCOMPARE(follow.payload[key("checked")].toInteger(), 2);
        const Drover::WorkerStatus holder = Drover::WorkerStatus::makeOld(repair.competence);
        QVERIFY(kind->taskMatch(holder, follow));
        QVERIFY(kind->taskMatch(holder, task));
        Drover::Task other;
        other.payload = lemmaPayload(QStringLiteral("d"), parse(QStringLiteral("Lemma m: s.\nProof.\nQed.\n")).lemmas.first(), false);
        QVERIFY(!kind->taskMatch(holder, other)); // a repair holder takes its lemma only
        QVERIFY(!kind->requestOfTask(fresh, follow)); // a hold whose worker is gone is obsolete
        const QCborValue held = kind->perform(*kind->requestOfTask(holder, follow), context);
        QCOMPARE(held[key("status")].toString(), QStringLiteral("holding"));
        QVERIFY(kind->useResponse(holder, follow, held).stay);

        // The edited lemma resumes after the two steps that held.
        Drover::Task edited = task;
        edited.payload = lemmaPayload(QStringLiteral("d"),
                                      parse(lemma(QStringLiteral("prime 3.\nprime 5.\nfib 4 = 3.\nprime 7."))).lemmas.first(),
                                      false);
        const std::optional<QCborValue> resumed = kind->requestOfTask(holder, edited);
        QVERIFY(resumed);
        QCOMPARE(resumed->toMap().value(key("steps")).toArray().size(), 2);
        context.clearFeedback();
        const Verdict verdict = verdictOf(kind->perform(*resumed, context));
        QVERIFY2(verdict.ok, qPrintable(verdict.message));
        QCOMPARE(verdict.from, 3);
        QCOMPARE(verdict.checked, 4);
        QCOMPARE(context.feedback().first()[key("text")].toString(), QStringLiteral("resuming from step 3"));

        // A failure at the first step leaves nothing to hold: a fresh worker next.
        Drover::Task first;
        first.payload = lemmaPayload(QStringLiteral("d"), parse(lemma(QStringLiteral("prime 4.")))
                                                               .lemmas.first(), false);
        QVERIFY(!kind->useResponse(fresh, first, kind->perform(first.payload, context)).stay);

        task.payload = lemmaPayload(QStringLiteral("d"), doc.lemmas.first(), true);
        const Drover::Decision decision = kind->useResponse(fresh, task, response);
        QVERIFY(decision.stay);
        QVERIFY(decision.newTasks.isEmpty()); // a persistent worker takes any lemma
        QCOMPARE(decision.competence[key("doc")].toString(), QStringLiteral("d"));
        QCOMPARE(decision.competence[key("lemma")].toString(), QStringLiteral("l"));
        QCOMPARE(decision.competence[key("status")].toString(), QStringLiteral("error"));
        QCOMPARE(decision.competence[key("checked")].toInteger(), 2);
        QCOMPARE(decision.competence[key("prefix")],
                 QCborValue(QCborArray{QStringLiteral("prime 3"), QStringLiteral("prime 5")}));
    }
#endif
};

QTEST_MAIN(tst_ProofLang)
#include "tst_prooflang.moc"
