// drover-check as a user runs it: statuses, JSON events, exit codes, bad
// flags, timeouts, retries, Ctrl-C, and no worker left behind.

#include "support/processes.h"
#include "support/memorycgroup.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtTest/QTest>

#include <QtCore/QScopeGuard>

#include <algorithm>
#include <csignal>
#include <unistd.h>

namespace {
struct Run
{
    int exitCode = -1;
    QList<QJsonObject> events;
    QString stdoutText;
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
    QJsonObject lemma(const QString &name, const QString &file = {}) const
    {
        for (const QJsonObject &e : of(QStringLiteral("lemma"))) {
            if (e.value(QLatin1String("name")).toString() == name
                && (file.isEmpty() || e.value(QLatin1String("file")).toString() == file))
                return e;
        }
        return {};
    }
    QJsonObject summary() const { return of(QStringLiteral("summary")).value(0); }
    QJsonObject query(int line) const
    {
        for (const QJsonObject &e : of(QStringLiteral("query"))) {
            if (e.value(QLatin1String("line")).toInt() == line)
                return e;
        }
        return {};
    }
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

Run check(const QStringList &arguments, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(environment);
    p.start(QStringLiteral(DROVER_CHECK_BIN), arguments);
    Run run;
    if (!p.waitForFinished(120000))
        return run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.stdoutText = QString::fromLocal8Bit(p.readAllStandardOutput());
    run.events = parseLines(run.stdoutText.toUtf8());
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
    void cleanupTestCase()
    {
        // Every drover-check the suite started has been waited for.
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
    }

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
        QCOMPARE(wrong.value(QLatin1String("line")).toInt(), 28);
        QCOMPARE(wrong.value(QLatin1String("file")).toString(), example("sample.proof"));
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
        QTest::newRow("--quick on a document") << QStringList{QStringLiteral("--quick"), example("all-ok.proof")} << 2
                                               << "drover-check: --quick is for Coq developments";
        QTest::newRow("directory") << QStringList{QStringLiteral(DROVER_EXAMPLES_DIR)} << 2
                                   << "drover-check: cannot read " DROVER_EXAMPLES_DIR ": ";
        QTest::newRow("second file missing") << QStringList{example("all-ok.proof"), QStringLiteral("/nonexistent/y.proof")} << 2
                                             << "cannot read /nonexistent/y.proof";
        QTest::newRow("-j abc") << QStringList{QStringLiteral("-j"), QStringLiteral("abc"), example("all-ok.proof")} << 2
                                << "-j wants a number of workers from 1 to 1024, not \"abc\"";
        QTest::newRow("-j without value") << QStringList{QStringLiteral("-j")} << 2 << "Missing value after '-j'";
        QTest::newRow("timeout 0") << QStringList{QStringLiteral("--timeout"), QStringLiteral("0"), example("all-ok.proof")} << 2
                                   << "--timeout wants a positive number of seconds, not \"0\"";
        QTest::newRow("timeout nan") << QStringList{QStringLiteral("--timeout"), QStringLiteral("nan"), example("all-ok.proof")}
                                     << 2 << "--timeout wants a positive number of seconds";
        QTest::newRow("negative kill-after") << QStringList{QStringLiteral("--kill-after"), QStringLiteral("-1"), example("all-ok.proof")}
                                             << 2 << "--kill-after wants a number of seconds, not \"-1\"";
        QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << "";
        QTest::newRow("version") << QStringList{QStringLiteral("--version")} << 0 << "";
    }
    void exitCodes()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrHas);
        const Run run = check(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.stderrText.contains(stderrHas), qPrintable(run.stderrText));
        if (exitCode == 2) {
            QCOMPARE(run.stderrText.count(QLatin1Char('\n')), 1); // one line
            QVERIFY(run.stdoutText.isEmpty());                    // and nothing was checked
        }
    }

    void helpAndVersion()
    {
        QVERIFY(check({QStringLiteral("--help")}).stdoutText.contains(QLatin1String("--kill-after")));
        QVERIFY(check({QStringLiteral("--help")}).stdoutText.contains(QLatin1String("queries (Eval, Search)")));
        QVERIFY(check({QStringLiteral("--version")}).stdoutText.startsWith(QLatin1String("drover-check ")));
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

        // Without --json the same line is on stderr, and the exit code is the same.
        const Run table = check({file});
        QCOMPARE(table.exitCode, 1);
        QVERIFY(table.stderrText.contains(file + QStringLiteral(":11:3: unknown step `frobnicate`")));
        QVERIFY(table.stdoutText.contains(QLatin1String("1 parse error;")));
    }

    // Queries: one `query` event each, answered from the options and index
    // broadcast to the query workers; only an unanswered one fails the run.
    void queries_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<int>("lemmas");
        QTest::addColumn<QList<int>>("lines");          // of the queries
        QTest::addColumn<QStringList>("statuses");      // in the same order
        QTest::addColumn<QStringList>("texts");         // the answer, or how the message starts
        QTest::newRow("example") << example("queries.proof") << QStringList{} << 0 << 2 << QList<int>{21, 22, 23, 24}
                                 << QStringList{"answered", "answered", "answered", "answered"}
                                 << QStringList{"Fib(0x5a) mod 2^64 = 0x27f80ddaa1ba7878",
                                                "0x5b is not prime: it is divisible by 0x7",
                                                "1 lemma: small_primes (line 15)", "1 lemma: fib_90 (line 10)"};
        QTest::newRow("no lemmas") << data("queries-only.proof") << QStringList{} << 0 << 0 << QList<int>{3, 4}
                                   << QStringList{"answered", "answered"}
                                   << QStringList{"0x61 is prime", "no lemma matches `anything`"};
        QTest::newRow("unanswered") << data("query-unanswered.proof") << QStringList{} << 1 << 1 << QList<int>{7, 8}
                                    << QStringList{"error", "answered"}
                                    << QStringList{"number 99999999999999999999 does not fit in 64 bits",
                                                   "Fib(10) mod 2^64 = 55"};
        QTest::newRow("timeout") << data("query-slow.proof")
                                 << QStringList{QStringLiteral("--timeout"), QStringLiteral("0.5")} << 1 << 0
                                 << QList<int>{2} << QStringList{"timeout"} << QStringList{"timed out after 500 ms"};
    }
    void queries()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, flags);
        QFETCH(int, exitCode);
        QFETCH(int, lemmas);
        QFETCH(QList<int>, lines);
        QFETCH(QStringList, statuses);
        QFETCH(QStringList, texts);
        const Run run = check(QStringList{QStringLiteral("--json")} + flags + QStringList{file});
        QCOMPARE(run.exitCode, exitCode);
        QCOMPARE(run.of(QStringLiteral("query")).size(), lines.size());
        int answered = 0;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QJsonObject query = run.query(lines[i]);
            QCOMPARE(query.value(QLatin1String("file")).toString(), file);
            QCOMPARE(query.value(QLatin1String("status")).toString(), statuses[i]);
            QVERIFY(query.value(QLatin1String("text")).toString().startsWith(QLatin1String("Eval"))
                    || query.value(QLatin1String("text")).toString().startsWith(QLatin1String("Search")));
            QVERIFY(query.value(QLatin1String("ms")).isDouble());
            if (statuses[i] == QLatin1String("answered")) {
                ++answered;
                QCOMPARE(query.value(QLatin1String("answer")).toString(), texts[i]);
                QVERIFY(query.value(QLatin1String("message")).isNull());
                QVERIFY(query.value(QLatin1String("worker")).toInt() > 0);
            } else {
                QVERIFY(query.value(QLatin1String("answer")).isNull());
                QVERIFY2(query.value(QLatin1String("message")).toString().startsWith(texts[i]),
                         qPrintable(query.value(QLatin1String("message")).toString()));
            }
        }
        const QJsonObject summary = run.summary();
        QCOMPARE(summary.value(QLatin1String("lemmas")).toInt(), lemmas);
        QCOMPARE(summary.value(QLatin1String("ok")).toInt(), lemmas);
        QCOMPARE(summary.value(QLatin1String("queries")).toInt(), lines.size());
        QCOMPARE(summary.value(QLatin1String("answered")).toInt(), answered);
        QCOMPARE(run.events.last(), summary);
        for (const QJsonObject &w : run.of(QStringLiteral("worker")))
            QVERIFY(!TestSupport::processExists(w.value(QLatin1String("pid")).toInteger()));
    }

    void queryTable()
    {
        const Run run = check({example("queries.proof")});
        QCOMPARE(run.exitCode, 0);
        const QStringList lines = run.stdoutText.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 2 + 1 + 4 + 1); // lemma header and rows, query header and rows, summary
        QVERIFY2(lines.at(3).contains(QLatin1String("QUERY")) && lines.at(3).contains(QLatin1String("ANSWER")),
                 qPrintable(lines.at(3)));
        const QString fibRow = lines.filter(QStringLiteral("Eval fib 90")).value(0);
        QVERIFY2(fibRow.contains(QLatin1String("21")) && fibRow.endsWith(QLatin1String("Fib(0x5a) mod 2^64 = 0x27f80ddaa1ba7878")),
                 qPrintable(fibRow));
        QVERIFY2(lines.last().startsWith(QLatin1String("2 lemmas: 2 ok, 0 error, 0 crashed, 0 timeout, 0 cancelled; "
                                                       "0 parse errors; 4 queries: 4 answered, 0 not answered;")),
                 qPrintable(lines.last()));
    }

    void tableWhenNotATerminal()
    {
        const Run run = check({example("sample.proof")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.events.isEmpty() || run.events.first().isEmpty()); // not JSON
        const QStringList lines = run.stdoutText.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 7 + 1); // header, one row per lemma, summary
        QVERIFY(lines.first().startsWith(QLatin1String("FILE")));
        QVERIFY(lines.first().contains(QLatin1String("STATUS")));
        const QString crashRow = lines.filter(QStringLiteral("segfaulting")).value(0);
        QVERIFY2(crashRow.contains(QLatin1String("crashed")) && crashRow.contains(QLatin1String("SIGABRT")), qPrintable(crashRow));
        const QString wrongRow = lines.filter(QStringLiteral("wrong_fib")).value(0);
        QVERIFY2(wrongRow.contains(QLatin1String("error")) && wrongRow.contains(QLatin1String("not 90")), qPrintable(wrongRow));
        QVERIFY2(lines.last().startsWith(QLatin1String("7 lemmas: 4 ok, 2 error, 1 crashed, 0 timeout, 0 cancelled; 0 parse errors;")),
                 qPrintable(lines.last()));
        // No progress line and no terminal escapes when stdout is not a terminal.
        QVERIFY(!run.stderrText.contains(QLatin1Char('\r')));
        QVERIFY(!run.stderrText.contains(QLatin1Char('\033')));
    }

    void sameLemmaNameInTwoFiles()
    {
        const Run run = check({QStringLiteral("--json"), data("two.proof"), example("all-ok.proof")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.of(QStringLiteral("lemma")).size(), 6);
        QCOMPARE(run.lemma(QStringLiteral("two"), data("two.proof")).value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.lemma(QStringLiteral("two"), example("all-ok.proof")).value(QLatin1String("status")).toString(),
                 QStringLiteral("ok"));
        QCOMPARE(run.summary().value(QLatin1String("ok")).toInt(), 6);
    }

    // --json writes its records by hand (ide-demo/check/jsonlinewriter):
    // each is strict JSON that gives back exactly the text it carries.
    void jsonCarriesAnyText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("quotes and backslashes") << QStringLiteral(R"(say "no" \ to C:\path\)");
        QTest::newRow("a tab") << QStringLiteral("left\tright");
        QTest::newRow("control characters") << QStringLiteral("bell\a form\f escape\x1b");
        QTest::newRow("non-ASCII") << QStringLiteral("λx. x ≠ ∅, 𝔸 (astral), é");
        QTest::newRow("JSON in JSON") << QStringLiteral(R"({"event":"lemma","x":[1,null]})");
    }

    void jsonCarriesAnyText()
    {
        QFETCH(QString, text);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("a \"quoted\" näme.proof"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("Lemma odd: text.\nProof.\n  fail %1.\nQed.\n").arg(text).toUtf8());
        file.close();

        QProcess p;
        p.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("--json"), path});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray out = p.readAllStandardOutput();
        QJsonObject lemma;
        for (const QByteArray &line : out.split('\n')) {
            if (line.isEmpty())
                continue;
            // RFC 8259: no control character unescaped (Qt's parser takes them).
            QVERIFY2(std::none_of(line.cbegin(), line.cend(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }),
                     line.constData());
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + QLatin1String(": ") + QString::fromUtf8(line)));
            if (document.object().value(QLatin1String("event")).toString() == QLatin1String("lemma"))
                lemma = document.object();
        }
        QCOMPARE(lemma.value(QLatin1String("file")).toString(), path);
        QCOMPARE(lemma.value(QLatin1String("status")).toString(), QStringLiteral("error"));
        QVERIFY2(lemma.value(QLatin1String("message")).toString().contains(text.trimmed()),
                 qPrintable(lemma.value(QLatin1String("message")).toString()));
        QVERIFY(lemma.value(QLatin1String("step")).isDouble());
    }

    void noWorkerCanStart()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("DROVER_WORKER"), QStringLiteral("/nonexistent/drover-worker"));
        const Run run = check({QStringLiteral("--json"), example("all-ok.proof")}, environment);
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.stderrText.contains(QLatin1String("drover-check: internal error: ")), qPrintable(run.stderrText));
        QVERIFY(run.stderrText.contains(QLatin1String("/nonexistent/drover-worker")));
        QCOMPARE(run.summary().value(QLatin1String("lemmas")).toInt(), 4);
    }

    void memoryLimit()
    {
#ifdef DROVER_SANITIZE
        QSKIP("AddressSanitizer needs more address space than any limit here leaves it");
#endif
        const Run run = check({QStringLiteral("--json"), QStringLiteral("--memory-limit"), QStringLiteral("300M"),
                               data("alloc.proof")});
        QCOMPARE(run.exitCode, 1);
        const QJsonObject big = run.lemma(QStringLiteral("big"));
        QCOMPARE(big.value(QLatin1String("status")).toString(), QStringLiteral("error"));
        QVERIFY2(big.value(QLatin1String("message")).toString().contains(QLatin1String("address-space limit is 300 MiB")),
                 qPrintable(big.value(QLatin1String("message")).toString()));
        QCOMPARE(run.lemma(QStringLiteral("small")).value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        // Without the limit the same lemma holds.
        const Run unlimited = check({QStringLiteral("--json"), data("alloc.proof")});
        QCOMPARE(unlimited.exitCode, 0);
    }

    void oomKillerIsNamed()
    {
#ifdef DROVER_SANITIZE
        QSKIP("AddressSanitizer's shadow memory makes the OOM killer's choice unpredictable");
#endif
        // A memory cgroup of 300 MiB of our own (root and cgroup v1 or v2
        // needed): the kernel's OOM killer, not Drover, kills the worker.
        const QString group = TestSupport::makeMemoryCgroup(QStringLiteral("oomtest"), "300M");
        if (group.isEmpty())
            QSKIP("no memory cgroup can be made here (needs root and a memory controller)");
        const auto removeGroup = qScopeGuard([group] { QDir().rmdir(group); });
        QProcess p;
        p.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"), QStringLiteral("echo $$ > %1/cgroup.procs && exec \"$0\" --json \"$1\"").arg(group),
                 QStringLiteral(DROVER_CHECK_BIN), data("alloc.proof")});
        QVERIFY(p.waitForFinished(120000));
        Run run;
        run.events = parseLines(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 1);
        const QString message = run.lemma(QStringLiteral("big")).value(QLatin1String("message")).toString();
        QVERIFY2(message.contains(QLatin1String("was killed by SIGKILL, most likely by the kernel's OOM killer")),
                 qPrintable(message + QString::fromLocal8Bit(p.readAllStandardError())));
    }

    void memoryLimitIsValidated_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("no unit, too small") << "1000";
        QTest::newRow("not a size") << "lots";
        QTest::newRow("negative") << "-5G";
        QTest::newRow("below 64M") << "10M";
    }
    void memoryLimitIsValidated()
    {
        QFETCH(QString, value);
        const Run run = check({QStringLiteral("--memory-limit"), value, example("all-ok.proof")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.stderrText.contains(QLatin1String("--memory-limit wants a size")), qPrintable(run.stderrText));
    }

    void shadowedPluginIsSaid()
    {
        // A second copy of the proof plugin earlier in the path shadows the
        // installed one: drover-check says so.
        QTemporaryDir dir;
        const QString plugin = QStringLiteral(DROVER_PROOF_PLUGIN);
        QVERIFY(QFile::copy(plugin, dir.filePath(QFileInfo(plugin).fileName())));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("DROVER_PLUGIN_PATH"), dir.path());
        const Run run = check({QStringLiteral("--json"), example("all-ok.proof")}, environment);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.stderrText.contains(QLatin1String("drover-check: warning: plugin "))
                     && run.stderrText.contains(QLatin1String("is already provided by")),
                 qPrintable(run.stderrText));
    }

    void hangTimesOut_data()
    {
        QTest::addColumn<QStringList>("limits");
        QTest::addColumn<int>("atLeastMs");
        QTest::addColumn<QString>("signal");
        QTest::newRow("timeout 1, kill after 1") << QStringList{QStringLiteral("--timeout"), QStringLiteral("1"),
                                                                 QStringLiteral("--kill-after"), QStringLiteral("1")}
                                                 << 1000 << "SIGTERM";
        QTest::newRow("fractional timeout") << QStringList{QStringLiteral("--timeout"), QStringLiteral("0.5")} << 500 << "SIGTERM";
        QTest::newRow("kill-after alone") << QStringList{QStringLiteral("--kill-after"), QStringLiteral("0.7")} << 700 << "SIGKILL";
    }
    void hangTimesOut()
    {
        QFETCH(QStringList, limits);
        QFETCH(int, atLeastMs);
        QFETCH(QString, signal);
        const Run run = check(QStringList{QStringLiteral("--json")} + limits + QStringList{example("hang.proof")});
        QCOMPARE(run.exitCode, 1);
        const QJsonObject stuck = run.lemma(QStringLiteral("stuck"));
        QCOMPARE(stuck.value(QLatin1String("status")).toString(), QStringLiteral("timeout"));
        QVERIFY(stuck.value(QLatin1String("ms")).toInt() >= atLeastMs);
        QVERIFY2(stuck.value(QLatin1String("message")).toString().contains(signal),
                 qPrintable(stuck.value(QLatin1String("message")).toString()));
        QCOMPARE(run.lemma(QStringLiteral("fine")).value(QLatin1String("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(run.summary().value(QLatin1String("timeout")).toInt(), 1);
    }

    void crashRetries()
    {
        const Run run = check({QStringLiteral("--json"), QStringLiteral("--retries"), QStringLiteral("2"), data("crash.proof")});
        QCOMPARE(run.exitCode, 1);
        const QJsonObject dies = run.lemma(QStringLiteral("dies"));
        QCOMPARE(dies.value(QLatin1String("status")).toString(), QStringLiteral("crashed"));
        QVERIFY(dies.value(QLatin1String("message")).toString().contains(QLatin1String("SIGABRT")));
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

    void ctrlCCancelsEverything_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("json") << true;
        QTest::newRow("table") << false;
    }
    void ctrlCCancelsEverything()
    {
        QFETCH(bool, json);
        QStringList arguments{QStringLiteral("-j"), QStringLiteral("1"), example("hang.proof")};
        if (json)
            arguments.prepend(QStringLiteral("--json"));
        QProcess p;
        p.start(QStringLiteral(DROVER_CHECK_BIN), arguments);
        QVERIFY(p.waitForStarted(30000));
        // Its worker runs `stuck` (which ignores cooperative cancellation).
        QList<qint64> workers;
        QTRY_VERIFY_WITH_TIMEOUT(!(workers = TestSupport::childProcesses(p.processId())).isEmpty(), 30000);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QByteArray out = p.readAllStandardOutput();
        if (json) {
            Run run;
            run.events = parseLines(out);
            QCOMPARE(run.lemma(QStringLiteral("stuck")).value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
            QCOMPARE(run.lemma(QStringLiteral("fine")).value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
            QCOMPARE(run.summary().value(QLatin1String("cancelled")).toInt(), 2);
            QCOMPARE(run.events.last(), run.summary());
            for (const QJsonObject &w : run.of(QStringLiteral("worker")))
                workers << w.value(QLatin1String("pid")).toInteger();
        } else {
            QVERIFY2(out.contains("2 lemmas: 0 ok, 0 error, 0 crashed, 0 timeout, 2 cancelled"), out.constData());
        }
        for (qint64 pid : std::as_const(workers))
            QVERIFY2(!TestSupport::processExists(pid), qPrintable(QString::number(pid)));
    }
};

QTEST_GUILESS_MAIN(tst_DroverCheck)
#include "tst_drovercheck.moc"
