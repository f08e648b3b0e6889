// CoqLib::findCoqProofs() on snippets and on stdpp's files. Its verdict of
// which proofs may be checked apart is held to coqc's own: under `coqc -vos`
// Coq skips exactly those proofs, so `-vos -time` prints no Chars line for
// the tactics within them. Rows that need coqc are skipped without it.

#include "coqproofs.h"
#include "support/coqtime.h"

#include <QtCore/QSet>
#include <QtTest/QTest>

using CoqLib::CoqProof;

namespace {

QString endingName(CoqProof::Ending e)
{
    switch (e) {
    case CoqProof::Ending::None: return QStringLiteral("None");
    case CoqProof::Ending::Qed: return QStringLiteral("Qed");
    case CoqProof::Ending::Save: return QStringLiteral("Save");
    case CoqProof::Ending::Defined: return QStringLiteral("Defined");
    case CoqProof::Ending::Admitted: return QStringLiteral("Admitted");
    case CoqProof::Ending::Abort: return QStringLiteral("Abort");
    case CoqProof::Ending::ProofTerm: return QStringLiteral("ProofTerm");
    }
    return {};
}

//! "name statement-proof-end Ending flags", flags among section, using,
//! nested, program, delegable ("-" for none).
QString describe(const CoqProof &p)
{
    QStringList flags;
    const std::pair<bool, const char *> all[] = {{p.inSection, "section"}, {p.proofUsing, "using"},
                                                 {p.nested, "nested"}, {p.program, "program"},
                                                 {p.delegable, "delegable"}};
    for (const auto &[on, name] : all) {
        if (on)
            flags << QLatin1String(name);
    }
    return QStringLiteral("%1 %2-%3-%4 %5 %6")
        .arg(p.name.isEmpty() ? QStringLiteral("_") : p.name)
        .arg(p.statement).arg(p.proof).arg(p.end)
        .arg(endingName(p.ending), flags.isEmpty() ? QStringLiteral("-") : flags.join(QLatin1Char(',')));
}

//! Per proof with tactics of its own: whether `coqc -vos` skipped them.
//! Proofs without any (`Proof term.`, an empty `Abort`) have no verdict.
QList<std::optional<bool>> skippedByVos(const QList<CoqLib::CoqSentence> &sentences, const QList<CoqProof> &proofs,
                                        const TestSupport::CoqTimeRun &vos)
{
    QSet<qsizetype> ran;
    for (const auto &c : vos.sentences)
        ran << c.start;
    QList<std::optional<bool>> verdicts;
    for (const CoqProof &p : proofs) {
        std::optional<bool> skipped;
        const int first = std::max(p.statement, p.proof) + 1;
        for (int i = first; p.end >= 0 && i < p.end; ++i)
            skipped = skipped.value_or(true) && !ran.contains(sentences.at(i).start);
        verdicts << skipped;
    }
    return verdicts;
}

//! Each proof's delegable against coqc -vos's, where it has one. Nested
//! proofs and obligations are kept in order by design: coqc may skip those.
void compareWithVos(const QByteArray &source, const QList<CoqLib::CoqSentence> &sentences,
                    const QList<CoqProof> &proofs, const TestSupport::CoqTimeRun &vos)
{
    const QList<std::optional<bool>> skipped = skippedByVos(sentences, proofs, vos);
    for (qsizetype i = 0; i < proofs.size(); ++i) {
        const CoqProof &p = proofs.at(i);
        const bool conservative = *skipped.at(i) && !p.delegable && (p.nested || p.program);
        if (skipped.at(i) && *skipped.at(i) != p.delegable && !conservative) {
            QFAIL(qPrintable(QStringLiteral("%1 [%2]: coqc -vos %3 it")
                                 .arg(describe(proofs.at(i)),
                                      QString::fromUtf8(sentences.at(proofs.at(i).statement).text(source).left(60)),
                                      *skipped.at(i) ? QStringLiteral("skipped") : QStringLiteral("checked"))));
        }
    }
}

const CoqLib::CoqProofOptions StdppOptions{{QStringLiteral("stdpp.options")}};

} // namespace

class TestCoqProofs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void snippets_data();
    void snippets();
    void stdppFiles_data();
    void stdppFiles();

private:
    QString m_coqLib;
};

void TestCoqProofs::initTestCase()
{
    if (!TestSupport::coqcProgram().isEmpty())
        m_coqLib = TestSupport::coqLibraryDir();
}

