// Coq documents checked sentence by sentence on coqdoc workers, each with a
// real coqidetop (docs/coq.md, "Interactive documents"): drover-check
// --sentences as a whole process, and CoqDocumentCheck on a queue of the
// test's own for what an editor does (edit, kill). Skipped without Coq.

#include "coqdocumentcheck.h"
#include "support/coq.h"
#include "support/coqcheck.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <memory>
#include <vector>

using namespace TestSupport;
using Status = CoqLib::CoqSentenceOutcome::Status;

namespace {

// A wrong proof outside any section (delegable) and one inside a section
// (not): both errors in one run, each lemma's rest admitted.
const QByteArray TwoWrongProofs("Definition a := 1.\n"
                                "Lemma wrong_out : a = 2.\n"
                                "Proof.\n"
                                "  unfold a. reflexivity.\n"
                                "Qed.\n"
                                "Section S.\n"
                                "  Variable n : nat.\n"
                                "  Lemma wrong_in : n + 0 = 0.\n"
                                "  Proof. simpl. reflexivity. Qed.\n"
                                "  Lemma right_in : n = n.\n"
                                "  Proof. reflexivity. Qed.\n"
                                "End S.\n"
                                "Lemma after : a = 1.\n"
                                "Proof. reflexivity. Qed.\n");

struct SentenceRun
{
    int exitCode = -1;
    QList<QJsonObject> sentences; //!< by index
    QList<QJsonObject> parseErrors;
    QJsonObject summary;
    QString err;
};

SentenceRun sentences(const QString &file, const QStringList &extra = {})
{
    QProcess p;
    p.start(QStringLiteral(DROVER_CHECK_BIN), QStringList{QStringLiteral("--json"), QStringLiteral("--sentences")} + extra << file);
    SentenceRun run;
    if (!p.waitForFinished(180000))
        return run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.err = QString::fromUtf8(p.readAllStandardError());
    QMap<int, QJsonObject> byIndex;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        const QString event = e.value(QLatin1String("event")).toString();
        if (event == QLatin1String("sentence"))
            byIndex.insert(e.value(QLatin1String("index")).toInt(), e);
        else if (event == QLatin1String("parse-error"))
            run.parseErrors << e;
        else if (event == QLatin1String("summary"))
            run.summary = e;
    }
    run.sentences = byIndex.values();
    return run;
}

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = QDir(dir.path()).filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

//! coqc's first error on `file`: {line, byte start, byte end}, or empty.
QList<int> coqcFirstError(const QString &file)
{
    QProcess coqc;
    coqc.setWorkingDirectory(QFileInfo(file).absolutePath());
    coqc.start(QStringLiteral("coqc"), {QFileInfo(file).fileName()});
    coqc.waitForFinished(120000);
    static const QRegularExpression head(QStringLiteral("line (\\d+), characters (\\d+)-(\\d+):\\nError:"));
    const QRegularExpressionMatch m = head.match(QString::fromUtf8(coqc.readAllStandardError()));
    return m.hasMatch() ? QList<int>{m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt()} : QList<int>{};
}

//! What an editor holds for one document: a coqdoc queue of one worker and
//! a CoqDocumentCheck on it, for a file in a directory of its own.
struct Editor
{
    Drover::Manager manager;
    Drover::TaskQueue *queue = manager.queue(QStringLiteral("coqdoc"));
    QTemporaryDir dir;
    std::unique_ptr<DroverDemo::CoqDocumentCheck> check;
    DroverDemo::CoqDocumentCheck::Setup setup;

    explicit Editor(const QString &file)
    {
        if (!queue)
            return;
        queue->setMaxWorkers(1);
        check = std::make_unique<DroverDemo::CoqDocumentCheck>(queue);
        setup.document = QDir(dir.path()).filePath(file);
        setup.root = dir.path();
    }
};

