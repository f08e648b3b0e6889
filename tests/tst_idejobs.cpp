// drover-ide's share of the machine's job slots (issue 15, item 3), through
// the real window on the offscreen platform: Check > Share Job Slots… sets
// a cap of 1 through the token server, and with two workers the task list
// shows the second lemma "waiting for a slot" while the first runs, then
// both are checked. drover-ide's --jobs-cap refuses a bad value as
// drover-check's does.

#include "mainwindow.h"
#include "proofdocument.h"
#include "support/idewindow.h"
#include "support/processes.h"
#include "tasklistdock.h"
#include "tasklistmodel.h"

#include <drover/taskqueue.h>

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QInputDialog>

#include <memory>

using namespace DroverIde;

namespace {
constexpr int checkTimeout = 60000;

QString stateOf(const MainWindow &window, const QString &name)
{
    for (const LemmaEntry &entry : window.document()->lemmas()) {
        if (entry.lemma.name == name)
            return stateName(entry.state);
    }
    return QStringLiteral("missing");
}

// The State column of the task list's row for `lemma`; empty without one.
QString taskState(const MainWindow &window, const QString &lemma)
{
    const TaskListModel *tasks = window.taskList()->model();
    for (int r = 0; r < tasks->rowCount(); ++r) {
        if (tasks->index(r, TaskListModel::LemmaColumn).data().toString() == lemma)
            return tasks->index(r, TaskListModel::StateColumn).data().toString();
    }
    return {};
}
} // namespace

class tst_IdeJobs : public QObject
{
    Q_OBJECT

    // A token server of this test's own: not the user's, which other
    // programs may share. Short: a socket path has 108 bytes.
    QTemporaryDir m_runtime{QStringLiteral("/tmp/idejobs-XXXXXX")};

private slots:
    void initTestCase()
    {
        QVERIFY(m_runtime.isValid());
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
        qunsetenv("MAKEFLAGS");
        qunsetenv("DROVER_JOBS");
    }

    void cleanup()
    {
        QTRY_VERIFY_WITH_TIMEOUT(TestSupport::childProcesses().isEmpty(), 30000);
    }

    void menuCapMakesTheSecondLemmaWait()
    {
        const QString path = m_runtime.filePath(QStringLiteral("two.proof"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // The first sleeps long enough for the second worker to start and ask
        // for a slot meanwhile, even on a loaded machine.
        file.write("Lemma first: it sleeps.\nProof.\n  sleep 5000.\nQed.\n"
                   "Lemma second: it does not.\nProof.\n  sleep 10.\nQed.\n");
        file.close();

        std::unique_ptr<MainWindow> window;
        QString error;
        window.reset(MainWindow::create(&error));
        QVERIFY2(window, qPrintable(error));
        QVERIFY(!window->jobsCap());
        // The menu entry asks for the cap in a dialog: answer 1.
        bool answered = false;
        QTimer::singleShot(0, this, [&answered] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            dialog->setIntValue(1);
            dialog->accept();
            answered = true;
        });
        window->jobsCapAction()->trigger();
        QVERIFY(answered);
        QCOMPARE(window->jobsCap(), std::optional<int>(1));

        window->setWorkerCount(2);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QVERIFY2(window->openPath(path, true, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(taskState(*window, QStringLiteral("second")), QStringLiteral("waiting for a slot"),
                                  checkTimeout);
        QCOMPARE(taskState(*window, QStringLiteral("first")), QStringLiteral("running"));
        QCOMPARE(stateOf(*window, QStringLiteral("first")), QStringLiteral("checking"));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*window, QStringLiteral("second")), QStringLiteral("ok"), checkTimeout);
        QCOMPARE(stateOf(*window, QStringLiteral("first")), QStringLiteral("ok"));
        QCOMPARE(window->taskList()->model()->rowCount(), 0);
    }

    void commandLineCap_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        QTest::newRow("not a number") << "two" << 2 << "--jobs-cap wants a number from 0 to 4096, not \"two\"";
        QTest::newRow("negative") << "-1" << 2 << "--jobs-cap wants a number from 0 to 4096, not \"-1\"";
        QTest::newRow("too many") << "4097" << 2 << "--jobs-cap wants a number from 0 to 4096, not \"4097\"";
        QTest::newRow("fine") << "1" << 0 << "";
    }

    // A bad value is one line and exit code 2, before any window; a good one
    // checks the document and quits.
    void commandLineCap()
    {
        QFETCH(QString, value);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        const QString path = m_runtime.filePath(QStringLiteral("one.proof"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Lemma one: it holds.\nProof.\n  sleep 10.\nQed.\n");
        file.close();
        QProcess ide;
        ide.start(QStringLiteral(DROVER_IDE_BIN),
                  {QStringLiteral("--quit-when-checked"), QStringLiteral("--jobs-cap"), value, path});
        QVERIFY(ide.waitForFinished(checkTimeout));
        const QString errors = QString::fromUtf8(ide.readAllStandardError());
        QCOMPARE(ide.exitStatus(), QProcess::NormalExit);
        QVERIFY2(ide.exitCode() == exitCode, qPrintable(errors));
        if (!says.isEmpty())
            QVERIFY2(errors.contains(says), qPrintable(errors));
        else
            QVERIFY2(!errors.contains(QLatin1String("warning")), qPrintable(errors));
    }
};

QTEST_MAIN(tst_IdeJobs)
#include "tst_idejobs.moc"
