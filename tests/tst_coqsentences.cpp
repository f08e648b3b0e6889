// CoqLib::splitCoqSentences() against coqc itself: real library files and
// hand-written snippets are compiled with `coqc -time`, which names every
// sentence it runs by its byte range, and the splitter must find the same
// ranges, sentence for sentence. Rows that need coqc are skipped without it.

#include "coqsentences.h"
#include "coqtextpositions.h"
#include "support/coqtime.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using CoqLib::CoqSentence;
using CoqLib::CoqSentenceSplit;

namespace {

//! The kind coqc's abbreviated text of a sentence implies.
CoqSentence::Kind kindOfText(const QString &text)
{
    static const QRegularExpression bullet(QStringLiteral("^(-+|\\++|\\*+)$"));
    if (bullet.match(text).hasMatch())
        return CoqSentence::Kind::Bullet;
    if (text == QLatin1String("}"))
        return CoqSentence::Kind::CloseBrace;
    if (text.endsWith(QLatin1Char('{')))
        return CoqSentence::Kind::OpenBrace;
    return CoqSentence::Kind::Command;
}

QString describe(const QByteArray &source, const CoqSentence &s)
{
    return QStringLiteral("%1-%2 [%3]").arg(s.start).arg(s.end).arg(QString::fromUtf8(s.text(source).left(60)));
}

//! Compares the split with what coqc ran: ranges and kinds, in order.
void compareWithCoqc(const QByteArray &source, const QList<CoqSentence> &mine, const TestSupport::CoqTimeRun &coqc)
{
    const qsizetype common = std::min(mine.size(), coqc.sentences.size());
    for (qsizetype i = 0; i < common; ++i) {
        const auto &theirs = coqc.sentences.at(i);
        if (mine.at(i).start != theirs.start || mine.at(i).end != theirs.end) {
            QFAIL(qPrintable(QStringLiteral("sentence %1: coqc has %2-%3 [%4], the splitter %5")
                                 .arg(i).arg(theirs.start).arg(theirs.end).arg(theirs.text)
                                 .arg(describe(source, mine.at(i)))));
        }
        QCOMPARE(mine.at(i).kind, kindOfText(theirs.text));
    }
    QCOMPARE(mine.size(), coqc.sentences.size());
}

//! Lines and byte columns counted another way than CoqTextPositions does.
void checkPlaces(const QByteArray &source, const CoqSentence &s)
{
    auto place = [&](qsizetype offset) {
        const QByteArray before = source.left(offset);
        return std::pair<int, int>(int(before.count('\n')) + 1, int(offset - (before.lastIndexOf('\n') + 1)));
    };
    QCOMPARE(std::pair(s.line, s.column), place(s.start));
    QCOMPARE(std::pair(s.endLine, s.endColumn), place(s.end));
}

} // namespace

class TestCoqSentences : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void realFiles_data();
    void realFiles();
    void snippets_data();
    void snippets();
    void utf16Columns();

private:
    QString m_coqLib;
};

void TestCoqSentences::initTestCase()
{
    if (!TestSupport::coqcProgram().isEmpty())
        m_coqLib = TestSupport::coqLibraryDir();
}

void TestCoqSentences::realFiles_data()
{
    QTest::addColumn<QString>("path"); // under `coqc -where`
    QTest::addColumn<int>("atLeast");  // sentences coqc must have run, so that a row cannot pass empty
    QTest::newRow("stdlib Arith/Cantor") << QStringLiteral("theories/Arith/Cantor.v") << 40;
    QTest::newRow("stdlib Arith/PeanoNat") << QStringLiteral("theories/Arith/PeanoNat.v") << 1000;
    QTest::newRow("stdlib Strings/String") << QStringLiteral("theories/Strings/String.v") << 200;
    QTest::newRow("stdlib Lists/List") << QStringLiteral("theories/Lists/List.v") << 2000;
    QTest::newRow("stdpp base") << QStringLiteral("user-contrib/stdpp/base.v") << 1000;
    QTest::newRow("stdpp decidable") << QStringLiteral("user-contrib/stdpp/decidable.v") << 200;
    QTest::newRow("stdpp tactics") << QStringLiteral("user-contrib/stdpp/tactics.v") << 100;
    QTest::newRow("stdpp option") << QStringLiteral("user-contrib/stdpp/option.v") << 300;
}

void TestCoqSentences::realFiles()
{
    QFETCH(QString, path);
    QFETCH(int, atLeast);
    if (m_coqLib.isEmpty())
        QSKIP("coqc is not installed");
    const QString original = QDir(m_coqLib).filePath(path);
    if (!QFile::exists(original))
        QSKIP(qPrintable(QStringLiteral("%1 is not installed").arg(original)));
    const QByteArray source = TestSupport::readAll(original);
    QVERIFY(!source.isEmpty());
    const TestSupport::CoqTimeRun coqc = TestSupport::runCoqTimeOn(source, QFileInfo(path).fileName());
    QVERIFY2(coqc.compiled, qPrintable(coqc.output.right(2000)));
    QVERIFY2(coqc.sentences.size() >= atLeast, qPrintable(QString::number(coqc.sentences.size())));

    const CoqSentenceSplit split = CoqLib::splitCoqSentences(source);
    QVERIFY2(split.error == CoqSentenceSplit::Error::None, qPrintable(split.errorString()));
    compareWithCoqc(source, split.sentences, coqc);
    for (const CoqSentence &s : split.sentences)
        checkPlaces(source, s);
}

