// drover-ide on a Coq development, through its real MainWindow on the
// offscreen platform: a few of stdpp's files copied to a temporary
// directory, one of them broken. The files reach their states (the broken
// one an error, what needs it skipped, the rest ok), the opened file shows
// coqc's error where coqc put it, a worker killed under a file or a file
// cancelled ends it crashed or cancelled with its dependents skipped, and
// no worker or coqc outlives the window. Skipped without coqc or stdpp.

#include "coqcontroller.h"
#include "coqfilemodel.h"
#include "coqfilesdock.h"
#include "coqfileview.h"
#include "mainwindow.h"
#include "support/coq.h"
#include "support/idewindow.h"
#include "support/processes.h"
#include "support/workerrows.h"
#include "workermonitor.h"

#include <drover/workerlistmodel.h>

#include <QtCore/QDir>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtGui/QTextBlock>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

#include <memory>

using namespace DroverIde;

namespace {
constexpr int buildTimeout = 120000;

const QByteArray SeededLemma = "\nLemma drover_seeded : 1 = 2.\nProof. reflexivity. Qed.\n";

} // namespace

class tst_IdeCoq : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_stdpp;

    //! A development in a new directory: `stdpp` files copied from stdpp,
    //! `own` files written as given (name → text), in that order.
    QString development(const QStringList &stdpp, const QList<std::pair<QString, QByteArray>> &own = {})
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QDir root(m_dir->path());
        root.mkdir(QStringLiteral("theories"));
        QByteArray project = "-Q theories stdpp\n";
        for (const QString &name : stdpp) {
            const QString copy = root.filePath(QStringLiteral("theories/%1.v").arg(name));
            QFile::copy(QDir(m_stdpp).filePath(name + QLatin1String(".v")), copy);
            QFile(copy).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
            project += "theories/" + name.toUtf8() + ".v\n";
        }
        for (const auto &[name, text] : own) {
            QFile file(root.filePath(QStringLiteral("theories/%1.v").arg(name)));
            file.open(QIODevice::WriteOnly);
            file.write(text);
            project += "theories/" + name.toUtf8() + ".v\n";
        }
        QFile file(root.filePath(QStringLiteral("_CoqProject")));
        file.open(QIODevice::WriteOnly);
        file.write(project);
        return m_dir->path();
    }

    bool openWindow(const QString &path, int workers)
    {
        return TestSupport::openIdeWindow(m_window, path, workers);
    }

    QString stateOf(const char *file) const
    {
        return stateName(m_window->coqFiles()->model()->stateOf(QLatin1String(file)));
    }

