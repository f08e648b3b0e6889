// drover-check on real Coq developments (docs/coq.md): a handful of stdpp's
// own files copied to a temporary directory and built with the machine's
// coqc through Drover's workers. Skipped where Coq or stdpp is not
// installed (CI installs both: coq, libcoq-stdpp).

#include "support/coq.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include "support/coqcheck.h"

#include <csignal>
#include <utime.h>

using namespace TestSupport;

namespace {

// In dependency order: each needs only those before it.
const QStringList StdppFiles{QStringLiteral("options"), QStringLiteral("base"), QStringLiteral("proof_irrel"),
                             QStringLiteral("decidable"), QStringLiteral("tactics"), QStringLiteral("option")};

void setMtime(const QString &file, qint64 secondsFromNow)
{
    const time_t t = time(nullptr) + secondsFromNow;
    utimbuf times{t, t};
    ::utime(QFile::encodeName(file).constData(), &times);
}

} // namespace

class TestCoq : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void buildsLikeCoqc_data();
    void buildsLikeCoqc();
    void errorsArePlacedInUtf16_data();
    void errorsArePlacedInUtf16();
    void quickFindsWhatVosPasses();
    void touchingRebuildsExactlyItsDependents();
    void badDevelopments_data();
    void badDevelopments();
    void endsLeaveNoCoqcAndNoVo_data();
    void endsLeaveNoCoqcAndNoVo();

private:
    //! A development of the first `count` stdpp files in a new directory.
    QString development(QTemporaryDir &dir, qsizetype count = StdppFiles.size());
    QString m_stdpp;
};

void TestCoq::initTestCase()
{
    QString whyNot;
    m_stdpp = TestSupport::stdppSources(&whyNot);
    if (m_stdpp.isEmpty())
        QSKIP(qPrintable(whyNot));
}

QString TestCoq::development(QTemporaryDir &dir, qsizetype count)
{
    QDir root(dir.path());
    root.mkdir(QStringLiteral("theories"));
    QString project = QStringLiteral("-Q theories stdpp\n");
    for (qsizetype i = 0; i < count; ++i) {
        const QString name = StdppFiles.at(i) + QStringLiteral(".v");
        QFile::copy(QDir(m_stdpp).filePath(name), root.filePath(QStringLiteral("theories/") + name));
        QFile(root.filePath(QStringLiteral("theories/") + name)).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        project += QStringLiteral("theories/") + name + QLatin1Char('\n');
    }
    QFile file(root.filePath(QStringLiteral("_CoqProject")));
    file.open(QIODevice::WriteOnly);
    file.write(project.toUtf8());
    return dir.path();
}

void TestCoq::buildsLikeCoqc_data()
{
    QTest::addColumn<QString>("seeded");   // the file that gets a wrong proof, or none
    QTest::addColumn<QStringList>("statuses");
    QTest::newRow("as shipped") << QString() << QStringList(6, QStringLiteral("ok"));
    QTest::newRow("a wrong proof in decidable.v")
        << QStringLiteral("decidable")
        << QStringList{QStringLiteral("ok"), QStringLiteral("ok"), QStringLiteral("ok"), QStringLiteral("error"),
                       QStringLiteral("skipped"), QStringLiteral("skipped")};
}

void TestCoq::buildsLikeCoqc()
{
    QFETCH(QString, seeded);
    QFETCH(QStringList, statuses);
    QTemporaryDir dir;
    const QString root = development(dir);
    if (!seeded.isEmpty()) {
        QFile file(QDir(root).filePath(QStringLiteral("theories/%1.v").arg(seeded)));
        QVERIFY(file.open(QIODevice::Append));
        file.write("\nLemma drover_seeded : 1 = 2.\nProof. reflexivity. Qed.\n");
    }
    const Run run = check({QStringLiteral("-j"), QStringLiteral("2"), root});
    QCOMPARE(run.exitCode, seeded.isEmpty() ? 0 : 1);
    for (qsizetype i = 0; i < StdppFiles.size(); ++i) {
        const QString file = QStringLiteral("theories/%1.v").arg(StdppFiles.at(i));
        QCOMPARE(status(run, file), statuses.at(i));
        QCOMPARE(QFileInfo::exists(QDir(root).filePath(file + QLatin1Char('o'))), statuses.at(i) == QLatin1String("ok"));
    }
    if (seeded.isEmpty())
        return;
    // Plain coqc says the same of the seeded file, at the same place.
    QProcess coqc;
    coqc.setWorkingDirectory(root);
    coqc.start(QStringLiteral("coqc"), {QStringLiteral("-Q"), QStringLiteral("theories"), QStringLiteral("stdpp"),
                                        QStringLiteral("theories/%1.v").arg(seeded)});
    QVERIFY(coqc.waitForFinished(60000));
    QCOMPARE(coqc.exitCode(), 1);
    const QJsonObject event = run.files.value(QStringLiteral("theories/%1.v").arg(seeded));
    const QJsonObject error = event.value(QLatin1String("errors")).toArray().last().toObject();
    QCOMPARE(error.value(QLatin1String("severity")).toString(), QStringLiteral("error"));
    const QString plain = QString::fromUtf8(coqc.readAllStandardError() + coqc.readAllStandardOutput());
    QVERIFY2(plain.contains(QStringLiteral("line %1, characters %2-%3")
                                .arg(error.value(QLatin1String("line")).toInt())
                                .arg(error.value(QLatin1String("byte_start")).toInt())
                                .arg(error.value(QLatin1String("byte_end")).toInt())),
             qPrintable(plain));
    QVERIFY(event.value(QLatin1String("message")).toString().contains(QLatin1String("Unable to unify")));
    QVERIFY(run.files.value(QStringLiteral("theories/tactics.v")).value(QLatin1String("message")).toString()
                .contains(QLatin1String("theories/decidable.v")));
}