//! The coqidetop processes running in `dir`.
QList<qint64> coqidetopsIn(const QString &dir)
{
    QList<qint64> found;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(QStringLiteral("/proc/%1/comm").arg(entry));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("coqidetop")
            && QFile::symLinkTarget(QStringLiteral("/proc/%1/cwd").arg(entry)) == QFileInfo(dir).canonicalFilePath())
            found << entry.toLongLong();
    }
    return found;
}

//! Where every document of this suite lives: QTemporaryDirs named after it.
QString ourDirectories()
{
    return QDir::tempPath() + QLatin1Char('/') + QCoreApplication::applicationName();
}

const QByteArray Slow("Definition a := 1.\nGoal True.\nProof.\n  do 100000000 idtac.\n  exact I.\nQed.\nDefinition b := 2.\n");

} // namespace

class TestCoqDoc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void errorsOfEveryProof_data();
    void errorsOfEveryProof();
    void realFileInParallel();
    void badDocuments_data();
    void badDocuments();
    void editResumesAfterCommonPrefix();
    void killedWorkerResumesFromStart();
    void coqidetopKilled();
    void editWhileASentenceRuns();
    void leastRecentlyUsedDocumentGivesWay();
};

void TestCoqDoc::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("coqidetop.opt")).isEmpty())
        QSKIP("no coqidetop.opt on PATH (Debian: apt-get install coq)");
    QCOMPARE(TestSupport::coqidetopCount(ourDirectories()), 0);
}

void TestCoqDoc::cleanupTestCase()
{
    QTRY_COMPARE_WITH_TIMEOUT(TestSupport::coqidetopCount(ourDirectories()), 0, 10000);
}

void TestCoqDoc::errorsOfEveryProof_data()
{
    QTest::addColumn<QString>("jobs");
    QTest::newRow("one worker") << QStringLiteral("1");
    QTest::newRow("two workers") << QStringLiteral("2");
}

// Both wrong proofs are reported in one run; the first error is where
// plain coqc reports it; every other sentence is checked.
void TestCoqDoc::errorsOfEveryProof()
{
    QFETCH(QString, jobs);
    QTemporaryDir dir;
    const QString file = write(dir, QStringLiteral("two.v"), TwoWrongProofs);
    const SentenceRun run = sentences(file, {QStringLiteral("-j"), jobs});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.sentences.size(), 22);
    QStringList statuses;
    for (const QJsonObject &s : run.sentences)
        statuses << s.value(QLatin1String("status")).toString();
    QStringList expected(22, QStringLiteral("checked"));
    expected[4] = QStringLiteral("error");     // reflexivity in wrong_out
    expected[5] = QStringLiteral("admitted");  // its Qed
    expected[11] = QStringLiteral("error");    // reflexivity in wrong_in
    expected[12] = QStringLiteral("admitted");
    QCOMPARE(statuses, expected);
    const QList<int> coqc = coqcFirstError(file);
    QCOMPARE(coqc.size(), 3);
    const QJsonObject error = run.sentences.at(4).value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("line")).toInt(), coqc.at(0));
    QCOMPARE(error.value(QLatin1String("column")).toInt(), coqc.at(1)); // ASCII: bytes are UTF-16 columns
    QCOMPARE(error.value(QLatin1String("end_column")).toInt(), coqc.at(2));
    QCOMPARE(run.summary.value(QLatin1String("error")).toInt(), 2);
}

