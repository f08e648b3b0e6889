// The coqidetop client (plugins/coq/coqlib/coqidetop.h) against the
// machine's coqidetop.opt (Coq 8.16.1 here): every behaviour the header
// documents is measured by a row here. The reader's framing runs without
// Coq; the rest is skipped where coqidetop.opt is not installed.

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

namespace {

//! A document cut into sentences (each ends with '.' before a blank or
//! the end: enough for the texts of this file).
struct Sentence
{
    QByteArray text;
    qint64 offset = 0; //!< bytes
    int line = 1;
    int bol = 0;
};

QList<Sentence> sentences(const QByteArray &document)
{
    QList<Sentence> out;
    qsizetype start = 0;
    for (qsizetype i = 0; i < document.size(); ++i) {
        if (document.at(i) != '.' || (i + 1 < document.size() && !QChar::isSpace(uchar(document.at(i + 1)))))
            continue;
        while (start < i && QChar::isSpace(uchar(document.at(start))))
            ++start;
        Sentence s;
        s.text = document.mid(start, i + 1 - start);
        s.offset = start;
        s.line = int(document.left(start).count('\n')) + 1;
        s.bol = int(document.lastIndexOf('\n', start - 1) + 1);
        out << s;
        start = i + 1;
    }
    return out;
}

//! Line (1-based) and coqc's `characters A-B` (bytes from that line's start)
//! for an absolute byte range.
QString coqcPlace(const QByteArray &document, qint64 start, qint64 stop)
{
    const qint64 bol = document.lastIndexOf('\n', start - 1) + 1;
    return QStringLiteral("line %1, characters %2-%3").arg(document.left(start).count('\n') + 1).arg(start - bol).arg(stop - bol);
}

//! What coqc says about the same text: "line L, characters A-B".
QString coqcSays(const QByteArray &document)
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("t.v")));
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write");
    file.write(document);
    file.close();
    QProcess coqc;
    coqc.setWorkingDirectory(dir.path());
    coqc.start(QStringLiteral("coqc"), {QStringLiteral("t.v")});
    if (!coqc.waitForFinished(120000))
        return QStringLiteral("coqc did not finish");
    const QString out = QString::fromUtf8(coqc.readAllStandardError() + coqc.readAllStandardOutput());
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("(line \\d+, characters \\d+-\\d+)")).match(out);
    return m.hasMatch() ? m.captured(1) : out;
}

struct Session
{
    CoqIdeTop::Options options;
    std::unique_ptr<CoqIdeTop> top;
    QList<CoqFeedback> feedback;
    int root = 0;
};

//! Starts and inits a coqidetop; QVERIFY-style failures go through `ok`.
void open(Session *s, QStringList flags = {}, bool *ok = nullptr)
{
    s->options.flags = flags;
    s->options.callTimeout = 60s;
    s->options.onFeedback = [s](const CoqFeedback &f) { s->feedback << f; };
    s->top = std::make_unique<CoqIdeTop>(s->options);
    QString error;
    bool started = s->top->start(&error);
    const CoqIdeTop::InitReply init = started ? s->top->init() : CoqIdeTop::InitReply{};
    s->root = init.stateId;
    if (ok)
        *ok = started && init.ok;
    if (!started)
        qWarning() << "start:" << error;
    else if (!init.ok)
        qWarning() << "init:" << init.failure.message;
}

//! Adds every sentence of `document` after the root; the state of each.
QList<int> addAll(Session *s, const QByteArray &document, int tip)
{
    QList<int> states;
    for (const Sentence &sentence : sentences(document)) {
        const CoqIdeTop::AddReply r = s->top->add(sentence.text, -1 - int(states.size()), tip, sentence.offset, sentence.line, sentence.bol);
        if (!r.ok) {
            qWarning() << "add failed:" << sentence.text << r.failure.message;
            return states;
        }
        tip = r.newStateId;
        states << tip;
    }
    return states;
}

const QByteArray Spin = "Fixpoint spin (n : nat) (b : bool) : bool := match n with 0 => negb b | S m => spin m (spin m b) end.\n"
                        "Definition before := 1.\n"
                        "Eval vm_compute in spin 60 true.\n"; // 2^60 steps: hours

} // namespace

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
    void interrupt_data();
    void interrupt();
    void hangPastTimeout();
    void stop_data();
    void stop();
    void killedFromOutside();
    void flagErrors_data();
    void flagErrors();

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

