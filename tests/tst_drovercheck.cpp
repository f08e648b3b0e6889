// drover-check as a user runs it: statuses, JSON events, exit codes, bad
// flags, timeouts, retries, Ctrl-C, and no worker left behind.

#include "support/processes.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtTest/QTest>

#include <csignal>

namespace {
struct Run
{
    int exitCode = -1;
    QList<QJsonObject> events;
    QString stderrText;

    QList<QJsonObject> of(const QString &event) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &e : events) {
            if (e.value(QLatin1String("event")).toString() == event)
                found << e;
        }
        return found;
    }
    QJsonObject lemma(const QString &name) const
    {
        for (const QJsonObject &e : of(QStringLiteral("lemma"))) {
            if (e.value(QLatin1String("name")).toString() == name)
                return e;
        }
        return {};
    }
    QJsonObject summary() const { return of(QStringLiteral("summary")).value(0); }
};

QList<QJsonObject> parseLines(const QByteArray &out)
{
    QList<QJsonObject> events;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.trimmed().isEmpty())
            events << QJsonDocument::fromJson(line).object();
    }
    return events;
}

Run check(const QStringList &arguments)
{
    QProcess p;
    p.start(QStringLiteral(DROVER_CHECK_BIN), arguments);
    Run run;
    if (!p.waitForFinished(120000))
        return run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.events = parseLines(p.readAllStandardOutput());
    run.stderrText = QString::fromLocal8Bit(p.readAllStandardError());
    return run;
}

QString example(const char *name)
{
    return QStringLiteral(DROVER_EXAMPLES_DIR "/") + QLatin1String(name);
}

QString data(const char *name)
{
    return QStringLiteral(TEST_DATA_DIR "/") + QLatin1String(name);
}
} // namespace

