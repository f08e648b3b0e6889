// drover-lsp serving the demo language, driven as a raw JSON-RPC client:
// diagnostics as lemmas end, at the failing step's line and UTF-16
// columns; edits (incremental and full) checked again with proof repair;
// hover; the cancel and kill commands and $/cancelRequest; work-done
// progress. Also measures didChange -> new diagnostics (printed, not
// asserted).

#include "support/lspclient.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

using TestSupport::LspClient;

namespace {
QString program() { return QStringLiteral(DROVER_LSP_BIN); }
QLatin1String key(const char *name) { return QLatin1String(name); }

// Line 5 (0-based) fails at `fib 11 = 90`; the comment after it has
// characters outside the BMP, two UTF-16 units each.
const QString document = QStringLiteral(
    "Lemma fine: it holds.\n"            // 0
    "Proof.\n"
    "  fib 10 = 55.\n"
    "Qed.\n"
    "Lemma wrong_fib: a claim that does not hold.\n"  // 4
    "Proof.\n"
    "  fib 10 = 55.\n"                    // 6
    "  fib 11 = 90. # \U0001F600\U0001F600 wrong\n"  // 7
    "Qed.\n"
    "Lemma slow: takes its time.\n"      // 9
    "Proof.\n"
    "  sleep 2500.\n"
    "Qed.\n");
const QString uri = QStringLiteral("file:///tmp/drover-lsp-test.proof");

QJsonObject textDocument(int version = -1)
{
    QJsonObject item{{key("uri"), uri}};
    if (version >= 0)
        item.insert(key("version"), version);
    return item;
}

QJsonObject position(int line, int character)
{
    return QJsonObject{{key("line"), line}, {key("character"), character}};
}

QJsonArray diagnosticsOf(const QJsonObject &notification)
{
    return notification.value(key("params")).toObject().value(key("diagnostics")).toArray();
}

//! The diagnostic whose code is `code`, or an empty object.
QJsonObject diagnosticWithCode(const QJsonArray &diagnostics, const QString &code)
{
    for (const QJsonValue &d : diagnostics) {
        if (d.toObject().value(key("code")).toString() == code)
            return d.toObject();
    }
    return {};
}

QString hoverText(LspClient &client, int line)
{
    return client.call(QStringLiteral("textDocument/hover"),
                       QJsonObject{{key("textDocument"), textDocument()}, {key("position"), position(line, 2)}})
        .toObject().value(key("contents")).toObject().value(key("value")).toString();
}

QJsonObject waitSettled(LspClient &client)
{
    return client.call(QStringLiteral("workspace/executeCommand"),
                       QJsonObject{{key("command"), QStringLiteral("drover.waitSettled")}, {key("arguments"), QJsonArray{uri}}})
        .toObject();
}
} // namespace

class TestLsp : public QObject
{
    Q_OBJECT

private slots:
    void diagnosticsAsLemmasEnd();
    void editChecksAgain_data();
    void editChecksAgain();
    void nearChangeFirst();
    void cancelAndKill();
    void cancelRequest();
    void progress();
};

