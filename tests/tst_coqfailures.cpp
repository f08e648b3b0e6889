// A Coq development whose coqc ends badly (docs/coq.md, "When coqc ends
// badly"): it crashes, the kernel's OOM killer ends it, it runs out of the
// worker's address space, it cannot write beside its source, its source is
// not UTF-8. Each gives the file a status and a message a person can act
// on, skips what needs it, and leaves no coqc and no .vo behind. The real
// coqc every time; rows that need root's powers (a memory cgroup, an
// immutable directory) are skipped where those are not to be had.

#include "support/coq.h"
#include "support/coqcheck.h"
#include "support/memorycgroup.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QScopeGuard>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <csignal>
#include <unistd.h>

using namespace TestSupport;

namespace {

const QByteArray Slow("Goal True.\nProof.\n  do 100000000 idtac.\n  exact I.\nQed.\n");
// Far more than 300 MiB once computed: a list of twenty million numbers.
const QByteArray Hungry("Require Import List.\nDefinition l := Eval vm_compute in length (seq 0 20000000).\n");
const QByteArray Plain("Definition x := 1.\n");

bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestCoqFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void coqcKilled_data();
    void coqcKilled();
    void oomKillerIsNamed();
    void addressSpaceLimitIsNamed();
    void readOnlyDirectory();
    void notUtf8();

private:
    //! theories/a.v with `a`, theories/b.v needing it; the development's root.
    QString development(QTemporaryDir &dir, const QByteArray &a);
    void expectNoCoqcAndNoVo(const QString &root);
};

void TestCoqFailures::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("coqc")).isEmpty())
        QSKIP("no coqc on PATH (Debian: apt-get install coq)");
}

QString TestCoqFailures::development(QTemporaryDir &dir, const QByteArray &a)
{
    QDir root(dir.path());
    root.mkdir(QStringLiteral("theories"));
    write(root.filePath(QStringLiteral("_CoqProject")), "-Q theories T\ntheories/a.v\ntheories/b.v\n");
    write(root.filePath(QStringLiteral("theories/a.v")), a);
    write(root.filePath(QStringLiteral("theories/b.v")), "Require Import T.a.\n" + Plain);
    return dir.path();
}

void TestCoqFailures::expectNoCoqcAndNoVo(const QString &root)
{
    const QString a = QDir(root).filePath(QStringLiteral("theories/a.v"));
    QCOMPARE(coqcProcesses(a), QStringList());
    QVERIFY(!QFileInfo::exists(a + QLatin1Char('o')));
    QVERIFY(!QFileInfo::exists(QDir(root).filePath(QStringLiteral("theories/b.vo"))));
}

void TestCoqFailures::coqcKilled_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("message");
    // Not SIGSEGV: OCaml's handler (there for stack overflows) takes a
    // SIGSEGV that kill(2) sends and coqc goes on.
    QTest::newRow("a crash (SIGBUS)") << int(SIGBUS) << QStringLiteral("coqc was killed by SIGBUS");
    QTest::newRow("SIGKILL from outside") << int(SIGKILL)
                                          << QStringLiteral("coqc was killed by SIGKILL from outside (a user, or a "
                                                            "supervisor; the kernel's OOM killer counted no kill)");
    QTest::newRow("SIGABRT") << int(SIGABRT) << QStringLiteral("coqc was killed by SIGABRT");
}

// The real coqc, signalled while it works: the file is `crashed` saying by
// what, what needs it is skipped, and the build goes on to its summary.
void TestCoqFailures::coqcKilled()
{
    QFETCH(int, signal);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString root = development(dir, Slow);
    const QString a = QDir(root).filePath(QStringLiteral("theories/a.v"));
    QProcess p;
    p.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("--json"), root});
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(!coqcProcesses(a).isEmpty(), 60000);
    for (const QString &pid : coqcProcesses(a))
        ::kill(pid_t(pid.toInt()), signal);
    const Run run = finishRun(p);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(status(run, QStringLiteral("theories/a.v")), QStringLiteral("crashed"));
    const QString said = run.files.value(QStringLiteral("theories/a.v")).value(QLatin1String("message")).toString();
    QVERIFY2(said.startsWith(message), qPrintable(said));
    QCOMPARE(status(run, QStringLiteral("theories/b.v")), QStringLiteral("skipped"));
    QCOMPARE(run.summary.value(QLatin1String("crashed")).toInt(), 1);
    expectNoCoqcAndNoVo(root);
}