void TestCoqSentences::snippets_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QStringList>("texts"); // the sentences, as written
    QTest::addColumn<int>("error");         // CoqSentenceSplit::Error
    QTest::addColumn<int>("errorLine");
    QTest::addColumn<int>("errorColumn");

    const int none = int(CoqSentenceSplit::Error::None);
    const QByteArray lemma2 = "Lemma two : True /\\ True.\nProof.\n  split.\n";
    QTest::newRow("nested comments, strings with *) in them")
        << QByteArray("(* a (* b \"*)\" *) c *)\nDefinition x := 1.\n(* \"(*\" *)Ltac y := idtac \"(* no *)\".\n")
        << QStringList{"Definition x := 1.", "Ltac y := idtac \"(* no *)\"."} << none << 0 << 0;
    QTest::newRow("doubled quote in a string")
        << QByteArray("Ltac s := idtac \"a \"\". b\".\nPrint Ltac s.\n")
        << QStringList{"Ltac s := idtac \"a \"\". b\".", "Print Ltac s."} << none << 0 << 0;
    QTest::newRow(".. in a recursive notation")
        << QByteArray("Notation \"<< x ; .. ; y >>\" := (cons x .. (cons y nil) ..).\nCheck << 1 ; 2 >>.\n")
        << QStringList{"Notation \"<< x ; .. ; y >>\" := (cons x .. (cons y nil) ..).", "Check << 1 ; 2 >>."}
        << none << 0 << 0;
    QTest::newRow("qualified names and numbers")
        << QByteArray("Check Nat.add.\nCheck Coq.Init.Nat.add 1 2.\nDefinition n := 3.\nRequire Import QArith.\nCheck 1.5%Q.\n")
        << QStringList{"Check Nat.add.", "Check Coq.Init.Nat.add 1 2.", "Definition n := 3.", "Require Import QArith.",
                       "Check 1.5%Q."}
        << none << 0 << 0;
    QTest::newRow("final . without a newline")
        << QByteArray("Definition x := 1.\nCheck x.")
        << QStringList{"Definition x := 1.", "Check x."} << none << 0 << 0;
    QTest::newRow("bullets after Proof")
        << lemma2 + "  - exact I.\n  - exact I.\nQed.\n"
        << QStringList{"Lemma two : True /\\ True.", "Proof.", "split.", "-", "exact I.", "-", "exact I.", "Qed."}
        << none << 0 << 0;
    QTest::newRow("bullet runs")
        << QByteArray("Lemma f : (True /\\ True) /\\ True.\nProof.\n split.\n - split.\n   -- exact I.\n   -- exact I.\n"
                      " - exact I.\nQed.\n")
        << QStringList{"Lemma f : (True /\\ True) /\\ True.", "Proof.", "split.", "-", "split.", "--", "exact I.", "--",
                       "exact I.", "-", "exact I.", "Qed."}
        << none << 0 << 0;
    QTest::newRow("} followed by -")
        << QByteArray("Lemma b : (True /\\ True) /\\ True.\nProof.\n split.\n { split.\n   + exact I.\n   + exact I. }\n"
                      " - exact I.\nQed.\n")
        << QStringList{"Lemma b : (True /\\ True) /\\ True.", "Proof.", "split.", "{", "split.", "+", "exact I.", "+",
                       "exact I.", "}", "-", "exact I.", "Qed."}
        << none << 0 << 0;
    QTest::newRow("goal selectors before {")
        << lemma2 + "  2: { exact I. }\n  all: exact I.\nQed.\n"
        << QStringList{"Lemma two : True /\\ True.", "Proof.", "split.", "2: {", "exact I.", "}", "all: exact I.", "Qed."}
        << none << 0 << 0;
    QTest::newRow("named goal selector")
        << QByteArray("Goal True.\nProof.\n  refine ?[g].\n  [g]: {\n    exact I. }\nQed.\n")
        << QStringList{"Goal True.", "Proof.", "refine ?[g].", "[g]: {", "exact I.", "}", "Qed."} << none << 0 << 0;
    QTest::newRow("record and implicit braces within commands")
        << QByteArray("Record R := { f : nat }.\nDefinition r := {| f := 1 |}.\n"
                      "Definition g := forall {A : Type} (x : A), x = x.\n"
                      "Lemma e : exists x : nat, x = x.\nProof. exists 0. reflexivity. Qed.\n")
        << QStringList{"Record R := { f : nat }.", "Definition r := {| f := 1 |}.",
                       "Definition g := forall {A : Type} (x : A), x = x.", "Lemma e : exists x : nat, x = x.",
                       "Proof.", "exists 0.", "reflexivity.", "Qed."}
        << none << 0 << 0;
    QTest::newRow("... ends a sentence")
        << QByteArray("Lemma t : True.\nProof with auto.\n  idtac...\nQed.\n")
        << QStringList{"Lemma t : True.", "Proof with auto.", "idtac...", "Qed."} << none << 0 << 0;
    QTest::newRow("comments inside and between sentences")
        << QByteArray("Definition (* c. *) x := 1. (* after. *)\n#[local] Definition y := 2.\nTime Check x.\n")
        << QStringList{"Definition (* c. *) x := 1.", "#[local] Definition y := 2.", "Time Check x."} << none << 0 << 0;
    QTest::newRow("UTF-8 before and within sentences")
        << QByteArray("(* ≡ λ *) Definition λx := 1.\nNotation \"x ≡≡ y\" := (x = y) (at level 70).\nCheck 1 ≡≡ 1.\n")
        << QStringList{"Definition λx := 1.", "Notation \"x ≡≡ y\" := (x = y) (at level 70).", "Check 1 ≡≡ 1."}
        << none << 0 << 0;
    QTest::newRow("only blanks and comments")
        << QByteArray("  (* nothing. *)\n\t\n") << QStringList{} << none << 0 << 0;
    QTest::newRow("unterminated comment")
        << QByteArray("Definition x := 1.\n(* a (* b *) \"*)\" \nDefinition y := 2.\n")
        << QStringList{"Definition x := 1."} << int(CoqSentenceSplit::Error::UnterminatedComment) << 2 << 0;
    QTest::newRow("unterminated string")
        << QByteArray("Definition x := 1.\nDefinition s := \"ab\nc.\n")
        << QStringList{"Definition x := 1."} << int(CoqSentenceSplit::Error::UnterminatedString) << 2 << 16;
    QTest::newRow("unterminated string in a comment")
        << QByteArray("Definition x := 1.\n(* \" *)\n")
        << QStringList{"Definition x := 1."} << int(CoqSentenceSplit::Error::UnterminatedString) << 2 << 3;
    QTest::newRow("incomplete last sentence")
        << QByteArray("Definition x := 1.\n  Definition y := 2")
        << QStringList{"Definition x := 1."} << int(CoqSentenceSplit::Error::IncompleteSentence) << 2 << 2;
}

