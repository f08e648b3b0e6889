// drover-lsp serving a .v file: sentence-level diagnostics from coqidetop
// workers, Coq's byte offsets turned into UTF-16 columns, an edit checked
// again, and no coqidetop left once the document closes or the server
// ends. Skipped without coqidetop.opt.

#include "support/coq.h"
#include "support/lspclient.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>
#include <QtTest/QTest>

using TestSupport::LspClient;

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }

// Line 4 (0-based) fails at `reflexivity`, after a comment with characters
// of two and four UTF-8 bytes (one and two UTF-16 units).
const QString document = QStringLiteral(
    "(* caf\u00e9 *)\n"
    "Lemma fine : True.\n"
    "Proof. exact I. Qed.\n"
    "Lemma wrong : 1 = 2.\n"
    "Proof. (* \u2200 \U0001F600 *) reflexivity. Qed.\n"
    "Definition after := 3.\n");

QJsonArray errorsOf(const QJsonObject &notification)
{
    QJsonArray errors;
    for (const QJsonValue &d : notification.value(key("params")).toObject().value(key("diagnostics")).toArray()) {
        if (d.toObject().value(key("severity")).toInt() == 1)
            errors.append(d);
    }
    return errors;
}
} // namespace

class TestLspCoq : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sentenceDiagnostics();
    void inputEndEndsCoqidetop();
};

void TestLspCoq::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("coqidetop.opt")).isEmpty())
        QSKIP("no coqidetop.opt on PATH (Debian: apt-get install coq)");
}

void TestLspCoq::sentenceDiagnostics()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The file is on disk, as an editor's is: its _CoqProject is looked
    // for from there.
    QFile file(dir.filePath(QStringLiteral("doc.v")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(document.toUtf8());
    file.close();
    const QString uri = QUrl::fromLocalFile(file.fileName()).toString();
    LspClient client(QStringLiteral(DROVER_LSP_BIN), {QStringLiteral("--edit-pause"), QStringLiteral("100")});
    client.initialize();
    // Neovim's name for a .v is verilog: the extension decides.
    client.notify(QStringLiteral("textDocument/didOpen"), TestSupport::documentItem(uri, document, 1, QStringLiteral("verilog")));
    const auto hasError = [](const QJsonObject &p) {
        for (const QJsonValue &d : p.value(key("diagnostics")).toArray()) {
            if (d.toObject().value(key("severity")).toInt() == 1)
                return true;
        }
        return false;
    };
    const QJsonObject first = client.notification(QStringLiteral("textDocument/publishDiagnostics"), hasError, 120000);
    QVERIFY(!first.isEmpty());
    QCOMPARE(errorsOf(first).size(), 1);
    const QJsonObject range = errorsOf(first).at(0).toObject().value(key("range")).toObject();
    const QString line4 = document.split(QLatin1Char('\n')).at(4);
    QCOMPARE(range.value(key("start")).toObject().value(key("line")).toInt(), 4);
    QCOMPARE(range.value(key("start")).toObject().value(key("character")).toInt(), int(line4.indexOf(QLatin1String("reflexivity"))));
    QCOMPARE(range.value(key("end")).toObject().value(key("character")).toInt(),
             int(line4.indexOf(QLatin1String("reflexivity")) + QLatin1String("reflexivity").size()));

    // Fix the statement (1 = 2 into 1 = 1), settle, then break it again.
    const auto change = [&](int version, int character, const QString &text) {
        const QJsonObject at{{key("line"), 3}, {key("character"), character}};
        const QJsonObject to{{key("line"), 3}, {key("character"), character + 1}};
        client.notify(QStringLiteral("textDocument/didChange"),
                      QJsonObject{{key("textDocument"), QJsonObject{{key("uri"), uri}, {key("version"), version}}},
                                  {key("contentChanges"), QJsonArray{QJsonObject{{key("text"), text},
                                      {key("range"), QJsonObject{{key("start"), at}, {key("end"), to}}}}}}});
    };
    const int two = int(document.split(QLatin1Char('\n')).at(3).indexOf(QLatin1Char('2')));
    change(2, two, QStringLiteral("1"));
    const QJsonObject settled = client.call(QStringLiteral("workspace/executeCommand"),
                                            QJsonObject{{key("command"), QStringLiteral("drover.waitSettled")},
                                                        {key("arguments"), QJsonArray{uri}}}).toObject();
    QVERIFY2(!settled.contains(key("error")) && settled.value(key("checked")).toInt() > 5, QJsonDocument(settled).toJson().constData());
    client.drain();
    QElapsedTimer clock;
    clock.start();
    change(3, two, QStringLiteral("3"));
    const QJsonObject again = client.notification(QStringLiteral("textDocument/publishDiagnostics"), [&](const QJsonObject &p) {
        return p.value(key("version")).toInt() == 3 && hasError(p);
    }, 120000);
    QVERIFY(!again.isEmpty());
    qInfo("Coq: didChange to the new error: %lld ms (edit pause 100 ms)", qint64(clock.elapsed()));
    QCOMPARE(errorsOf(again).at(0).toObject().value(key("range")).toObject().value(key("start")).toObject().value(key("line")).toInt(), 4);

    QVERIFY(TestSupport::coqidetopCount(dir.path()) > 0);
    client.notify(QStringLiteral("textDocument/didClose"), QJsonObject{{key("textDocument"), QJsonObject{{key("uri"), uri}}}});
    QTRY_COMPARE_WITH_TIMEOUT(TestSupport::coqidetopCount(dir.path()), 0, 30000);
    QVERIFY(client.call(QStringLiteral("shutdown"), QJsonValue::Null).isNull());
    QVERIFY2(client.protocolViolation().isEmpty(), qPrintable(client.protocolViolation()));
}

void TestLspCoq::inputEndEndsCoqidetop()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("doc.v")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(document.toUtf8());
    file.close();
    LspClient client(QStringLiteral(DROVER_LSP_BIN));
    client.initialize();
    client.notify(QStringLiteral("textDocument/didOpen"),
                  TestSupport::documentItem(QUrl::fromLocalFile(file.fileName()).toString(), document, 1, QStringLiteral("coq")));
    QTRY_VERIFY_WITH_TIMEOUT(TestSupport::coqidetopCount(dir.path()) > 0, 60000);
    // The editor goes away without a word: the server ends, and every
    // coqidetop with its worker.
    client.process().closeWriteChannel();
    QVERIFY(client.process().waitForFinished(30000));
    QCOMPARE(client.process().exitCode(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(TestSupport::coqidetopCount(dir.path()), 0, 30000);
}

QTEST_MAIN(TestLspCoq)
#include "tst_lspcoq.moc"