// A real file of stdpp (against the installed library): every sentence
// checked by one worker and by two, the proofs shared out with two.
void TestCoqDoc::realFileInParallel()
{
    QProcess where;
    where.start(QStringLiteral("coqc"), {QStringLiteral("-where")});
    QVERIFY(where.waitForFinished(30000));
    const QString option = QString::fromLocal8Bit(where.readAllStandardOutput()).trimmed() + QStringLiteral("/user-contrib/stdpp/option.v");
    if (!QFileInfo::exists(option))
        QSKIP("no stdpp sources (Debian: apt-get install libcoq-stdpp)");
    QTemporaryDir dir;
    QFile source(option);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QString file = write(dir, QStringLiteral("option.v"), source.readAll());
    const SentenceRun one = sentences(file, {QStringLiteral("-j"), QStringLiteral("1")});
    QCOMPARE(one.exitCode, 0);
    const int total = one.summary.value(QLatin1String("sentences")).toInt();
    QVERIFY(total > 300);
    QCOMPARE(one.summary.value(QLatin1String("checked")).toInt(), total);
    const SentenceRun two = sentences(file, {QStringLiteral("-j"), QStringLiteral("2")});
    QCOMPARE(two.exitCode, 0);
    QCOMPARE(two.summary.value(QLatin1String("checked")).toInt(), total);
    QCOMPARE(two.summary.value(QLatin1String("workers")).toInt(), 2);
    QSet<int> workers;
    for (const QJsonObject &s : two.sentences)
        workers.insert(s.value(QLatin1String("worker")).toInt());
    QCOMPARE(workers.size(), 2);
}

void TestCoqDoc::badDocuments_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("said"); // on stderr, or in the parse-error event
    QTest::newRow("not UTF-8") << QByteArray("(* caf\xe9 *)\nDefinition a := 1.\n") << 2
                               << QStringLiteral("it is not UTF-8 text");
    QTest::newRow("an unbalanced comment") << QByteArray("Definition a := 1.\n(* (* *)\nDefinition b := 2.\n") << 1
                                           << QStringLiteral("comment");
    QTest::newRow("a sentence coqidetop rejects") << QByteArray("Definition a := 1.\nDefinition := 2.\nDefinition c := 3.\n")
                                                  << 1 << QString();
}

void TestCoqDoc::badDocuments()
{
    QFETCH(QByteArray, text);
    QFETCH(int, exitCode);
    QFETCH(QString, said);
    QTemporaryDir dir;
    const SentenceRun run = sentences(write(dir, QStringLiteral("bad.v"), text));
    QCOMPARE(run.exitCode, exitCode);
    if (exitCode == 2) {
        QVERIFY2(run.err.contains(said), qPrintable(run.err));
        return;
    }
    QCOMPARE(run.sentences.value(0).value(QLatin1String("status")).toString(), QStringLiteral("checked"));
    if (!said.isEmpty()) {
        QCOMPARE(run.parseErrors.size(), 1);
        QVERIFY(run.parseErrors.first().value(QLatin1String("message")).toString().contains(said));
        QCOMPARE(run.parseErrors.first().value(QLatin1String("line")).toInt(), 2);
    } else {
        QCOMPARE(run.sentences.value(1).value(QLatin1String("status")).toString(), QStringLiteral("error"));
        QCOMPARE(run.sentences.value(2).value(QLatin1String("status")).toString(), QStringLiteral("not reached"));
    }
}

// An edit in the last proof: the worker goes back to the common prefix and
// adds only what follows it.
void TestCoqDoc::editResumesAfterCommonPrefix()
{
    Editor editor(QStringLiteral("edit.v"));
    QVERIFY2(editor.queue, qPrintable(editor.manager.errorString()));
    DroverDemo::CoqDocumentCheck &check = *editor.check;
    const DroverDemo::CoqDocumentCheck::Setup &setup = editor.setup;
    QSignalSpy finished(&check, &DroverDemo::CoqDocumentCheck::finished);
    check.check(setup, TwoWrongProofs);
    QVERIFY(finished.wait(60000));
    QCOMPARE(check.results().value(0).resumedAt, 0);
    // Every sentence added once: a proof's tactics and its end are added,
    // then run together, so the Qed of a proof given up was added too.
    QCOMPARE(check.results().value(0).added, 22);
    // `after`'s tactic (sentence 20 of 22) changes: it resumes there, past
    // both proofs given up, and adds only it and its Qed.
    QByteArray edited = TwoWrongProofs;
    const qsizetype last = edited.lastIndexOf("reflexivity");
    edited.replace(last, 11, "unfold a; reflexivity");
    check.check(setup, edited);
    QVERIFY(finished.wait(60000));
    QCOMPARE(check.results().value(0).resumedAt, 20);
    QCOMPARE(check.results().value(0).added, 2);
    QCOMPARE(check.sentences().at(20).outcome.status, Status::Checked);
    // What the prefix said is said again: both errors, their proofs admitted.
    QCOMPARE(check.sentences().at(4).outcome.status, Status::Error);
    QCOMPARE(check.sentences().at(5).outcome.status, Status::Admitted);
    QCOMPARE(check.sentences().at(11).outcome.status, Status::Error);
    QCOMPARE(check.sentences().at(19).outcome.status, Status::Checked);
    // An edit before the first error: everything after it is added again.
    edited.replace("Definition a := 1.", "Definition a := 2.");
    check.check(setup, edited);
    QVERIFY(finished.wait(60000));
    QCOMPARE(check.results().value(0).resumedAt, 0);
    QCOMPARE(check.sentences().at(4).outcome.status, Status::Checked); // a = 2 now holds
    QCOMPARE(check.sentences().at(20).outcome.status, Status::Error);  // and `after` does not
}

