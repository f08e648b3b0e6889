// The coqidetop client (plugins/coq/coqlib/coqidetop.h) against the
// machine's coqidetop.opt (Coq 8.16.1 here): the reader's framing (without
// Coq), sentences that hold, execution and parse errors where coqc places
// them, and Edit_at. Interrupting, timeouts and stopping are
// tst_coqidetopcontrol's. Skipped where coqidetop.opt is not installed.

#include "support/coqidetopsession.h"
#include "support/processes.h"

#include "coqidetop.h"
#include "coqxmlreader.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <thread>

using namespace CoqLib;
using namespace std::chrono_literals;

using namespace TestSupport;

class TestCoqIdeTop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void readerFraming_data();
    void readerFraming();
    void goodSentences();
    void executionError_data();
    void executionError();
    void parseError();
    void editAtThenAdd();

private:
    void requireCoq();
    bool m_haveCoq = false;
};

void TestCoqIdeTop::initTestCase()
{
    m_haveCoq = !CoqIdeTop::defaultProgram().isEmpty() && !QStandardPaths::findExecutable(QStringLiteral("coqc")).isEmpty();
}

void TestCoqIdeTop::cleanupTestCase()
{
    QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
}

void TestCoqIdeTop::requireCoq()
{
    if (!m_haveCoq)
        QSKIP("coqidetop.opt or coqc is not installed");
}

void TestCoqIdeTop::readerFraming_data()
{
    QTest::addColumn<int>("chunk");
    QTest::newRow("all at once") << 100000;
    QTest::newRow("byte by byte (UTF-8 characters cut)") << 1;
    QTest::newRow("7 bytes at a time") << 7;
    QTest::newRow("64 bytes at a time") << 64;
}

// What coqidetop 8.16.1 wrote for a failing reflexivity (é𝔸 added to the
// message to cut multi-byte characters), feedback before the value.
void TestCoqIdeTop::readerFraming()
{
    QFETCH(int, chunk);
    const QByteArray stream =
        "<feedback object=\"state\" route=\"0\"><state_id val=\"3\"/><feedback_content val=\"processed\"/></feedback>"
        "<feedback object=\"state\" route=\"0\"><state_id val=\"4\"/><feedback_content val=\"message\"><message>"
        "<message_level val=\"error\"/><option val=\"some\"><loc start=\"24\" stop=\"35\"/></option><richpp><_><pp>"
        "Unable&nbsp;to&nbsp;unify&nbsp;&quot;2&quot;&nbsp;with&nbsp;<constr.notation>é𝔸</constr.notation>&amp;1.</pp></_>"
        "</richpp></message></feedback_content></feedback>"
        "<value val=\"fail\" loc_s=\"24\" loc_e=\"35\"><state_id val=\"3\"/><richpp><_><pp>Unable&nbsp;to&nbsp;unify"
        "</pp></_></richpp></value>";
    CoqXmlReader reader;
    QList<CoqXmlElement> messages;
    for (qsizetype at = 0; at < stream.size(); at += chunk) {
        reader.addData(stream.mid(at, chunk));
        CoqXmlElement m;
        while (reader.next(&m))
            messages << m;
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    }
    QCOMPARE(messages.size(), 3);
    const auto processed = CoqXml::feedback(messages.at(0));
    QVERIFY(processed);
    QCOMPARE(processed->stateId, 3);
    QCOMPARE(processed->kind, QStringLiteral("processed"));
    const auto error = CoqXml::feedback(messages.at(1));
    QVERIFY(error);
    QCOMPARE(error->stateId, 4);
    QCOMPARE(error->level, QStringLiteral("error"));
    QCOMPARE(error->locStart, std::optional<qint64>(24));
    QCOMPARE(error->locStop, std::optional<qint64>(35));
    QCOMPARE(error->text, QStringLiteral("Unable to unify \"2\" with é𝔸&1."));
    const CoqXml::Value value = CoqXml::value(messages.at(2));
    QVERIFY(!value.good);
    QCOMPARE(value.failure.safeStateId, 3);
    QCOMPARE(value.failure.locStart, std::optional<qint64>(24));
    QCOMPARE(value.failure.message, QStringLiteral("Unable to unify"));
}

void TestCoqIdeTop::goodSentences()
{
    requireCoq();
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    QCOMPARE(s.root, 1);
    // Characters the XML must escape, in a notation and its use.
    const QByteArray document = "Definition a := 1.\nNotation \"x <&> y\" := (x + y) (at level 50).\n"
                                "Definition b := a <&> 2.\nCheck (fun (x' : nat) => x').\n";
    const QList<int> states = addAll(&s, document, s.root);
    QCOMPARE(states, (QList<int>{2, 3, 4, 5}));
    const CoqIdeTop::StatusReply status = s.top->status(false);
    QVERIFY2(status.ok, qPrintable(status.failure.message));
    QCOMPARE(status.path, QStringList{QStringLiteral("Top")});
    QSet<int> processed;
    for (const CoqFeedback &f : std::as_const(s.feedback)) {
        QVERIFY2(f.level != QLatin1String("error"), qPrintable(f.text));
        if (f.kind == QLatin1String("processed"))
            processed.insert(f.stateId);
    }
    for (const int state : states)
        QVERIFY2(processed.contains(state), qPrintable(QString::number(state)));
}

void TestCoqIdeTop::executionError_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<int>("failingSentence"); // 0-based
    QTest::newRow("tactic in an opaque proof") << QByteArray("Definition a := 1.\nLemma x : 1 = 2.\nProof.\n  reflexivity.\nQed.\n") << 3;
    QTest::newRow("unknown reference") << QByteArray("Definition a := 1.\nDefinition b := a + foo.\nDefinition c := 3.\n") << 1;
    QTest::newRow("after non-ASCII (é, 𝔸 beyond the BMP)")
        << QByteArray("Definition é𝔸 := 1. (* ü *)\nDefinition 𝔸b := é𝔸 + true.\n") << 1;
}

