// drover-check on a terminal, driven through a pseudo-terminal as a person
// uses it: the progress line fits the window and follows its size, it is
// there when only stderr is a terminal, Ctrl-C says what it does at once,
// and the table keeps to what needs reading (issue 19, items 6 to 10).

#include "support/processes.h"
#include "support/screen.h"
#include "support/terminal.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

namespace {
const QByteArray EraseLine = "\r\033[K";

QString document(const QTemporaryDir &dir, const QString &name, int lemmas, const QString &proof,
                 const QString &lemmaName = QStringLiteral("lemma"))
{
    QString text;
    for (int i = 0; i < lemmas; ++i)
        text += QStringLiteral("Lemma %1_%2: something.\nProof.\n  %3.\nQed.\n\n").arg(lemmaName).arg(i).arg(proof);
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text.toUtf8());
    return path;
}

// What the progress line drew: each piece after an erase, up to the next
// erase or line end.
QList<QByteArray> progressPieces(const QByteArray &output)
{
    QList<QByteArray> pieces;
    qsizetype at = output.indexOf(EraseLine);
    while (at >= 0) {
        const qsizetype start = at + EraseLine.size();
        qsizetype end = output.indexOf('\r', start);
        const qsizetype newline = output.indexOf('\n', start);
        if (end < 0 || (newline >= 0 && newline < end))
            end = newline;
        const QByteArray piece = output.mid(start, end < 0 ? -1 : end - start);
        if (piece.startsWith('['))
            pieces << piece;
        at = output.indexOf(EraseLine, start);
    }
    return pieces;
}

int columnsOf(const QByteArray &piece)
{
    return int(QString::fromUtf8(piece).size());
}

bool hasProgress(const QByteArray &output)
{
    return !progressPieces(output).isEmpty();
}
} // namespace