void TestCoqSentences::snippets()
{
    QFETCH(QByteArray, source);
    QFETCH(QStringList, texts);
    QFETCH(int, error);
    QFETCH(int, errorLine);
    QFETCH(int, errorColumn);

    const CoqSentenceSplit split = CoqLib::splitCoqSentences(source);
    QStringList found;
    for (const CoqSentence &s : split.sentences) {
        found << QString::fromUtf8(s.text(source));
        checkPlaces(source, s);
    }
    QCOMPARE(found, texts);
    QCOMPARE(int(split.error), error);
    QCOMPARE(split.errorLine, errorLine);
    QCOMPARE(split.errorColumn, errorColumn);
    QCOMPARE(split.errorString().isEmpty(), error == int(CoqSentenceSplit::Error::None));

    if (m_coqLib.isEmpty())
        QSKIP("coqc is not installed: the split was not compared with coqc's");
    const TestSupport::CoqTimeRun coqc = TestSupport::runCoqTimeOn(source, QStringLiteral("snippet.v"));
    if (error == int(CoqSentenceSplit::Error::None)) {
        QVERIFY2(coqc.compiled, qPrintable(coqc.output));
        compareWithCoqc(source, split.sentences, coqc);
        return;
    }
    QVERIFY2(!coqc.compiled, "coqc accepted a snippet the splitter rejects");
    compareWithCoqc(source, split.sentences.mid(0, coqc.sentences.size()), coqc);
    if (error != int(CoqSentenceSplit::Error::IncompleteSentence)) // coqc places that at the missing `.`
        QCOMPARE(split.errorOffset, coqc.errorOffset);
}

void TestCoqSentences::utf16Columns()
{
    // "λ" is two bytes and one UTF-16 unit, "𝔸" four bytes and two units.
    const QByteArray source("Definition λ𝔸 := 1.\n  Check λ𝔸.\n");
    const CoqSentenceSplit split = CoqLib::splitCoqSentences(source);
    QCOMPARE(split.sentences.size(), 2);
    const CoqLib::CoqTextPositions positions(source);
    const CoqSentence &check = split.sentences.at(1);
    QCOMPARE(check.column, 2);
    QCOMPARE(check.endColumn, 2 + int(qstrlen("Check λ𝔸.")));
    const CoqLib::CoqTextPositions::Place end = positions.utf16Place(check.end);
    QCOMPARE(end.line, 2);
    QCOMPARE(end.column, int(QString::fromUtf8("  Check λ𝔸.").size()));
    QCOMPARE(end.column, 2 + 6 + 1 + 2 + 1);
}

QTEST_MAIN(TestCoqSentences)
#include "tst_coqsentences.moc"