void TestCoqIdeTop::executionError()
{
    requireCoq();
    QFETCH(QByteArray, document);
    QFETCH(int, failingSentence);
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    const QList<int> states = addAll(&s, document, s.root);
    QCOMPARE(states.size(), sentences(document).size());
    const CoqIdeTop::StatusReply status = s.top->status(false);
    QVERIFY(!status.ok);
    QVERIFY(!status.failure.processLost);
    QCOMPARE(status.failure.failedStateId, states.at(failingSentence));
    QCOMPARE(status.failure.safeStateId, failingSentence == 0 ? s.root : states.at(failingSentence - 1));
    QVERIFY(status.failure.locStart && status.failure.locStop);
    const Sentence failing = sentences(document).at(failingSentence);
    QVERIFY(*status.failure.locStart >= failing.offset);
    QVERIFY(*status.failure.locStop <= failing.offset + failing.text.size());
    QCOMPARE(coqcPlace(document, *status.failure.locStart, *status.failure.locStop), coqcSays(document));
    // The error feedback names the same state and range.
    const auto error = std::find_if(s.feedback.cbegin(), s.feedback.cend(),
                                    [](const CoqFeedback &f) { return f.level == QLatin1String("error"); });
    QVERIFY(error != s.feedback.cend());
    QCOMPARE(error->stateId, states.at(failingSentence));
    QCOMPARE(error->locStart, status.failure.locStart);
    QCOMPARE(error->text, status.failure.message);
    // Asked again, coqidetop repeats the failure without the feedback.
    const CoqIdeTop::GoalReply again = s.top->goal();
    QVERIFY(!again.ok);
    QCOMPARE(again.failure.failedStateId, states.at(failingSentence));
    QCOMPARE(again.failure.message, status.failure.message);
}

void TestCoqIdeTop::parseError()
{
    requireCoq();
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    const QByteArray document = "Definition a := 1.\nDefinition d := (.\n";
    const CoqIdeTop::AddReply a = s.top->add("Definition a := 1.", -1, s.root, 0, 1, 0);
    QVERIFY(a.ok);
    const CoqIdeTop::AddReply bad = s.top->add("Definition d := (.", -2, a.newStateId, 19, 2, 19);
    QVERIFY(!bad.ok);
    QVERIFY(!bad.failure.processLost);
    QVERIFY2(bad.failure.message.contains(QLatin1String("Syntax error")), qPrintable(bad.failure.message));
    QCOMPARE(bad.failure.locStart, std::optional<qint64>(document.indexOf("(.") + 1));
    QCOMPARE(bad.failure.locStop, std::optional<qint64>(document.indexOf("(.") + 2));
    QCOMPARE(coqcPlace(document, *bad.failure.locStart, *bad.failure.locStop), coqcSays(document));
    // The tip did not move.
    const CoqIdeTop::AddReply good = s.top->add("Definition d := (1).", -3, a.newStateId, 19, 2, 19);
    QVERIFY2(good.ok, qPrintable(good.failure.message));
    QVERIFY(s.top->status(false).ok);
    // Add only parses the first sentence of its text: the rest is dropped.
    const CoqIdeTop::AddReply two = s.top->add("Definition e := 1. Definition f := (.", -4, good.newStateId, 40, 3, 40);
    QVERIFY2(two.ok, qPrintable(two.failure.message));
}

void TestCoqIdeTop::editAtThenAdd()
{
    requireCoq();
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    const QList<int> states = addAll(&s, "Definition a := 1.\nDefinition b := 2.\nDefinition c := 3.\n", s.root);
    QCOMPARE(states.size(), 3);
    QVERIFY(s.top->status(false).ok);
    const CoqIdeTop::EditAtReply back = s.top->editAt(states.at(0));
    QVERIFY2(back.ok, qPrintable(back.failure.message));
    QVERIFY(!back.focused);
    // Adding after a state that is not the tip is refused.
    const CoqIdeTop::AddReply notTip = s.top->add("Definition x := 1.", -9, s.root, 0, 1, 0);
    QVERIFY(!notTip.ok);
    QVERIFY2(notTip.failure.message.contains(QLatin1String("than the tip")), qPrintable(notTip.failure.message));
    const CoqIdeTop::AddReply d = s.top->add("Definition d := b.", -4, states.at(0), 19, 2, 19);
    QVERIFY(d.ok);
    QVERIFY(d.newStateId > states.at(2)); // ids are not reused
    // b is gone: d's body fails.
    const CoqIdeTop::StatusReply failed = s.top->status(false);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.failure.failedStateId, d.newStateId);
    QVERIFY(s.top->editAt(states.at(0)).ok);
    const CoqIdeTop::AddReply e = s.top->add("Definition e := a.", -5, states.at(0), 19, 2, 19);
    QVERIFY(e.ok);
    QVERIFY(s.top->status(false).ok);
    // The old states are gone.
    const CoqIdeTop::EditAtReply gone = s.top->editAt(states.at(2));
    QVERIFY(!gone.ok);
    QVERIFY(!gone.failure.processLost);
    QVERIFY2(gone.failure.message.contains(QLatin1String("Expired")), qPrintable(gone.failure.message));
    QVERIFY(s.top->status(false).ok);
}

QTEST_MAIN(TestCoqIdeTop)
#include "tst_coqidetop.moc"