void TestCoqIdeTop::interrupt_data()
{
    QTest::addColumn<bool>("fromCancelled"); // else interrupt() from another thread
    QTest::newRow("interrupt() from another thread") << false;
    QTest::newRow("Options::cancelled") << true;
}

void TestCoqIdeTop::interrupt()
{
    requireCoq();
    QFETCH(bool, fromCancelled);
    Session s;
    std::mutex mutex;
    std::condition_variable started;
    int spinParent = -1; // the state before the spin: once processed, the spin runs
    bool spinning = false;
    QElapsedTimer clock;
    std::atomic<bool> cancelArmed = fromCancelled;
    s.options.callTimeout = 60s;
    s.options.cancelled = [&] { return cancelArmed && clock.isValid() && clock.elapsed() > 500; };
    s.options.onFeedback = [&](const CoqFeedback &f) {
        const std::lock_guard lock(mutex);
        if (f.kind == QLatin1String("processed") && f.stateId == spinParent) {
            spinning = true;
            started.notify_all();
        }
    };
    s.top = std::make_unique<CoqIdeTop>(s.options);
    QString error;
    QVERIFY2(s.top->start(&error), qPrintable(error));
    const CoqIdeTop::InitReply init = s.top->init();
    QVERIFY(init.ok);
    const QList<int> states = addAll(&s, Spin, init.stateId);
    QCOMPARE(states.size(), 3);
    {
        const std::lock_guard lock(mutex);
        spinParent = states.at(1);
    }
    std::thread interrupter([&] {
        std::unique_lock lock(mutex);
        // Half a second into the spin: an interrupt that lands just as a
        // sentence starts can spoil the Edit_at after it (see the header).
        if (started.wait_for(lock, 60s, [&] { return spinning; }) && !fromCancelled) {
            const QDeadlineTimer running(500ms);
            started.wait_for(lock, std::chrono::milliseconds(running.remainingTime()), [] { return false; });
            s.top->interrupt();
        }
    });
    clock.start();
    const CoqIdeTop::StatusReply status = s.top->status(false);
    const qint64 ms = clock.elapsed();
    cancelArmed = false;
    interrupter.join();
    QVERIFY(!status.ok);
    QVERIFY(!status.failure.processLost);
    QVERIFY(status.failure.interrupted);
    QCOMPARE(status.failure.message, QStringLiteral("User interrupt."));
    QCOMPARE(status.failure.safeStateId, states.at(1));
    QVERIFY2(ms < 20000, qPrintable(QString::number(ms)));
    // Still usable.
    const CoqIdeTop::EditAtReply back = s.top->editAt(states.at(1));
    QVERIFY2(back.ok, qPrintable(QStringLiteral("%1 lost=%2 safe=%3 interrupted=%4").arg(back.failure.message).arg(back.failure.processLost).arg(back.failure.safeStateId).arg(back.failure.interrupted)));
    const CoqIdeTop::AddReply next = s.top->add("Eval vm_compute in spin 3 true.", -9, states.at(1), Spin.indexOf("Eval"), 3, Spin.indexOf("Eval"));
    QVERIFY(next.ok);
    const CoqIdeTop::StatusReply after = s.top->status(false);
    QVERIFY2(after.ok, qPrintable(after.failure.message));
}

void TestCoqIdeTop::hangPastTimeout()
{
    requireCoq();
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    QCOMPARE(addAll(&s, Spin, s.root).size(), 3);
    const qint64 pid = s.top->pid();
    s.top.reset(); // a client with a short timeout for the same document
    s.options.callTimeout = 1500ms;
    s.top = std::make_unique<CoqIdeTop>(s.options);
    QString error;
    QVERIFY(s.top->start(&error));
    QVERIFY(s.top->init().ok);
    QVERIFY(!TestSupport::processExists(pid));
    QCOMPARE(addAll(&s, Spin, s.root).size(), 3);
    const qint64 hung = s.top->pid();
    const CoqIdeTop::StatusReply status = s.top->status(false);
    QVERIFY(!status.ok);
    QVERIFY(status.failure.processLost);
    QCOMPARE(status.failure.message, QStringLiteral("coqidetop did not answer Status within 1500 ms"));
    QVERIFY(!TestSupport::processExists(hung));
    QVERIFY(TestSupport::processGroupMembers(hung).isEmpty());
    // Every later call says why.
    const CoqIdeTop::GoalReply later = s.top->goal();
    QVERIFY(later.failure.processLost);
    QCOMPARE(later.failure.message, status.failure.message);
}

