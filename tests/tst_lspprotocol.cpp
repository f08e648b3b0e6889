// drover-lsp's protocol, driven as a raw JSON-RPC client over its stdin and
// stdout: the lifecycle, every kind of mistake a client can make (each
// answered with its LSP error, after which the server goes on), and the
// end of the input ending the server and every worker.

#include "support/lspclient.h"
#include "support/processes.h"

#include <QtCore/QFile>
#include <QtTest/QTest>

using TestSupport::LspClient;

namespace {
QString program() { return QStringLiteral(DROVER_LSP_BIN); }

QByteArray frame(const QByteArray &body)
{
    return "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

const QString hangDocument = QStringLiteral("Lemma stuck: never finishes.\nProof.\n  hang.\nQed.\n");
} // namespace

class TestLspProtocol : public QObject
{
    Q_OBJECT

private slots:
    void lifecycle();
    void exitWithoutShutdown();
    void mistakes_data();
    void mistakes();
    void mistakeInNotification_data();
    void mistakeInNotification();
    void requestsAfterShutdown();
    void inputEndStopsEveryWorker();
};

void TestLspProtocol::lifecycle()
{
    LspClient client(program());
    QVERIFY(client.isStarted());
    const QJsonObject result = client.initialize();
    const QJsonObject capabilities = result.value(QStringLiteral("capabilities")).toObject();
    QCOMPARE(capabilities.value(QStringLiteral("positionEncoding")).toString(), QStringLiteral("utf-16"));
    QCOMPARE(capabilities.value(QStringLiteral("textDocumentSync")).toObject().value(QStringLiteral("change")).toInt(), 2);
    QVERIFY(capabilities.value(QStringLiteral("hoverProvider")).toBool());
    QCOMPARE(result.value(QStringLiteral("serverInfo")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("drover-lsp"));
    // A second initialize is a mistake too.
    const QJsonObject again = client.response(client.request(QStringLiteral("initialize"), QJsonObject{{QStringLiteral("capabilities"), QJsonObject()}}));
    QCOMPARE(again.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt(), -32600);

    const QJsonObject shutdown = client.response(client.request(QStringLiteral("shutdown"), QJsonValue::Null));
    QVERIFY(shutdown.contains(QStringLiteral("result")));
    QVERIFY(shutdown.value(QStringLiteral("result")).isNull());
    client.notify(QStringLiteral("exit"));
    QVERIFY(client.process().waitForFinished(30000));
    QCOMPARE(client.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(client.process().exitCode(), 0);
    QVERIFY2(client.protocolViolation().isEmpty(), qPrintable(client.protocolViolation()));
}

void TestLspProtocol::exitWithoutShutdown()
{
    LspClient client(program());
    client.initialize();
    client.notify(QStringLiteral("exit"));
    QVERIFY(client.process().waitForFinished(30000));
    QCOMPARE(client.process().exitCode(), 1); // as LSP says: exit without shutdown
}

void TestLspProtocol::mistakes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("initializeFirst");
    QTest::addColumn<int>("code");

    const QByteArray hover = R"({"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.proof"}}})";
    QTest::newRow("not JSON") << frame("{\"jsonrpc\": \"2.0\", \"id\": 7, ") << true << -32700;
    QTest::newRow("not an object") << frame("\"hello\"") << true << -32600;
    QTest::newRow("a batch") << frame("[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"shutdown\"}]") << true << -32600;
    QTest::newRow("no jsonrpc field") << frame(R"({"id":7,"method":"shutdown"})") << true << -32600;
    QTest::newRow("an id that is an object") << frame(R"({"jsonrpc":"2.0","id":{},"method":"shutdown"})") << true << -32600;
    QTest::newRow("no method") << frame(R"({"jsonrpc":"2.0","id":7})") << true << -32600;
    QTest::newRow("params a number") << frame(R"({"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":3})") << true << -32602;
    QTest::newRow("no Content-Length") << QByteArray("Content-Type: application/vscode-jsonrpc\r\n\r\n{}") << true << -32700;
    QTest::newRow("Content-Length not a number") << QByteArray("Content-Length: twelve\r\n\r\n{\"a\": 1}") << true << -32700;
    QTest::newRow("Content-Length negative") << QByteArray("Content-Length: -5\r\n\r\n{}") << true << -32700;
    QTest::newRow("Content-Length too short") << ("Content-Length: 10\r\n\r\n" + hover) << true << -32700;
    QTest::newRow("a huge message") << ("Content-Length: 3000000\r\n\r\n{\"x\":\"" + QByteArray(3000000 - 8, 'a') + "\"}")
                                    << true << -32700;
    QTest::newRow("unknown method") << frame(R"({"jsonrpc":"2.0","id":7,"method":"textDocument/teleport","params":{}})") << true << -32601;
    QTest::newRow("request before initialize") << frame(hover) << false << -32002;
    QTest::newRow("missing position") << frame(hover) << true << -32602;
    QTest::newRow("missing uri") << frame(R"({"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"position":{"line":0,"character":0}}})")
                                 << true << -32602;
    QTest::newRow("unknown command") << frame(R"({"jsonrpc":"2.0","id":7,"method":"workspace/executeCommand","params":{"command":"rm -rf"}})")
                                     << true << -32602;
    QTest::newRow("command on a closed document")
        << frame(R"({"jsonrpc":"2.0","id":7,"method":"workspace/executeCommand","params":{"command":"drover.cancel","arguments":["file:///nowhere.proof"]}})")
        << true << -32602;
}

void TestLspProtocol::mistakes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, initializeFirst);
    QFETCH(int, code);

    // A limit of 1 MiB keeps the huge message quick to send.
    LspClient client(program(), {QStringLiteral("--max-message-size"), QStringLiteral("1048576")});
    QVERIFY(client.isStarted());
    if (initializeFirst)
        client.initialize();
    client.sendRaw(bytes);
    const QJsonObject error = client.take([code](const QJsonObject &m) {
        return m.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt() == code;
    });
    QVERIFY2(!error.isEmpty(), qPrintable(QStringLiteral("no error %1 came").arg(code)));
    QVERIFY(!error.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());

    // The server goes on: a good request gets its answer.
    if (!initializeFirst)
        client.initialize();
    const QJsonObject answer = client.response(client.request(
        QStringLiteral("textDocument/hover"),
        QJsonObject{{QStringLiteral("textDocument"), QJsonObject{{QStringLiteral("uri"), QStringLiteral("file:///x.proof")}}},
                    {QStringLiteral("position"), QJsonObject{{QStringLiteral("line"), 0}, {QStringLiteral("character"), 0}}}}));
    QVERIFY2(answer.contains(QStringLiteral("result")), QJsonDocument(answer).toJson().constData());
    QCOMPARE(client.process().state(), QProcess::Running);
    QVERIFY2(client.protocolViolation().isEmpty(), qPrintable(client.protocolViolation()));
}

