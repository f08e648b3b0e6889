// The demo proof language's parser (docs/language.md): good documents, every
// parse error with its line and column, resynchronisation after a broken
// lemma, and query lines.

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

} // namespace

class tst_ProofLangParse : public QObject
{
    Q_OBJECT

private slots:
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
};

QTEST_MAIN(tst_ProofLangParse)
#include "tst_prooflangparse.moc"