void TestCoqIdeTop::stop_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<int>("members"); // in the group before stop(), at least
    QTest::newRow("synchronous") << QStringList() << 1;
    QTest::newRow("async proofs (a proof worker in the group)")
        << QStringList{QStringLiteral("-async-proofs"), QStringLiteral("on")} << 2;
}

void TestCoqIdeTop::stop()
{
    requireCoq();
    QFETCH(QStringList, flags);
    QFETCH(int, members);
    Session s;
    bool ok = false;
    open(&s, flags, &ok);
    QVERIFY(ok);
    QCOMPARE(addAll(&s, "Lemma x : 1 = 1.\nProof.\n  reflexivity.\nQed.\n", s.root).size(), 4);
    QVERIFY(s.top->status(true).ok);
    const qint64 pgid = s.top->pid();
    QTRY_VERIFY_WITH_TIMEOUT(TestSupport::processGroupMembers(pgid).size() >= members, 30000);
    s.top->stop();
    QVERIFY(TestSupport::processGroupMembers(pgid).isEmpty());
    QVERIFY(!TestSupport::processExists(pgid));
    QVERIFY(s.top->peakRssBytes() > 1024 * 1024);
    QVERIFY(!s.top->isRunning());
    s.top->stop(); // twice is fine
    QVERIFY(s.top->status(false).failure.processLost);
}

void TestCoqIdeTop::killedFromOutside()
{
    requireCoq();
    Session s;
    bool ok = false;
    open(&s, {}, &ok);
    QVERIFY(ok);
    const qint64 pid = s.top->pid();
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
    const CoqIdeTop::AddReply r = s.top->add("Definition a := 1.", -1, s.root, 0, 1, 0);
    QVERIFY(!r.ok);
    QVERIFY(r.failure.processLost);
    QVERIFY2(r.failure.message.startsWith(QLatin1String("coqidetop was killed by SIGKILL while waiting for the answer to Add")),
             qPrintable(r.failure.message));
    QVERIFY(!TestSupport::processExists(pid)); // reaped
    QVERIFY(!s.top->isRunning());
}

void TestCoqIdeTop::flagErrors_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<bool>("startFails");
    QTest::addColumn<QString>("message"); // a part of the error
    QTest::newRow("-Q of a directory that is not there")
        << QStringList{QStringLiteral("-Q"), QStringLiteral("/nonexistent"), QStringLiteral("x")} << true
        << QStringLiteral("-Q /nonexistent x: /nonexistent is not a directory");
    QTest::newRow("-R without its name") << QStringList{QStringLiteral("-R"), QStringLiteral("/tmp")} << true
                                         << QStringLiteral("-R needs a directory and a name after it");
    QTest::newRow("an option coqidetop does not know") << QStringList{QStringLiteral("-bogusflag")} << false
                                                        << QStringLiteral("coqidetop exited with code 1 while waiting for the answer to Init: Unknown option -bogusflag");
}

void TestCoqIdeTop::flagErrors()
{
    requireCoq();
    QFETCH(QStringList, flags);
    QFETCH(bool, startFails);
    QFETCH(QString, message);
    CoqIdeTop::Options options;
    options.flags = flags;
    options.callTimeout = 60s;
    CoqIdeTop top(options);
    QString error;
    QCOMPARE(!top.start(&error), startFails);
    if (!startFails) {
        const CoqIdeTop::InitReply init = top.init();
        QVERIFY(!init.ok);
        QVERIFY(init.failure.processLost);
        error = init.failure.message;
    }
    QVERIFY2(error.contains(message), qPrintable(error));
}

QTEST_MAIN(TestCoqIdeTop)
#include "tst_coqidetop.moc"