void TestLspProtocol::mistakeInNotification_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonObject>("params");
    QTest::newRow("didOpen without text") << QStringLiteral("textDocument/didOpen")
        << QJsonObject{{QStringLiteral("textDocument"), QJsonObject{{QStringLiteral("uri"), QStringLiteral("file:///a.proof")}}}};
    QTest::newRow("didChange of a closed document") << QStringLiteral("textDocument/didChange")
        << QJsonObject{{QStringLiteral("textDocument"), QJsonObject{{QStringLiteral("uri"), QStringLiteral("file:///b.proof")}, {QStringLiteral("version"), 2}}},
                       {QStringLiteral("contentChanges"), QJsonArray{QJsonObject{{QStringLiteral("text"), QStringLiteral("x")}}}}};
    QTest::newRow("unknown notification") << QStringLiteral("textDocument/didTeleport") << QJsonObject();
}

void TestLspProtocol::mistakeInNotification()
{
    QFETCH(QString, method);
    QFETCH(QJsonObject, params);
    LspClient client(program());
    client.initialize();
    client.notify(method, params);
    // A notification cannot be answered: the server says it in the log.
    const QJsonObject log = client.notification(QStringLiteral("window/logMessage"),
                                                [](const QJsonObject &p) { return p.value(QStringLiteral("type")).toInt() == 1; });
    QVERIFY(!log.isEmpty());
    QVERIFY(!client.call(QStringLiteral("shutdown"), QJsonValue::Null).isUndefined());
}

void TestLspProtocol::requestsAfterShutdown()
{
    LspClient client(program());
    client.initialize();
    client.call(QStringLiteral("shutdown"), QJsonValue::Null);
    const QJsonObject late = client.response(client.request(QStringLiteral("textDocument/hover"), QJsonObject()));
    QCOMPARE(late.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt(), -32600);
    client.notify(QStringLiteral("exit"));
    QVERIFY(client.process().waitForFinished(30000));
    QCOMPARE(client.process().exitCode(), 0);
}

void TestLspProtocol::inputEndStopsEveryWorker()
{
    LspClient client(program());
    client.initialize();
    const QString uri = QStringLiteral("file:///tmp/drover-lsp-stuck.proof");
    client.notify(QStringLiteral("textDocument/didOpen"), TestSupport::documentItem(uri, hangDocument));
    const qint64 server = client.process().processId();
    // Wait until the lemma runs on a worker: then a worker process exists.
    QList<qint64> workers;
    QTRY_VERIFY_WITH_TIMEOUT(!(workers = TestSupport::childProcesses(server)).isEmpty(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(client.call(QStringLiteral("textDocument/hover"),
                                         QJsonObject{{QStringLiteral("textDocument"), QJsonObject{{QStringLiteral("uri"), uri}}},
                                                     {QStringLiteral("position"), QJsonObject{{QStringLiteral("line"), 2}, {QStringLiteral("character"), 2}}}})
                                 .toObject().value(QStringLiteral("contents")).toObject().value(QStringLiteral("value")).toString()
                                 .contains(QStringLiteral("checking")), 60000);
    workers = TestSupport::childProcesses(server);
    QVERIFY(!workers.isEmpty());

    client.process().closeWriteChannel();
    QVERIFY(client.process().waitForFinished(30000));
    QCOMPARE(client.process().exitCode(), 1); // no shutdown came
    for (qint64 pid : std::as_const(workers))
        QTRY_VERIFY2_WITH_TIMEOUT(!TestSupport::processExists(pid), qPrintable(QStringLiteral("worker %1 outlived the server").arg(pid)), 30000);
}

QTEST_MAIN(TestLspProtocol)
#include "tst_lspprotocol.moc"