// A worker killed mid-document: what it had not answered for is not
// reached, saying why; the next check starts a fresh worker from the start.
void TestCoqDoc::killedWorkerResumesFromStart()
{
    Editor editor(QStringLiteral("slow.v"));
    QVERIFY2(editor.queue, qPrintable(editor.manager.errorString()));
    DroverDemo::CoqDocumentCheck &check = *editor.check;
    const DroverDemo::CoqDocumentCheck::Setup &setup = editor.setup;
    Drover::TaskQueue *queue = editor.queue;
    QSignalSpy finished(&check, &DroverDemo::CoqDocumentCheck::finished);
    check.check(setup, Slow);
    QTRY_VERIFY_WITH_TIMEOUT(!check.sentences().at(0).pending, 60000); // `a` checked: the slow tactic runs
    QTRY_VERIFY_WITH_TIMEOUT(!queue->workers().isEmpty(), 10000);
    QVERIFY(queue->killWorker(queue->workers().first().id));
    QVERIFY(finished.wait(60000));
    QCOMPARE(check.sentences().at(0).outcome.status, Status::Checked);
    QCOMPARE(check.sentences().at(6).outcome.status, Status::NotReached);
    QVERIFY2(check.sentences().at(6).outcome.message.contains(QLatin1String("crashed")),
             qPrintable(check.sentences().at(6).outcome.message));
    QByteArray quick = Slow;
    quick.replace("do 100000000 idtac", "idtac");
    check.check(setup, quick);
    QVERIFY(finished.wait(60000));
    QCOMPARE(check.results().value(0).resumedAt, 0);
    for (const DroverDemo::CoqDocumentCheck::Sentence &s : check.sentences())
        QCOMPARE(s.outcome.status, Status::Checked);
}

// coqidetop itself killed under its worker: the check ends saying so, and
// the next one starts a fresh worker and coqidetop.
void TestCoqDoc::coqidetopKilled()
{
    Editor editor(QStringLiteral("slow.v"));
    QVERIFY2(editor.queue, qPrintable(editor.manager.errorString()));
    QSignalSpy finished(editor.check.get(), &DroverDemo::CoqDocumentCheck::finished);
    editor.check->check(editor.setup, Slow);
    QTRY_VERIFY_WITH_TIMEOUT(!editor.check->sentences().at(0).pending, 60000);
    const QList<qint64> coqidetops = coqidetopsIn(editor.dir.path());
    QCOMPARE(coqidetops.size(), 1);
    ::kill(pid_t(coqidetops.first()), SIGKILL);
    QVERIFY(finished.wait(60000));
    const CoqLib::CoqSentenceOutcome late = editor.check->sentences().at(6).outcome;
    QCOMPARE(late.status, Status::NotReached);
    QVERIFY2(late.message.contains(QLatin1String("coqidetop was killed by SIGKILL")), qPrintable(late.message + editor.check->results().value(0).message));
    QCOMPARE(editor.check->results().value(0).status, QStringLiteral("crashed"));
    QByteArray quick = Slow;
    quick.replace("do 100000000 idtac", "idtac");
    editor.check->check(editor.setup, quick);
    QVERIFY(finished.wait(60000));
    QCOMPARE(editor.check->results().value(0).resumedAt, 0);
    QCOMPARE(editor.check->results().value(0).status, QStringLiteral("ok"));
}