void TestLsp::diagnosticsAsLemmasEnd()
{
    LspClient client(program(), {QStringLiteral("-j"), QStringLiteral("2")});
    client.initialize();
    client.notify(QStringLiteral("textDocument/didOpen"), TestSupport::documentItem(uri, document, 1));
    // The error comes while `slow` still sleeps: diagnostics do not wait for
    // the whole document.
    const QJsonObject first = client.notification(QStringLiteral("textDocument/publishDiagnostics"), [](const QJsonObject &p) {
        return !p.value(key("diagnostics")).toArray().isEmpty();
    });
    QVERIFY(!first.isEmpty());
    QVERIFY(!hoverText(client, 11).contains(QStringLiteral(": ok")));
    const QJsonObject params = first.value(key("params")).toObject();
    QCOMPARE(params.value(key("uri")).toString(), uri);
    QCOMPARE(params.value(key("version")).toInt(), 1);
    const QJsonObject error = diagnosticWithCode(diagnosticsOf(first), QStringLiteral("error"));
    QCOMPARE(error.value(key("severity")).toInt(), 1);
    QVERIFY2(error.value(key("message")).toString().contains(QStringLiteral("wrong_fib, step 2")),
             qPrintable(error.value(key("message")).toString()));
    const QJsonObject range = error.value(key("range")).toObject();
    QCOMPARE(range.value(key("start")).toObject().value(key("line")).toInt(), 7);
    QCOMPARE(range.value(key("start")).toObject().value(key("character")).toInt(), 2);
    // The range runs to the end of the line, counted in UTF-16 units.
    const QString line7 = document.split(QLatin1Char('\n')).at(7);
    QCOMPARE(range.value(key("end")).toObject().value(key("character")).toInt(), int(line7.size()));

    const QJsonObject counts = waitSettled(client);
    QCOMPARE(counts.value(key("ok")).toInt(), 2);
    QCOMPARE(counts.value(key("error")).toInt(), 1);
    const QString hover = hoverText(client, 10);
    QVERIFY2(hover.contains(QStringLiteral("**slow**: ok")) && hover.contains(QStringLiteral("ms on worker")), qPrintable(hover));
    QVERIFY2(client.protocolViolation().isEmpty(), qPrintable(client.protocolViolation()));
}

void TestLsp::editChecksAgain_data()
{
    QTest::addColumn<bool>("incremental");
    QTest::newRow("incremental") << true;
    QTest::newRow("full") << false;
}