class tst_DroverCheckTerminal : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase()
    {
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
    }

    // 40 lemmas with names longer than the window: every redraw stays on
    // its line, so nothing but the table and the summary ends a line.
    void progressFitsTheWindow_data()
    {
        QTest::addColumn<int>("columns");
        QTest::newRow("50 columns") << 50;
        QTest::newRow("20 columns") << 20;
    }

    void progressFitsTheWindow()
    {
        QFETCH(int, columns);
        QTemporaryDir dir;
        const QString path = document(dir, QStringLiteral("long.proof"), 40, QStringLiteral("sleep 20"),
                                      QStringLiteral("a_lemma_whose_name_is_longer_than_the_window_is_wide"));
        TestSupport::Terminal terminal;
        QVERIFY(terminal.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("-j"), QStringLiteral("2"), path}, columns));
        QCOMPARE(terminal.finish(), 0);
        const QByteArray out = terminal.output();
        const QList<QByteArray> pieces = progressPieces(out);
        QVERIFY2(pieces.size() >= 40, out.left(2000).constData());
        for (const QByteArray &piece : pieces)
            QVERIFY2(columnsOf(piece) < columns, piece.constData());
        const qsizetype table = out.indexOf("FILE  ");
        QVERIFY(table > 0);
        QCOMPARE(out.left(table).count('\n'), 0);
        QVERIFY(out.contains("40 lemmas: 40 ok"));
    }

    // What a person sees at the end of a run in a window of 50 columns with
    // names longer than that: the table and the summary, and no trace of
    // the progress line. With DROVER_SCREEN_OUT set, the screen is saved
    // there as plain text (docs/images/drover-check-50-columns.txt).
    void finalScreenAt50Columns()
    {
        constexpr int columns = 50;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("work.proof"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QString text;
        for (int i = 0; i < 12; ++i)
            text += QStringLiteral("Lemma lemma_whose_name_is_rather_long_%1: s.\nProof.\n  sleep 30.\nQed.\n\n").arg(i);
        text += QStringLiteral("Lemma wrong_fib: s.\nProof.\n  prime 7.\n  fib 11 = 90.\nQed.\n");
        file.write(text.toUtf8());
        file.close();
        const QString save = QFileInfo(qEnvironmentVariable("DROVER_SCREEN_OUT")).absoluteFilePath();
        // From the document's directory, as a person would run it: the
        // table's FILE column is its name, not a long temporary path.
        const QString here = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        TestSupport::Terminal terminal;
        const bool started = terminal.start(QStringLiteral(DROVER_CHECK_BIN),
                                            {QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("work.proof")}, columns);
        QDir::setCurrent(here);
        QVERIFY(started);
        QCOMPARE(terminal.finish(), 1);
        const QByteArray out = terminal.output();
        QVERIFY2(progressPieces(out).size() >= 13, out.left(2000).constData());
        const QStringList screen = TestSupport::screenOf(out, columns);
        const QString shown = screen.join(QLatin1Char('\n'));
        for (const QString &line : screen) {
            QVERIFY2(line.size() <= columns, qPrintable(line));
            QVERIFY2(!line.startsWith(QLatin1Char('[')), qPrintable(shown)); // no progress line left behind
        }
        QVERIFY2(shown.contains(QLatin1String("13 lemmas: 12 ok, 1 error")), qPrintable(shown));
        QVERIFY2(shown.contains(QLatin1String("wrong_fib")), qPrintable(shown));
        if (!qEnvironmentVariableIsEmpty("DROVER_SCREEN_OUT")) {
            QFile saved(save);
            QVERIFY(saved.open(QIODevice::WriteOnly | QIODevice::Truncate));
            saved.write((shown + QLatin1Char('\n')).toUtf8());
        }
    }

    // The window shrinks while lemmas run: the line is drawn again at the
    // new width at once, and every later one fits it too.
    void progressFollowsTheWindowSize()
    {
        QTemporaryDir dir;
        const QString path = document(dir, QStringLiteral("slow.proof"), 6, QStringLiteral("sleep 400"),
                                      QStringLiteral("a_rather_long_lemma_name"));
        TestSupport::Terminal terminal;
        QVERIFY(terminal.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("-j"), QStringLiteral("1"), path}, 100));
        QVERIFY(terminal.readUntil(hasProgress));
        QVERIFY(columnsOf(progressPieces(terminal.output()).last()) > 30);
        const qsizetype before = terminal.output().size();
        terminal.resize(30);
        QCOMPARE(terminal.finish(), 0);
        const QList<QByteArray> after = progressPieces(terminal.output().mid(before));
        QVERIFY(!after.isEmpty());
        for (const QByteArray &piece : after)
            QVERIFY2(columnsOf(piece) < 30, piece.constData());
    }

    // drover-check doc > report.txt: the progress line is still on the
    // terminal, the table in the file, not on the screen.
    void progressWhenStdoutIsAFile()
    {
        QTemporaryDir dir;
        const QString path = document(dir, QStringLiteral("ok.proof"), 10, QStringLiteral("sleep 20"));
        const QString report = dir.filePath(QStringLiteral("report.txt"));
        TestSupport::Terminal terminal;
        QVERIFY(terminal.start(QStringLiteral(DROVER_CHECK_BIN), {path}, 80, report));
        QCOMPARE(terminal.finish(), 0);
        QVERIFY2(hasProgress(terminal.output()), terminal.output().constData());
        QVERIFY(!terminal.output().contains("FILE  "));
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray table = file.readAll();
        QVERIFY(table.contains("10 lemmas: 10 ok"));
        QVERIFY(!table.contains('\033'));
    }

    // Ctrl-C on a run with a lemma that never answers and many queued: the
    // promise to stop is on screen before the stuck lemma's grace ends, the
    // queued lemmas are one line, not a row each, and the library's
    // warnings stay off the screen.
    void ctrlCSaysItIsStopping()
    {
        QTemporaryDir dir;
        QString text = QStringLiteral("Lemma stuck: forever.\nProof.\n  hang.\nQed.\n\n");
        for (int i = 0; i < 200; ++i)
            text += QStringLiteral("Lemma later_%1: queued.\nProof.\n  sleep 50.\nQed.\n\n").arg(i);
        const QString path = dir.filePath(QStringLiteral("stuck.proof"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text.toUtf8());
        file.close();
        TestSupport::Terminal terminal;
        QVERIFY(terminal.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("-j"), QStringLiteral("1"), path}, 80));
        QVERIFY(terminal.readUntil([](const QByteArray &out) { return out.contains("checking stuck"); }));
        terminal.typeCtrlC();
        QVERIFY(terminal.readUntil([](const QByteArray &out) { return out.contains("press Ctrl-C again to quit now"); }));
        // The stuck lemma still holds its worker: nothing is printed yet.
        QVERIFY(!terminal.output().contains("lemmas:"));
        QCOMPARE(terminal.finish(), 1);
        const QByteArray out = terminal.output();
        QVERIFY2(out.contains("200 lemmas cancelled before they started"), out.right(1500).constData());
        QVERIFY(!out.contains("cancelled before it started"));
        QVERIFY2(!out.contains("refused"), out.constData());
        QVERIFY(out.contains("201 lemmas: 0 ok"));
    }

    // A second Ctrl-C quits at once, with the cursor on a new line.
    void secondCtrlCQuitsOnANewLine()
    {
        QTemporaryDir dir;
        const QString path = document(dir, QStringLiteral("hang.proof"), 2, QStringLiteral("hang"));
        TestSupport::Terminal terminal;
        QVERIFY(terminal.start(QStringLiteral(DROVER_CHECK_BIN), {path}, 80));
        QVERIFY(terminal.readUntil(hasProgress));
        terminal.typeCtrlC();
        QVERIFY(terminal.readUntil([](const QByteArray &out) { return out.contains("press Ctrl-C again"); }));
        terminal.typeCtrlC();
        QCOMPARE(terminal.finish(), 130);
        QVERIFY2(terminal.output().endsWith('\n'), terminal.output().right(200).constData());
        // Its workers die with it (they watch their master).
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::childProcesses(), QList<qint64>(), 30000);
    }

    // --failures-only: the rows that need reading, and a count of the rest;
    // a failing row says where its step is.
    void failuresOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mixed.proof"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Lemma fine: ok.\nProof.\n  prime 7.\nQed.\n\n"
                   "Lemma broken: not ok.\nProof.\n  prime 7.\n    fib 10 = 56.\nQed.\n\n"
                   "Lemma also_fine: ok.\nProof.\n  prime 3.\nQed.\n");
        file.close();
        TestSupport::Terminal terminal;
        QVERIFY(terminal.start(QStringLiteral(DROVER_CHECK_BIN), {QStringLiteral("--failures-only"), path}, 120));
        QCOMPARE(terminal.finish(), 1);
        const QByteArray out = terminal.output().mid(terminal.output().lastIndexOf(EraseLine)); // the table
        QVERIFY(!out.contains("also_fine"));
        QVERIFY2(out.contains("2 ok lemmas not shown (--failures-only)"), out.constData());
        const QRegularExpression brokenRow(QStringLiteral(R"(broken\s+error\s+2\s+9:5\s)"));
        QVERIFY2(brokenRow.match(QString::fromUtf8(out)).hasMatch(), out.constData());
        QVERIFY(out.contains("3 lemmas: 2 ok, 1 error"));
        QVERIFY(out.contains("0 parse errors"));
    }
};

QTEST_MAIN(tst_DroverCheckTerminal)
#include "tst_drovercheckterminal.moc"