void TestCoqProofs::snippets_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QStringList>("proofs"); // describe() of each
    QTest::addColumn<bool>("compiles");      // else only the first sentences are compared with coqc

    QTest::newRow("Qed outside a section")
        << QByteArray("Lemma a : True.\nProof. exact I. Qed.\nTheorem b : True. exact I. Qed.\n")
        << QStringList{"a 0-1-3 Qed delegable", "b 4--1-6 Qed -"} << true;
    QTest::newRow("Defined, Admitted, Abort, Save")
        << QByteArray("Lemma d : True.\nProof. exact I. Defined.\nLemma e : True.\nAdmitted.\n"
                      "Goal True.\nAbort.\nGoal True.\nexact I.\nSave s.\n")
        << QStringList{"d 0-1-3 Defined -", "e 4--1-5 Admitted -", "_ 6--1-7 Abort -", "s 8--1-10 Save -"}
        << true;
    QTest::newRow("a section needs Proof using")
        << QByteArray("Section S.\nVariable n : nat.\nLemma b : n = n.\nProof. reflexivity. Qed.\n"
                      "Lemma c : n = n.\nProof using n. reflexivity. Qed.\nEnd S.\n")
        << QStringList{"b 2-3-5 Qed section", "c 6-7-9 Qed section,using,delegable"} << true;
    QTest::newRow("Set Default Proof Using outlives its section")
        << QByteArray("Section S.\nVariable n : nat.\nSet Default Proof Using \"Type\".\n"
                      "Lemma b : n = n.\nProof. reflexivity. Qed.\nEnd S.\n"
                      "Section T.\nVariable m : nat.\nLemma c : m = m.\nProof. reflexivity. Qed.\nEnd T.\n")
        << QStringList{"b 3-4-6 Qed section,using,delegable", "c 10-11-13 Qed section,using,delegable"} << true;
    QTest::newRow("Local Set Default Proof Using ends with its section")
        << QByteArray("Section S.\nVariable n : nat.\nLocal Set Default Proof Using \"Type\".\n"
                      "Lemma b : n = n.\nProof. reflexivity. Qed.\nEnd S.\n"
                      "Section T.\nVariable m : nat.\nLemma c : m = m.\nProof. reflexivity. Qed.\nEnd T.\n")
        << QStringList{"b 3-4-6 Qed section,using,delegable", "c 10-11-13 Qed section"} << true;
    QTest::newRow("Set Default Proof Using ends with its module")
        << QByteArray("Module M.\nSet Default Proof Using \"Type\".\nEnd M.\n"
                      "Section U.\nVariable m : nat.\nLemma d : m = m.\nProof. reflexivity. Qed.\nEnd U.\n")
        << QStringList{"d 5-6-8 Qed section"} << true;
    QTest::newRow("Global Set Default Proof Using outlives it")
        << QByteArray("Section S.\nGlobal Set Default Proof Using \"Type\".\nEnd S.\n"
                      "Section T.\nVariable m : nat.\nLemma c : m = m.\nProof. reflexivity. Qed.\nEnd T.\n")
        << QStringList{"c 5-6-8 Qed section,using,delegable"} << true;
    QTest::newRow("Unset Default Proof Using")
        << QByteArray("Set Default Proof Using \"Type\".\nUnset Default Proof Using.\nSection S.\nVariable n : nat.\n"
                      "Lemma b : n = n.\nProof. reflexivity. Qed.\nEnd S.\n")
        << QStringList{"b 4-5-7 Qed section"} << true;
    QTest::newRow("a module is not a section")
        << QByteArray("Module M.\nLemma a : True.\nProof. exact I. Qed.\nEnd M.\nModule N := M.\n"
                      "Lemma b : True.\nProof. exact I. Qed.\n")
        << QStringList{"a 1-2-4 Qed delegable", "b 7-8-10 Qed delegable"} << true;
    QTest::newRow("definitions with and without a body")
        << QByteArray("Definition x : nat.\nProof. exact 1. Defined.\nDefinition y := 2.\nClass C := { c : nat }.\n"
                      "Instance i : C.\nProof. exact {| c := 0 |}. Qed.\n#[local] Instance j : C := {| c := 1 |}.\n"
                      "Instance: C.\nProof. exact {| c := 2 |}. Qed.\nDefinition z : nat := 3.\n")
        << QStringList{"x 0-1-3 Defined -", "i 6-7-9 Qed delegable", "_ 11-12-14 Qed delegable"} << true;
    QTest::newRow("bullets and braces within")
        << QByteArray("Lemma t : True /\\ True.\nProof.\n  split.\n  - exact I.\n  - { exact I. }\nQed.\n")
        << QStringList{"t 0-1-9 Qed delegable"} << true;
    QTest::newRow("nested proofs")
        << QByteArray("Set Nested Proofs Allowed.\nLemma a : True.\nProof.\n  Lemma b : True.\n  Proof. exact I. Qed.\n"
                      "  exact b.\nQed.\n")
        << QStringList{"a 1-2-8 Qed nested", "b 3-4-6 Qed nested"} << true;
    QTest::newRow("Program and obligations")
        << QByteArray("Require Import Program.\nObligation Tactic := idtac.\n"
                      "Program Definition q : {n : nat | n = 2} := exist _ _ _.\nNext Obligation. exact 2. Defined.\n"
                      "Next Obligation. reflexivity. Qed.\n")
        << QStringList{"_ 3--1-5 Defined program", "_ 6--1-8 Qed program"} << true;
    QTest::newRow("Proof term")
        << QByteArray("Lemma a : True.\nProof I.\n")
        << QStringList{"a 0--1-1 ProofTerm -"} << true;
    QTest::newRow("open at the end")
        << QByteArray("Lemma a : True.\nProof.\n  exact I.\n")
        << QStringList{"a 0-1--1 None -"} << false;
}