void TestLsp::editChecksAgain()
{
    QFETCH(bool, incremental);
    // A worker per lemma: the one holding wrong_fib's first step is never
    // retired to make room for another lemma, so the fix is a repair.
    LspClient client(program(), {QStringLiteral("-j"), QStringLiteral("3"), QStringLiteral("--edit-pause"), QStringLiteral("100")});
    client.initialize();
    client.notify(QStringLiteral("textDocument/didOpen"), TestSupport::documentItem(uri, document, 1));
    QCOMPARE(waitSettled(client).value(key("error")).toInt(), 1);
    client.drain();

    // Fix `fib 11 = 90` into `fib 11 = 89`: characters 11-13 of line 7.
    QJsonObject change{{key("text"), QStringLiteral("89")},
                       {key("range"), QJsonObject{{key("start"), position(7, 11)}, {key("end"), position(7, 13)}}}};
    if (!incremental) {
        QString fixed = document;
        fixed.replace(QStringLiteral("fib 11 = 90"), QStringLiteral("fib 11 = 89"));
        change = QJsonObject{{key("text"), fixed}};
    }
    client.notify(QStringLiteral("textDocument/didChange"),
                  QJsonObject{{key("textDocument"), textDocument(2)}, {key("contentChanges"), QJsonArray{change}}});
    // The edited lemma's error goes at once: it is about text that is gone.
    const QJsonObject fixedNote = client.notification(QStringLiteral("textDocument/publishDiagnostics"), [](const QJsonObject &p) {
        return p.value(key("version")).toInt() == 2 && p.value(key("diagnostics")).toArray().isEmpty();
    });
    QVERIFY(!fixedNote.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(waitSettled(client).value(key("ok")).toInt(), 3, 60000);
    // Proof repair: the worker that held step 1 resumed from step 2.
    const QString hover = hoverText(client, 5);
    QVERIFY2(hover.contains(QStringLiteral("resuming from step 2")), qPrintable(hover));

    // Breaking it again puts the error back, at the new text's place.
    QElapsedTimer again;
    again.start();
    client.notify(QStringLiteral("textDocument/didChange"),
                  QJsonObject{{key("textDocument"), textDocument(3)},
                              {key("contentChanges"), QJsonArray{QJsonObject{
                                  {key("text"), QStringLiteral("\n\n")},
                                  {key("range"), QJsonObject{{key("start"), position(0, 0)}, {key("end"), position(0, 0)}}}},
                                  QJsonObject{{key("text"), QStringLiteral("7")},
                                  {key("range"), QJsonObject{{key("start"), position(9, 12)}, {key("end"), position(9, 13)}}}}}}});
    const QJsonObject broken = client.notification(QStringLiteral("textDocument/publishDiagnostics"), [](const QJsonObject &p) {
        return p.value(key("version")).toInt() == 3 && !p.value(key("diagnostics")).toArray().isEmpty();
    });
    QVERIFY(!broken.isEmpty());
    // The figure of docs/lsp.md: the new error comes from a check, after the pause.
    qInfo("didChange to the diagnostics of a new error: %lld ms (edit pause 100 ms)", qint64(again.elapsed()));
    const QJsonObject start = diagnosticWithCode(diagnosticsOf(broken), QStringLiteral("error"))
                                  .value(key("range")).toObject().value(key("start")).toObject();
    QCOMPARE(start.value(key("line")).toInt(), 9);
    QCOMPARE(start.value(key("character")).toInt(), 2);
}

void TestLsp::nearChangeFirst()
{
    // Five lemmas that fail, one worker: an option set at the end makes
    // them all stale, and the one nearest the change is checked first.
    QString text;
    for (int i = 0; i < 5; ++i)
        text += QStringLiteral("Lemma l%1: fails.\nProof.\n  sleep 50.\n  fib 11 = 90.\nQed.\n").arg(i);
    LspClient client(program(), {QStringLiteral("-j"), QStringLiteral("1"), QStringLiteral("--edit-pause"), QStringLiteral("50")});
    client.initialize();
    client.notify(QStringLiteral("textDocument/didOpen"), TestSupport::documentItem(uri, text, 1));
    QCOMPARE(waitSettled(client).value(key("error")).toInt(), 5);
    client.drain();
    const QJsonObject end = position(25, 0);
    client.notify(QStringLiteral("textDocument/didChange"),
                  QJsonObject{{key("textDocument"), textDocument(2)},
                              {key("contentChanges"), QJsonArray{QJsonObject{
                                  {key("text"), QStringLiteral("Set Verbose on.\n")},
                                  {key("range"), QJsonObject{{key("start"), end}, {key("end"), end}}}}}}});
    const QJsonObject first = client.notification(QStringLiteral("textDocument/publishDiagnostics"), [](const QJsonObject &p) {
        return p.value(key("version")).toInt() == 2 && !p.value(key("diagnostics")).toArray().isEmpty();
    });
    const QJsonArray diagnostics = diagnosticsOf(first);
    QCOMPARE(diagnostics.size(), 1);
    QVERIFY2(diagnostics.at(0).toObject().value(key("message")).toString().startsWith(QLatin1String("l4,")),
             qPrintable(diagnostics.at(0).toObject().value(key("message")).toString()));
    QCOMPARE(waitSettled(client).value(key("error")).toInt(), 5);
}

void TestLsp::cancelAndKill()
{
    LspClient client(program());
    client.initialize();
    const QString hanging = QStringLiteral("Lemma stuck: never ends.\nProof.\n  hang.\nQed.\n"
                                           "Lemma stuck_too: neither.\nProof.\n  hang.\nQed.\n");
    client.notify(QStringLiteral("textDocument/didOpen"), TestSupport::documentItem(uri, hanging, 1));
    QTRY_VERIFY_WITH_TIMEOUT(hoverText(client, 1).contains(QStringLiteral("checking"))
                                 && hoverText(client, 5).contains(QStringLiteral("checking")), 60000);
    const auto command = [&](const QString &name, int line) {
        return client.call(QStringLiteral("workspace/executeCommand"),
                           QJsonObject{{key("command"), name}, {key("arguments"), QJsonArray{uri, line}}}).toObject();
    };
    QCOMPARE(command(QStringLiteral("drover.kill"), 1).value(key("killed")).toInt(), 1);
    const QJsonObject crashed = client.notification(QStringLiteral("textDocument/publishDiagnostics"), [](const QJsonObject &p) {
        return !diagnosticWithCode(p.value(key("diagnostics")).toArray(), QStringLiteral("crashed")).isEmpty();
    });
    QVERIFY2(diagnosticWithCode(diagnosticsOf(crashed), QStringLiteral("crashed")).value(key("message")).toString()
                 .contains(QStringLiteral("SIGKILL")), QJsonDocument(crashed).toJson().constData());
    QCOMPARE(command(QStringLiteral("drover.cancel"), 5).value(key("cancelled")).toInt(), 1);
    const QJsonObject cancelled = client.notification(QStringLiteral("textDocument/publishDiagnostics"), [](const QJsonObject &p) {
        return !diagnosticWithCode(p.value(key("diagnostics")).toArray(), QStringLiteral("cancelled")).isEmpty();
    });
    const QJsonObject warning = diagnosticWithCode(diagnosticsOf(cancelled), QStringLiteral("cancelled"));
    QCOMPARE(warning.value(key("severity")).toInt(), 2);
    QCOMPARE(warning.value(key("range")).toObject().value(key("start")).toObject().value(key("line")).toInt(), 4);
    const QJsonObject counts = waitSettled(client);
    QCOMPARE(counts.value(key("crashed")).toInt(), 1);
    QCOMPARE(counts.value(key("cancelled")).toInt(), 1);
}

void TestLsp::cancelRequest()
{
    LspClient client(program());
    client.initialize();
    client.notify(QStringLiteral("textDocument/didOpen"),
                  TestSupport::documentItem(uri, QStringLiteral("Lemma stuck: never ends.\nProof.\n  hang.\nQed.\n"), 1));
    const int wait = client.request(QStringLiteral("workspace/executeCommand"),
                                    QJsonObject{{key("command"), QStringLiteral("drover.waitSettled")}, {key("arguments"), QJsonArray{uri}}});
    client.notify(QStringLiteral("$/cancelRequest"), QJsonObject{{key("id"), wait}});
    const QJsonObject answer = client.response(wait);
    QCOMPARE(answer.value(key("error")).toObject().value(key("code")).toInt(), -32800);
    // Cancelling one already answered (or unknown) is no mistake: nothing comes.
    client.notify(QStringLiteral("$/cancelRequest"), QJsonObject{{key("id"), wait}});
    QVERIFY(client.call(QStringLiteral("shutdown"), QJsonValue::Null).isNull());
    QVERIFY(client.drain().size() >= 0);
}

void TestLsp::progress()
{
    LspClient client(program());
    client.initialize(QJsonObject{{key("window"), QJsonObject{{key("workDoneProgress"), true}}}});
    client.notify(QStringLiteral("textDocument/didOpen"), TestSupport::documentItem(uri, document, 1));
    const QJsonObject create = client.take([](const QJsonObject &m) {
        return m.value(key("method")).toString() == QLatin1String("window/workDoneProgress/create") && m.contains(key("id"));
    });
    QVERIFY(!create.isEmpty());
    const QJsonValue token = create.value(key("params")).toObject().value(key("token"));
    const auto progressOf = [&](const QString &kind) {
        return client.notification(QStringLiteral("$/progress"), [&](const QJsonObject &p) {
            return p.value(key("token")) == token && p.value(key("value")).toObject().value(key("kind")).toString() == kind;
        });
    };
    QVERIFY(!progressOf(QStringLiteral("begin")).isEmpty());
    const QJsonObject end = progressOf(QStringLiteral("end"));
    QVERIFY(!end.isEmpty());
    QVERIFY(waitSettled(client).value(key("ok")).toInt() == 2);
}

QTEST_MAIN(TestLsp)
#include "tst_lsp.moc"