// An edit while a sentence runs (the slow tactic): that sentence is
// interrupted, the worker goes back, and the new text is checked at once,
// on the same coqidetop, after the prefix that stayed.
void TestCoqDoc::editWhileASentenceRuns()
{
    Editor editor(QStringLiteral("slow.v"));
    QVERIFY2(editor.queue, qPrintable(editor.manager.errorString()));
    QSignalSpy finished(editor.check.get(), &DroverDemo::CoqDocumentCheck::finished);
    editor.check->check(editor.setup, Slow);
    QTRY_VERIFY_WITH_TIMEOUT(!editor.check->sentences().at(2).pending, 60000); // Proof. holds: the tactic runs
    const QList<qint64> before = coqidetopsIn(editor.dir.path());
    QByteArray quick = Slow;
    quick.replace("do 100000000 idtac", "idtac");
    QElapsedTimer clock;
    clock.start();
    editor.check->check(editor.setup, quick);
    QTRY_VERIFY_WITH_TIMEOUT(!editor.check->isRunning(), 60000);
    QVERIFY2(clock.elapsed() < 15000, "the running sentence was not interrupted"); // it alone takes ~25 s
    QCOMPARE(editor.check->results().value(0).status, QStringLiteral("ok"));
    QCOMPARE(editor.check->results().value(0).resumedAt, 3);
    for (const DroverDemo::CoqDocumentCheck::Sentence &s : editor.check->sentences())
        QCOMPARE(s.outcome.status, Status::Checked);
    QCOMPARE(coqidetopsIn(editor.dir.path()), before);
}

// Three documents, two workers: the third takes the worker of the document
// used least recently; the other keeps its worker, and its prefix.
void TestCoqDoc::leastRecentlyUsedDocumentGivesWay()
{
    Drover::Manager manager;
    Drover::TaskQueue *queue = manager.queue(QStringLiteral("coqdoc"));
    QVERIFY2(queue, qPrintable(manager.errorString()));
    queue->setMaxWorkers(2);
    QTemporaryDir dir;
    std::vector<std::unique_ptr<DroverDemo::CoqDocumentCheck>> checks;
    std::vector<DroverDemo::CoqDocumentCheck::Setup> setups;
    const auto run = [&](int doc, const QByteArray &text) {
        QSignalSpy finished(checks.at(doc).get(), &DroverDemo::CoqDocumentCheck::finished);
        checks.at(doc)->check(setups.at(doc), text);
        return finished.wait(60000);
    };
    for (const char *name : {"a.v", "b.v", "c.v"}) {
        checks.push_back(std::make_unique<DroverDemo::CoqDocumentCheck>(queue));
        DroverDemo::CoqDocumentCheck::Setup setup;
        setup.document = QDir(dir.path()).filePath(QLatin1String(name));
        setup.root = dir.path();
        setups.push_back(setup);
    }
    QVERIFY(run(0, TwoWrongProofs));
    QVERIFY(run(1, TwoWrongProofs));
    QByteArray edited = TwoWrongProofs;
    edited.replace("Lemma after", "Lemma after'");
    QVERIFY(run(0, edited)); // a's worker is now the most recently used
    QVERIFY(run(2, TwoWrongProofs));
    QCOMPARE(queue->workers().size(), 2);
    edited.replace("Lemma after'", "Lemma after''");
    QVERIFY(run(0, edited));
    QCOMPARE(checks.at(0)->results().value(0).resumedAt, 18); // a kept its worker
    QVERIFY(run(1, edited));
    QCOMPARE(checks.at(1)->results().value(0).resumedAt, 0);  // b's went to c
}

QTEST_GUILESS_MAIN(TestCoqDoc)
#include "tst_coqdoc.moc"