private slots:
    void initTestCase()
    {
        QString whyNot;
        m_stdpp = TestSupport::stdppSources(&whyNot);
        if (m_stdpp.isEmpty())
            QSKIP(qPrintable(whyNot));
    }

    // After every test: closing the window leaves no worker and no coqc.
    void cleanup()
    {
        m_window.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
        if (m_dir)
            QCOMPARE(TestSupport::coqcProcesses(m_dir->path()), QStringList());
    }

    void buildsAndShowsTheError_data()
    {
        QTest::addColumn<QString>("seeded");
        QTest::addColumn<QStringList>("states"); // options, base, proof_irrel, decidable
        QTest::newRow("decidable.v broken") << QStringLiteral("decidable")
            << QStringList{QStringLiteral("ok"), QStringLiteral("ok"), QStringLiteral("ok"), QStringLiteral("error")};
        QTest::newRow("base.v broken: all that needs it skipped") << QStringLiteral("base")
            << QStringList{QStringLiteral("ok"), QStringLiteral("error"), QStringLiteral("skipped"), QStringLiteral("skipped")};
    }

    void buildsAndShowsTheError()
    {
        QFETCH(QString, seeded);
        QFETCH(QStringList, states);
        const QStringList files{QStringLiteral("options"), QStringLiteral("base"), QStringLiteral("proof_irrel"),
                                QStringLiteral("decidable")};
        const QString root = development(files);
        const QString broken = QStringLiteral("theories/%1.v").arg(seeded);
        QFile source(QDir(root).filePath(broken));
        QVERIFY(source.open(QIODevice::Append));
        source.write(SeededLemma);
        source.close();

        QVERIFY(openWindow(root, 2));
        QVERIFY(m_window->coqFiles()->isVisible());
        QCOMPARE(m_window->coqFiles()->model()->rowCount(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isChecked(), buildTimeout);
        for (int i = 0; i < files.size(); ++i)
            QCOMPARE(stateOf(qPrintable(QStringLiteral("theories/%1.v").arg(files.at(i)))), states.at(i));
        const DroverDemo::FileReport skipped = m_window->coqFiles()->model()->reportOf(QStringLiteral("theories/decidable.v"));
        if (seeded != QLatin1String("decidable"))
            QVERIFY2(skipped.message.contains(QLatin1String("needs theories/")), qPrintable(skipped.message));

        // Opened, the broken file shows the error on `reflexivity`, its last
        // line but one, with coqc's message as the tooltip.
        QVERIFY(m_window->coq()->showFile(broken));
        CoqFileView *view = m_window->coqView();
        const int line = view->document()->blockCount() - 1;
        QCOMPARE(view->document()->findBlockByNumber(line - 1).text(), QStringLiteral("Proof. reflexivity. Qed."));
        bool underlined = false;
        for (const QTextEdit::ExtraSelection &selection : view->extraSelections()) {
            underlined |= selection.format.underlineStyle() == QTextCharFormat::WaveUnderline
                          && selection.cursor.blockNumber() + 1 == line
                          && selection.cursor.selectionStart() - selection.cursor.block().position() == 7
                          && selection.cursor.selectedText() == QLatin1String("reflexivity");
        }
        QVERIFY(underlined);
        QVERIFY2(view->toolTipForLine(line).contains(QLatin1String("error: Unable to unify")), qPrintable(view->toolTipForLine(line)));
        QCOMPARE(view->textCursor().blockNumber() + 1, line);
        QVERIFY(view->isReadOnly());
    }

    void killOrCancelAFile_data()
    {
        QTest::addColumn<bool>("kill");
        QTest::addColumn<QString>("state");
        QTest::newRow("Kill its worker") << true << QStringLiteral("crashed");
        QTest::newRow("Cancel the file") << false << QStringLiteral("cancelled");
    }

    void killOrCancelAFile()
    {
        QFETCH(bool, kill);
        QFETCH(QString, state);
        // `repeat idtac` never ends: the file builds until it is stopped.
        const QString root = development({QStringLiteral("options")},
                                         {{QStringLiteral("loop"), "From stdpp Require Import options.\nGoal True. repeat idtac. Qed.\n"},
                                          {QStringLiteral("after"), "From stdpp Require Import loop.\n"}});
        QVERIFY(openWindow(root, 1));
        const QString loop = QStringLiteral("theories/loop.v");
        Drover::WorkerListModel *workers = m_window->workerMonitor()->model();
        QTRY_VERIFY_WITH_TIMEOUT(TestSupport::rowOfBusyWorker(workers, loop) >= 0, buildTimeout);
        QCOMPARE(stateOf("theories/loop.v"), QStringLiteral("checking"));
        QTRY_VERIFY_WITH_TIMEOUT(!TestSupport::coqcProcesses(root).isEmpty(), buildTimeout);

        if (kill) {
            TestSupport::clickKill(m_window.get(), TestSupport::rowOfBusyWorker(workers, loop));
        } else {
            m_window->coqFiles()->selectFile(loop);
            auto *button = m_window->coqFiles()->findChild<QToolButton *>(QStringLiteral("cancelFileButton"));
            QVERIFY(button);
            QTRY_VERIFY(button->isEnabled());
            QTest::mouseClick(button, Qt::LeftButton);
        }
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isChecked(), buildTimeout);
        QCOMPARE(stateOf("theories/loop.v"), state);
        QCOMPARE(stateOf("theories/after.v"), QStringLiteral("skipped"));
        QCOMPARE(stateOf("theories/options.v"), QStringLiteral("ok"));
        if (kill) {
            const QString message = m_window->coqFiles()->model()->reportOf(loop).message;
            QVERIFY2(message.contains(QLatin1String("SIGKILL")), qPrintable(message));
        }
        QTRY_COMPARE_WITH_TIMEOUT(TestSupport::coqcProcesses(root), QStringList(), buildTimeout);
    }

    void headlessScreenshotOfADevelopment_data()
    {
        QTest::addColumn<QString>("open");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrHas");
        QTest::newRow("the broken file shown") << QStringLiteral("theories/base.v") << 0 << QString();
        QTest::newRow("--open of no file of it") << QStringLiteral("theories/nothere.v") << 2
                                                 << QStringLiteral("--open: theories/nothere.v is not a file of the open development");
    }

    void headlessScreenshotOfADevelopment()
    {
        QFETCH(QString, open);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrHas);
        const QString root = development({QStringLiteral("options"), QStringLiteral("base")});
        QFile source(QDir(root).filePath(QStringLiteral("theories/base.v")));
        QVERIFY(source.open(QIODevice::Append));
        source.write(SeededLemma);
        source.close();
        const QString png = QDir(root).filePath(QStringLiteral("shot.png"));
        QProcess ide;
        ide.start(QStringLiteral(DROVER_IDE_BIN), {QStringLiteral("--screenshot"), png, QStringLiteral("--quit-when-checked"),
                                                    QStringLiteral("--open"), open, root});
        QVERIFY(ide.waitForFinished(buildTimeout));
        QCOMPARE(ide.exitStatus(), QProcess::NormalExit);
        const QString err = QString::fromUtf8(ide.readAllStandardError());
        QVERIFY2(err.contains(stderrHas), qPrintable(err));
        QCOMPARE(ide.exitCode(), exitCode);
        QCOMPARE(QImage(png).isNull(), exitCode != 0);
    }
};

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    tst_IdeCoq test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_idecoq.moc"