void TestCoq::errorsArePlacedInUtf16_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("endLine");
    QTest::addColumn<int>("endColumn");
    QTest::newRow("ASCII") << QByteArray("Lemma b : 1 = 2.\nProof. reflexivity. Qed.\n") << 2 << 7 << 2 << 18;
    // "Proof. (* é *) " is 16 bytes and 15 UTF-16 units.
    QTest::newRow("after an é") << QByteArray("Lemma b : 1 = 2.\nProof. (* \xc3\xa9 *) reflexivity. Qed.\n") << 2 << 15
                                << 2 << 26;
    // U+1D400 is 4 bytes and 2 UTF-16 units.
    QTest::newRow("after a character beyond the BMP")
        << QByteArray("Lemma b : 1 = 2.\nProof. (* \xf0\x9d\x90\x80 *) reflexivity. Qed.\n") << 2 << 16 << 2 << 27;
    // coqc counts the end in bytes from the start of the first line.
    QTest::newRow("a span over two lines")
        << QByteArray("Definition x : nat :=\n  (fun y =>\n  y) true.\n") << 2 << 2 << 3 << 9;
}

void TestCoq::errorsArePlacedInUtf16()
{
    QFETCH(QByteArray, source);
    QTemporaryDir dir;
    const QString file = QDir(dir.path()).filePath(QStringLiteral("u.v"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(source);
    out.close();
    const Run run = check({file});
    QCOMPARE(run.exitCode, 1);
    const QJsonArray errors = run.files.value(QStringLiteral("u.v")).value(QLatin1String("errors")).toArray();
    QVERIFY2(!errors.isEmpty(), qPrintable(run.err));
    const QJsonObject e = errors.first().toObject();
    QTEST(e.value(QLatin1String("line")).toInt(), "line");
    QTEST(e.value(QLatin1String("column")).toInt(), "column");
    QTEST(e.value(QLatin1String("end_line")).toInt(), "endLine");
    QTEST(e.value(QLatin1String("end_column")).toInt(), "endColumn");
}

// --quick: every .vos in order, every file's proofs checked with -vok. A
// wrong proof that -vos skips is found, and the files that need its file
// build all the same (they need only its .vos).
void TestCoq::quickFindsWhatVosPasses()
{
    QTemporaryDir dir;
    const QString root = development(dir);
    QFile file(QDir(root).filePath(QStringLiteral("theories/decidable.v")));
    QVERIFY(file.open(QIODevice::Append));
    file.write("\nLemma drover_seeded : 1 = 2.\nProof. reflexivity. Qed.\n");
    file.close();
    const Run run = check({QStringLiteral("--quick"), QStringLiteral("-j"), QStringLiteral("2"), root});
    QCOMPARE(run.exitCode, 1);
    for (const QString &name : StdppFiles) {
        const QString path = QStringLiteral("theories/%1.v").arg(name);
        QCOMPARE(status(run, path), name == QLatin1String("decidable") ? QStringLiteral("error") : QStringLiteral("ok"));
        QVERIFY2(QFileInfo::exists(QDir(root).filePath(path + QStringLiteral("os"))), qPrintable(path)); // its .vos
    }
    const QJsonObject event = run.files.value(QStringLiteral("theories/decidable.v"));
    QVERIFY(event.value(QLatin1String("message")).toString().contains(QLatin1String("Unable to unify")));
    const QJsonObject error = event.value(QLatin1String("errors")).toArray().last().toObject();
    // The error is on the seeded proof's line, the file's last.
    QFile seeded(file.fileName());
    QVERIFY(seeded.open(QIODevice::ReadOnly));
    const int lines = int(seeded.readAll().count('\n'));
    QCOMPARE(error.value(QLatin1String("line")).toInt(), lines);
}

void TestCoq::touchingRebuildsExactlyItsDependents()
{
    QTemporaryDir dir;
    const QString root = development(dir);
    QCOMPARE(check({root}).exitCode, 0);
    // The times are kept for the next build's ranks.
    QFile times(QDir(root).filePath(QStringLiteral(".drover-times.json")));
    QVERIFY(times.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(times.readAll()).object().value(QLatin1String("ms")).toObject().size(), 6);
    Run again = check({root});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.summary.value(QLatin1String("up_to_date")).toInt(), 6);
    // Newer than every .vo: tactics.v and option.v (which needs it) only.
    setMtime(QDir(root).filePath(QStringLiteral("theories/tactics.v")), 5);
    again = check({root});
    QCOMPARE(again.exitCode, 0);
    for (const QString &name : StdppFiles) {
        const QJsonObject event = again.files.value(QStringLiteral("theories/%1.v").arg(name));
        const bool rebuilt = name == QLatin1String("tactics") || name == QLatin1String("option");
        QCOMPARE(event.value(QLatin1String("up_to_date")).toBool(), !rebuilt);
    }
}

void TestCoq::badDevelopments_data()
{
    QTest::addColumn<QString>("project"); // the _CoqProject, or a file to write and give
    QTest::addColumn<QByteArray>("a");    // theories/a.v
    QTest::addColumn<QByteArray>("b");    // theories/b.v
    QTest::addColumn<QString>("coqbin");
    QTest::addColumn<QString>("error");
    const QByteArray plain("Definition x := 1.\n");
    QTest::newRow("a cycle") << QStringLiteral("-Q theories T\ntheories/a.v\ntheories/b.v\n")
                             << QByteArray("Require Import T.b.\n") << QByteArray("Require Import T.a.\n") << QString()
                             << QStringLiteral("cycle: a.v -> b.v -> a.v");
    QTest::newRow("a missing file") << QStringLiteral("-Q theories T\ntheories/a.v\ntheories/gone.v\n") << plain << plain
                                    << QString() << QStringLiteral("_CoqProject:3: theories/gone.v names no file");
    QTest::newRow("-Q with one operand") << QStringLiteral("theories/a.v\n-Q theories\n") << plain << plain << QString()
                                         << QStringLiteral("_CoqProject:2: -Q wants 2 operands");
    QTest::newRow("no coqc") << QStringLiteral("-Q theories T\ntheories/a.v\n") << plain << plain
                             << QStringLiteral("/nonexistent") << QStringLiteral("no coqc in $COQBIN");
}

void TestCoq::badDevelopments()
{
    QFETCH(QString, project);
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(QString, coqbin);
    QFETCH(QString, error);
    QTemporaryDir dir;
    QDir root(dir.path());
    root.mkdir(QStringLiteral("theories"));
    auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile f(root.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    write(QStringLiteral("_CoqProject"), project.toUtf8());
    write(QStringLiteral("theories/a.v"), a);
    write(QStringLiteral("theories/b.v"), b);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!coqbin.isEmpty())
        environment.insert(QStringLiteral("COQBIN"), coqbin);
    const Run run = check({dir.path()}, environment);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(error), qPrintable(run.err));
    QVERIFY(run.files.isEmpty());
}