class tst_DroverCheck : public QObject
{
    Q_OBJECT

private slots:
    void sampleStatuses()
    {
        const Run run = check({QStringLiteral("--json"), QStringLiteral("-j"), QStringLiteral("2"), example("sample.proof")});
        QCOMPARE(run.exitCode, 1);
        const QHash<QString, QString> expected{
            {QStringLiteral("primes_are_prime"), QStringLiteral("ok")}, {QStringLiteral("fib_small"), QStringLiteral("ok")},
            {QStringLiteral("fib_wraps"), QStringLiteral("ok")},        {QStringLiteral("wrong_fib"), QStringLiteral("error")},
            {QStringLiteral("not_prime"), QStringLiteral("error")},     {QStringLiteral("segfaulting"), QStringLiteral("crashed")},
            {QStringLiteral("busy_work"), QStringLiteral("ok")}};
        QCOMPARE(run.of(QStringLiteral("lemma")).size(), expected.size());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QCOMPARE(run.lemma(it.key()).value(QLatin1String("status")).toString(), it.value());
        const QJsonObject wrong = run.lemma(QStringLiteral("wrong_fib"));
        QCOMPARE(wrong.value(QLatin1String("step")).toInt(), 2);
        QCOMPARE(wrong.value(QLatin1String("message")).toString(), QStringLiteral("Fib(11) mod 2^64 is 89, not 90"));
        QCOMPARE(run.lemma(QStringLiteral("segfaulting")).value(QLatin1String("message")).toString(),
                 QStringLiteral("was killed by SIGABRT"));
        const QJsonObject summary = run.summary();
        QCOMPARE(summary.value(QLatin1String("lemmas")).toInt(), 7);
        QCOMPARE(summary.value(QLatin1String("ok")).toInt(), 4);
        QCOMPARE(summary.value(QLatin1String("error")).toInt(), 2);
        QCOMPARE(summary.value(QLatin1String("crashed")).toInt(), 1);
        QVERIFY(summary.contains(QLatin1String("wall_ms")));
        QCOMPARE(run.events.last(), summary);
        // Every worker that started also exited, and is gone.
        const QList<QJsonObject> workers = run.of(QStringLiteral("worker"));
        int started = 0, exited = 0;
        for (const QJsonObject &w : workers) {
            if (w.value(QLatin1String("state")).toString() == QLatin1String("started"))
                ++started;
            else
                ++exited;
            QVERIFY(!TestSupport::processExists(w.value(QLatin1String("pid")).toInteger()));
        }
        QCOMPARE(started, exited);
        QCOMPARE(started, 7); // a fresh worker per lemma
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("all ok") << QStringList{example("all-ok.proof")} << 0 << "";
        QTest::newRow("missing file") << QStringList{QStringLiteral("/nonexistent/x.proof")} << 2
                                      << "drover-check: cannot read /nonexistent/x.proof: No such file or directory";
        QTest::newRow("not UTF-8") << QStringList{data("not-utf8.proof")} << 2 << "it is not UTF-8 text";
        QTest::newRow("-j 0") << QStringList{QStringLiteral("-j"), QStringLiteral("0"), example("all-ok.proof")} << 2
                              << "-j wants a number of workers from 1 to 1024, not \"0\"";
        QTest::newRow("bad timeout") << QStringList{QStringLiteral("--timeout"), QStringLiteral("soon"), example("all-ok.proof")}
                                     << 2 << "--timeout wants a positive number of seconds, not \"soon\"";
        QTest::newRow("bad retries") << QStringList{QStringLiteral("--retries"), QStringLiteral("-1"), example("all-ok.proof")}
                                     << 2 << "--retries wants a number from 0 to 100";
        QTest::newRow("unknown flag") << QStringList{QStringLiteral("--frobnicate"), example("all-ok.proof")} << 2
                                      << "Unknown option 'frobnicate'";
        QTest::newRow("no file") << QStringList{} << 2 << "no FILE to check";
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << "";
    }
    void exitCodes()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrHas);
        const Run run = check(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.stderrText.contains(stderrHas), qPrintable(run.stderrText));
        if (exitCode == 2)
            QCOMPARE(run.stderrText.count(QLatin1Char('\n')), 1); // one line
    }

    void parseErrorsAreReported()
    {
        const QString file = example("parse-error.proof");
        const Run run = check({QStringLiteral("--json"), file});
        QCOMPARE(run.exitCode, 1);
        const QList<QJsonObject> errors = run.of(QStringLiteral("parse-error"));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().value(QLatin1String("file")).toString(), file);
        QCOMPARE(errors.first().value(QLatin1String("line")).toInt(), 11);
        QCOMPARE(errors.first().value(QLatin1String("column")).toInt(), 3);
        QVERIFY(run.stderrText.contains(file + QStringLiteral(":11:3: unknown step `frobnicate`")));
        QCOMPARE(run.lemma(QStringLiteral("before")).value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.lemma(QStringLiteral("after")).value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QVERIFY(run.lemma(QStringLiteral("broken")).isEmpty());
        QCOMPARE(run.summary().value(QLatin1String("parse_errors")).toInt(), 1);
    }

    void hangTimesOut()
    {
        const Run run = check({QStringLiteral("--json"), QStringLiteral("--timeout"), QStringLiteral("1"),
                               QStringLiteral("--kill-after"), QStringLiteral("1"), example("hang.proof")});
        QCOMPARE(run.exitCode, 1);
        const QJsonObject stuck = run.lemma(QStringLiteral("stuck"));
        QCOMPARE(stuck.value(QLatin1String("status")).toString(), QStringLiteral("timeout"));
        QVERIFY(stuck.value(QLatin1String("ms")).toInt() >= 1000);
        QCOMPARE(run.lemma(QStringLiteral("fine")).value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    }

    void crashRetries()
    {
        const Run run = check({QStringLiteral("--json"), QStringLiteral("--retries"), QStringLiteral("2"), data("crash.proof")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lemma(QStringLiteral("dies")).value(QLatin1String("status")).toString(), QStringLiteral("crashed"));
        int started = 0;
        for (const QJsonObject &w : run.of(QStringLiteral("worker")))
            started += w.value(QLatin1String("state")).toString() == QLatin1String("started") ? 1 : 0;
        QCOMPARE(started, 3);
    }

    void persistentWorkers()
    {
        const Run run = check({QStringLiteral("--json"), QStringLiteral("-j"), QStringLiteral("1"), QStringLiteral("--persistent"),
                               data("two.proof")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.lemma(QStringLiteral("one")).value(QLatin1String("worker")),
                 run.lemma(QStringLiteral("two")).value(QLatin1String("worker")));
    }

    void ctrlCCancelsEverything()
    {
        QProcess p;
        p.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("--json"), QStringLiteral("-j"), QStringLiteral("1"),
                                                    example("hang.proof")});
        QVERIFY(p.waitForStarted(30000));
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("\"started\""), 30000);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        out += p.readAllStandardOutput();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        Run run;
        run.events = parseLines(out);
        QCOMPARE(run.lemma(QStringLiteral("stuck")).value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(run.lemma(QStringLiteral("fine")).value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(run.summary().value(QLatin1String("cancelled")).toInt(), 2);
        for (const QJsonObject &w : run.of(QStringLiteral("worker")))
            QVERIFY(!TestSupport::processExists(w.value(QLatin1String("pid")).toInteger()));
    }
};

QTEST_GUILESS_MAIN(tst_DroverCheck)
#include "tst_drovercheck.moc"
