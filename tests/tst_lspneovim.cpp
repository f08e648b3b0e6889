// drover-lsp in a real editor: headless Neovim runs tests/lsp/neovim.lua,
// which opens a document, waits for diagnostics, edits, cancels and quits.
// Skipped when nvim is not installed.

#include "support/processes.h"

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

namespace {
// Line 7 (0-based) fails; its comment has characters outside the BMP.
const char document[] =
    "Lemma fine: it holds.\n"
    "Proof.\n"
    "  fib 10 = 55.\n"
    "Qed.\n"
    "Lemma wrong_fib: a claim that does not hold.\n"
    "Proof.\n"
    "  fib 10 = 55.\n"
    "  fib 11 = 90. # \xF0\x9F\x98\x80\xF0\x9F\x98\x80 wrong\n"
    "Qed.\n";
} // namespace

class TestLspNeovim : public QObject
{
    Q_OBJECT

private slots:
    void editSession();
};

void TestLspNeovim::editSession()
{
    const QString nvim = QStandardPaths::findExecutable(QStringLiteral("nvim"));
    if (nvim.isEmpty())
        QSKIP("nvim is not installed (Debian: apt-get install neovim): the editor test needs it");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("doc.proof")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(document);
    file.close();

    QProcess editor;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DROVER_LSP_BIN"), QStringLiteral(DROVER_LSP_BIN));
    env.insert(QStringLiteral("DROVER_DOC"), file.fileName());
    env.insert(QStringLiteral("DROVER_LOG"), dir.filePath(QStringLiteral("nvim.log")));
    env.insert(QStringLiteral("HOME"), dir.path()); // nothing of the user's Neovim state
    editor.setProcessEnvironment(env);
    editor.start(nvim, {QStringLiteral("--headless"), QStringLiteral("--clean"), QStringLiteral("-u"), QStringLiteral("NONE"),
                        QStringLiteral("-c"), QStringLiteral("luafile " NEOVIM_SCRIPT)});
    QVERIFY(editor.waitForStarted(30000));
    const bool finished = editor.waitForFinished(100000);
    if (!finished) {
        editor.kill();
        editor.waitForFinished(30000);
    }
    QFile logFile(dir.filePath(QStringLiteral("nvim.log")));
    const QString log = logFile.open(QIODevice::ReadOnly) ? QString::fromUtf8(logFile.readAll()) : QString();
    qInfo().noquote() << log.trimmed();
    QVERIFY2(finished, "nvim did not finish");
    QVERIFY2(editor.exitCode() == 0 && log.endsWith(QLatin1String("ok\n")), qPrintable(log + QString::fromUtf8(editor.readAllStandardError())));

    // The server Neovim started is gone, and so are its workers.
    const QRegularExpressionMatch pid = QRegularExpression(QStringLiteral("server pid (\\d+)")).match(log);
    QVERIFY(pid.hasMatch());
    QTRY_VERIFY_WITH_TIMEOUT(!TestSupport::processExists(pid.captured(1).toLongLong()), 30000);
}

QTEST_MAIN(TestLspNeovim)
#include "tst_lspneovim.moc"