void TestCoq::endsLeaveNoCoqcAndNoVo_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("status");
    QTest::newRow("Ctrl-C") << QStringLiteral("sigint") << QStringLiteral("cancelled");
    QTest::newRow("--timeout") << QStringLiteral("timeout") << QStringLiteral("timeout");
}

// A file that takes coqc long: interrupting drover-check, or its timeout,
// ends that coqc, and leaves no .vo a later make would take as built.
void TestCoq::endsLeaveNoCoqcAndNoVo()
{
    QFETCH(QString, how);
    QFETCH(QString, status);
    QTemporaryDir dir;
    const QString file = QDir(dir.path()).filePath(QStringLiteral("slow.v"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("Goal True.\nProof.\n  do 100000000 idtac.\n  exact I.\nQed.\n");
    out.close();

    QProcess p;
    QStringList arguments{QStringLiteral("--json")};
    if (how == QLatin1String("timeout"))
        arguments << QStringLiteral("--timeout") << QStringLiteral("1.5");
    p.start(QStringLiteral(DROVER_CHECK_BIN), arguments << file);
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(!TestSupport::coqcProcesses(file).isEmpty(), 60000); // coqc runs
    if (how == QLatin1String("sigint"))
        ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    const QByteArray output = p.readAllStandardOutput();
    QVERIFY2(output.contains(QByteArray("\"status\":\"%1\"").replace("%1", status.toUtf8())), output.constData());
    QCOMPARE(TestSupport::coqcProcesses(file), QStringList());
    QVERIFY(!QFileInfo::exists(QDir(dir.path()).filePath(QStringLiteral("slow.vo"))));
}

QTEST_GUILESS_MAIN(TestCoq)
#include "tst_coq.moc"