void TestCoqProofs::snippets()
{
    QFETCH(QByteArray, source);
    QFETCH(QStringList, proofs);
    QFETCH(bool, compiles);

    const CoqLib::CoqSentenceSplit split = CoqLib::splitCoqSentences(source);
    QCOMPARE(split.error, CoqLib::CoqSentenceSplit::Error::None);
    const QList<CoqProof> found = CoqLib::findCoqProofs(source, split.sentences);
    QStringList described;
    for (const CoqProof &p : found)
        described << describe(p);
    QCOMPARE(described, proofs);

    if (m_coqLib.isEmpty())
        QSKIP("coqc is not installed: the verdicts were not compared with coqc -vos");
    const TestSupport::CoqTimeRun vos = TestSupport::runCoqTimeOn(source, QStringLiteral("snippet.v"),
                                                                  {QStringLiteral("-vos")});
    QCOMPARE(vos.compiled, compiles);
    compareWithVos(source, split.sentences, found, vos);
}

void TestCoqProofs::stdppFiles_data()
{
    QTest::addColumn<QString>("file");        // under stdpp's directory
    // Lower bounds a little under what coqc 8.16.1 and Debian 12's stdpp gave
    // (list 899 of 916 delegable, base 110 of 110, option 68 of 69, fin_maps
    // 0 of 605: it unsets Default Proof Using and proves in sections).
    QTest::addColumn<int>("delegableAtLeast");
    QTest::addColumn<int>("checkedAtLeast"); // the proofs not delegable
    QTest::newRow("list") << QStringLiteral("list.v") << 880 << 10;
    QTest::newRow("base") << QStringLiteral("base.v") << 100 << 0;
    QTest::newRow("option") << QStringLiteral("option.v") << 60 << 1;
    QTest::newRow("fin_maps: Unset Default Proof Using") << QStringLiteral("fin_maps.v") << 0 << 590;
}

void TestCoqProofs::stdppFiles()
{
    QFETCH(QString, file);
    QFETCH(int, delegableAtLeast);
    QFETCH(int, checkedAtLeast);
    if (m_coqLib.isEmpty())
        QSKIP("coqc is not installed");
    const QString original = m_coqLib + QStringLiteral("/user-contrib/stdpp/") + file;
    if (!QFile::exists(original))
        QSKIP("stdpp is not installed");
    const QByteArray source = TestSupport::readAll(original);
    const CoqLib::CoqSentenceSplit split = CoqLib::splitCoqSentences(source);
    QCOMPARE(split.error, CoqLib::CoqSentenceSplit::Error::None);
    const QList<CoqProof> proofs = CoqLib::findCoqProofs(source, split.sentences, StdppOptions);

    const TestSupport::CoqTimeRun vos = TestSupport::runCoqTimeOn(source, file, {QStringLiteral("-vos")});
    QVERIFY2(vos.compiled, qPrintable(vos.output.right(2000)));
    // Every sentence that ends a proof runs, also under -vos: one proof each.
    static const QRegularExpression ending(QStringLiteral("^(Qed|Defined|Admitted|Abort|Save)\\b"));
    QSet<qsizetype> ends;
    for (const CoqProof &p : proofs) {
        if (p.end >= 0)
            ends << split.sentences.at(p.end).start;
    }
    QStringList unclaimed; // endings that close no proof found
    qsizetype endings = 0;
    for (const auto &c : vos.sentences) {
        if (!ending.match(c.text).hasMatch())
            continue;
        ++endings;
        if (!ends.contains(c.start))
            unclaimed << QStringLiteral("%1 [%2]").arg(c.start).arg(c.text);
    }
    QVERIFY2(unclaimed.isEmpty(), qPrintable(unclaimed.mid(0, 8).join(QLatin1String(", "))));
    QCOMPARE(proofs.size(), endings);

    int delegable = 0;
    for (const CoqProof &p : proofs) {
        QVERIFY2(p.statement >= 0 && p.end > p.statement, qPrintable(describe(p)));
        QVERIFY2(p.proof < 0 || (p.proof > p.statement && p.proof < p.end), qPrintable(describe(p)));
        delegable += p.delegable;
    }
    compareWithVos(source, split.sentences, proofs, vos);
    qInfo("%s: %lld proofs, %d delegable", qPrintable(file), qlonglong(proofs.size()), delegable);
    QVERIFY2(delegable >= delegableAtLeast, qPrintable(QString::number(delegable)));
    QVERIFY2(proofs.size() - delegable >= checkedAtLeast, qPrintable(QString::number(proofs.size() - delegable)));
}

QTEST_MAIN(TestCoqProofs)
#include "tst_coqproofs.moc"