// The kernel's OOM killer, for real: drover-check in a memory cgroup of
// 300 MiB, and a file whose coqc needs more.
void TestCoqFailures::oomKillerIsNamed()
{
#ifdef DROVER_SANITIZE
    QSKIP("AddressSanitizer's shadow memory makes the OOM killer's choice unpredictable");
#endif
    const QString group = makeMemoryCgroup(QStringLiteral("coqoom"), "300M");
    if (group.isEmpty())
        QSKIP("no memory cgroup can be made here (needs root and a memory controller)");
    const auto removeGroup = qScopeGuard([group] { QDir().rmdir(group); });
    QTemporaryDir dir;
    const QString root = development(dir, Hungry);
    QProcess p;
    p.start(QStringLiteral("/bin/sh"),
            {QStringLiteral("-c"), QStringLiteral("echo $$ > %1/cgroup.procs && exec \"$0\" --json \"$1\"").arg(group),
             QStringLiteral(DROVER_CHECK_BIN), root});
    const Run run = finishRun(p);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(status(run, QStringLiteral("theories/a.v")), QStringLiteral("crashed"));
    const QString said = run.files.value(QStringLiteral("theories/a.v")).value(QLatin1String("message")).toString();
    QVERIFY2(said.startsWith(QLatin1String("coqc was killed by SIGKILL, most likely by the kernel's OOM killer")),
             qPrintable(said + QLatin1Char('\n') + run.err));
    QCOMPARE(status(run, QStringLiteral("theories/b.v")), QStringLiteral("skipped"));
    expectNoCoqcAndNoVo(root);
}

// --memory-limit: coqc inherits its worker's address-space ceiling, and the
// message names it.
void TestCoqFailures::addressSpaceLimitIsNamed()
{
#ifdef DROVER_SANITIZE
    QSKIP("AddressSanitizer needs more address space than any limit here leaves it");
#endif
    QTemporaryDir dir;
    const QString root = development(dir, Hungry);
    const Run run = check({QStringLiteral("--memory-limit"), QStringLiteral("512M"), root});
    QCOMPARE(run.exitCode, 1);
    const QString a = status(run, QStringLiteral("theories/a.v"));
    QVERIFY2(a == QLatin1String("error") || a == QLatin1String("crashed"), qPrintable(a)); // an exception, or an abort
    const QString said = run.files.value(QStringLiteral("theories/a.v")).value(QLatin1String("message")).toString();
    QVERIFY2(said.startsWith(QLatin1String("coqc ran out of memory")), qPrintable(said));
    QVERIFY2(said.contains(QLatin1String("the worker's address-space limit is 512 MiB")), qPrintable(said));
    QCOMPARE(status(run, QStringLiteral("theories/b.v")), QStringLiteral("skipped"));
    expectNoCoqcAndNoVo(root);
}

// A directory coqc cannot write in: root writes anywhere chmod allows, so
// the directory is made immutable (chattr +i), which binds root too.
void TestCoqFailures::readOnlyDirectory()
{
    QTemporaryDir dir;
    const QString root = development(dir, Plain);
    const QString theories = QDir(root).filePath(QStringLiteral("theories"));
    const auto chattr = [&](const char *how) {
        QProcess p;
        p.start(QStringLiteral("chattr"), {QString::fromLatin1(how), theories});
        return p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    };
    if (!chattr("+i"))
        QSKIP("chattr +i is not to be had here (needs root and a file system that keeps the flag)");
    const auto writable = qScopeGuard([&] { chattr("-i"); });
    const Run run = check({root});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(status(run, QStringLiteral("theories/a.v")), QStringLiteral("error"));
    const QString said = run.files.value(QStringLiteral("theories/a.v")).value(QLatin1String("message")).toString();
    // coqc's own words name the file it could not write, and why.
    QVERIFY2(said.contains(QLatin1String("theories/a.")) && said.contains(QLatin1String("Operation not permitted")),
             qPrintable(said));
    QCOMPARE(status(run, QStringLiteral("theories/b.v")), QStringLiteral("skipped"));
}

// Coq reads Latin-1 in a comment without a word; Drover says where the
// file stops being UTF-8, and places coqc's error all the same.
void TestCoqFailures::notUtf8()
{
    QTemporaryDir dir;
    const QString root = development(dir, "(* caf\xe9 *)\nLemma b : 1 = 2.\nProof. reflexivity. Qed.\n");
    const Run run = check({root});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject a = run.files.value(QStringLiteral("theories/a.v"));
    QCOMPARE(a.value(QLatin1String("status")).toString(), QStringLiteral("error"));
    const QJsonArray errors = a.value(QLatin1String("errors")).toArray();
    QCOMPARE(errors.size(), 2);
    const QJsonObject warning = errors.at(0).toObject();
    QCOMPARE(warning.value(QLatin1String("severity")).toString(), QStringLiteral("warning"));
    QCOMPARE(warning.value(QLatin1String("line")).toInt(), 1);
    QCOMPARE(warning.value(QLatin1String("column")).toInt(), 6);
    QCOMPARE(warning.value(QLatin1String("byte_start")).toInt(), 6);
    QVERIFY2(warning.value(QLatin1String("message")).toString().startsWith(QLatin1String("the file is not UTF-8 (byte 0xe9 at line 1")),
             qPrintable(warning.value(QLatin1String("message")).toString()));
    const QJsonObject error = errors.at(1).toObject();
    QCOMPARE(error.value(QLatin1String("line")).toInt(), 3);
    QCOMPARE(error.value(QLatin1String("column")).toInt(), 7);
    QCOMPARE(error.value(QLatin1String("end_column")).toInt(), 18);
    QCOMPARE(a.value(QLatin1String("message")).toString(), error.value(QLatin1String("message")).toString());
}

QTEST_GUILESS_MAIN(TestCoqFailures)
#include "tst_coqfailures.moc"
