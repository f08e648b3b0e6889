// drover-ide driven through its real widgets on the offscreen platform: a
// document is checked and shown, an edit re-checks only its lemma, the queue
// follows the cursor, the worker monitor's Kill and the task list's Cancel All
// act at once, and no worker outlives the window.

#include "checkcontroller.h"
#include "checkstatus.h"
#include "feedbacklog.h"
#include "mainwindow.h"
#include "proofdocument.h"
#include "proofeditor.h"
#include "querycontroller.h"
#include "support/processes.h"
#include "support/workerrows.h"
#include "tasklistdock.h"
#include "tasklistmodel.h"
#include "workermonitor.h"

#include <drover/taskqueue.h>
#include <drover/workerlistmodel.h>

#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtGui/QTextBlock>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

#include <memory>

using namespace DroverIde;

namespace {
constexpr int checkTimeout = 60000;

QString example(const char *name)
{
    return QStringLiteral(DROVER_EXAMPLES_DIR "/") + QLatin1String(name);
}

QString ideData(const char *name)
{
    return QStringLiteral(IDE_DATA_DIR "/") + QLatin1String(name);
}

const LemmaEntry *entryOf(const MainWindow &window, const QString &name)
{
    for (const LemmaEntry &entry : window.document()->lemmas()) {
        if (entry.lemma.name == name)
            return &entry;
    }
    return nullptr;
}

// The state name of a lemma ("ok", "crashed", ...), or "missing".
QString stateOf(const MainWindow &window, const char *name)
{
    const LemmaEntry *entry = entryOf(window, QLatin1String(name));
    return entry ? stateName(entry->state) : QStringLiteral("missing");
}

QTextBlock blockWithText(const ProofEditor *editor, const QString &text)
{
    for (QTextBlock block = editor->document()->begin(); block.isValid(); block = block.next()) {
        if (block.text() == text)
            return block;
    }
    return {};
}

// Puts the text cursor just before the final '.' of the line that reads `line`.
bool placeCursorBeforeDot(ProofEditor *editor, const QString &line)
{
    const QTextBlock block = blockWithText(editor, line);
    if (!block.isValid())
        return false;
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + int(line.lastIndexOf(QLatin1Char('.'))));
    editor->setTextCursor(cursor);
    return true;
}

using TestSupport::rowOfBusyWorker;
} // namespace

class tst_Ide : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;

    // A shown window with `workers` workers, its document opened.
    bool openWindow(const QString &file, int workers = 2)
    {
        QString error;
        m_window.reset(MainWindow::create(&error));
        if (!m_window) {
            qWarning() << error;
            return false;
        }
        m_window->workerMonitor()->workerCountBox()->setValue(workers);
        m_window->show();
        if (!QTest::qWaitForWindowExposed(m_window.get()))
            return false;
        return m_window->openFile(file, true);
    }

    QString copyOf(const QString &file)
    {
        const QString copy = m_dir.filePath(QFileInfo(file).fileName());
        QFile::remove(copy);
        return QFile::copy(file, copy) ? copy : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(TestSupport::childProcesses().isEmpty());
    }

    // After every test: closing the window leaves no worker behind.
    void cleanup()
    {
        m_window.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
    }

    void checksTheSample()
    {
        QVERIFY(openWindow(example("sample.proof")));
        QVERIFY(m_window->checkStatus()->progressBar()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);

        QCOMPARE(stateOf(*m_window, "primes_are_prime"), QStringLiteral("ok"));
        QCOMPARE(stateOf(*m_window, "fib_small"), QStringLiteral("ok"));
        QCOMPARE(stateOf(*m_window, "fib_wraps"), QStringLiteral("ok"));
        QCOMPARE(stateOf(*m_window, "busy_work"), QStringLiteral("ok"));
        QCOMPARE(stateOf(*m_window, "wrong_fib"), QStringLiteral("error"));
        QCOMPARE(stateOf(*m_window, "not_prime"), QStringLiteral("error"));
        QCOMPARE(stateOf(*m_window, "segfaulting"), QStringLiteral("crashed"));
        QVERIFY(entryOf(*m_window, QStringLiteral("segfaulting"))->outcome.message.contains(QLatin1String("SIGABRT")));

        // The failing step is underlined and its message is the tooltip.
        const LemmaEntry *wrong = entryOf(*m_window, QStringLiteral("wrong_fib"));
        QCOMPARE(wrong->outcome.step, 2);
        const int stepLine = wrong->lemma.steps.at(1).line;
        bool underlined = false;
        for (const QTextEdit::ExtraSelection &selection : m_window->editor()->extraSelections()) {
            underlined |= selection.cursor.blockNumber() + 1 == stepLine
                          && selection.format.underlineStyle() == QTextCharFormat::WaveUnderline
                          && selection.cursor.selectedText() == QLatin1String("fib 11 = 90.");
        }
        QVERIFY(underlined);
        QVERIFY2(m_window->editor()->toolTipForLine(stepLine).contains(QLatin1String("error at step 2")),
                 qPrintable(m_window->editor()->toolTipForLine(stepLine)));

        // Status bar: counts per state, no progress once all is checked.
        CheckStatus *status = m_window->checkStatus();
        QCOMPARE(status->shownCount(LemmaState::Ok), 4);
        QCOMPARE(status->shownCount(LemmaState::Error), 2);
        QCOMPARE(status->shownCount(LemmaState::Crashed), 1);
        QCOMPARE(status->shownCount(LemmaState::Queued), 0);
        QVERIFY(!status->progressBar()->isVisible());

        // The feedback log shows `say` output and worker events, by lemma.
        FeedbackLog *log = m_window->feedbackLog();
        QVERIFY(log->visibleLines().join(QLatin1Char('\n')).contains(QLatin1String("small primes hold")));
        QVERIFY(log->visibleLines().join(QLatin1Char('\n')).contains(QLatin1String("was killed by SIGABRT")));
        log->filterBox()->setCurrentIndex(log->filterBox()->findText(QStringLiteral("segfaulting")));
        const QStringList lines = log->visibleLines();
        QVERIFY(!lines.isEmpty());
        for (const QString &line : lines)
            QVERIFY2(line.contains(QLatin1String("segfaulting")) || line.contains(QLatin1String("SIGABRT")), qPrintable(line));
        QVERIFY(lines.join(QLatin1Char('\n')).contains(QLatin1String("segfaulting: crashed")));
        log->setFilter(QStringLiteral("primes_are_prime"));
        QVERIFY(log->visibleLines().join(QLatin1Char('\n')).contains(QLatin1String("small primes hold")));
        QVERIFY(!log->visibleLines().join(QLatin1Char('\n')).contains(QLatin1String("segfaulting")));
    }

    void editRechecksOnlyThatLemma()
    {
        const QString file = copyOf(example("sample.proof"));
        QVERIFY(!file.isEmpty());
        QVERIFY(openWindow(file));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(stateOf(*m_window, "not_prime"), QStringLiteral("error"));

        QHash<QString, int> started;
        connect(m_window->controller(), &CheckController::lemmaStarted, this,
                [&started](const QString &name) { ++started[name]; });

        // 91 -> 97, typed: the lemma now holds.
        ProofEditor *editor = m_window->editor();
        editor->setFocus();
        QVERIFY(placeCursorBeforeDot(editor, QStringLiteral("  prime 91.")));
        QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClicks(editor, QStringLiteral("7"));
        QVERIFY(blockWithText(editor, QStringLiteral("  prime 97.")).isValid());
        QCOMPARE(stateOf(*m_window, "not_prime"), QStringLiteral("edited"));
        QCOMPARE(stateOf(*m_window, "wrong_fib"), QStringLiteral("error"));

        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, "not_prime"), QStringLiteral("ok"), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(started.value(QStringLiteral("not_prime")), 1);
        QCOMPARE(started.size(), 1);
        QCOMPARE(stateOf(*m_window, "wrong_fib"), QStringLiteral("error"));
        QCOMPARE(stateOf(*m_window, "segfaulting"), QStringLiteral("crashed"));
        QCOMPARE(stateOf(*m_window, "primes_are_prime"), QStringLiteral("ok"));

        // Editing inside a comment or adding a blank line checks nothing.
        started.clear();
        QTextCursor cursor(editor->document()->begin());
        editor->setTextCursor(cursor);
        QTest::keyClicks(editor, QStringLiteral("# a new first line"));
        QTest::keyClick(editor, Qt::Key_Return);
        QCOMPARE(m_window->document()->pendingCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(started.size(), 0);

        // Typing the old text back brings its remembered verdict: no check.
        QVERIFY(placeCursorBeforeDot(editor, QStringLiteral("  prime 97.")));
        QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClicks(editor, QStringLiteral("1"));
        QCOMPARE(stateOf(*m_window, "not_prime"), QStringLiteral("error"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(started.size(), 0);

        // Saving writes the editor's text.
        QVERIFY(m_window->saveFile(file));
        QFile saved(file);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(saved.readAll()), editor->toPlainText());
        QVERIFY(!m_window->isWindowModified());
    }

    // Proof repair as the user sees it: the edit of a failed lemma resumes
    // on the worker that held its steps, and the feedback log says where.
    void editOfAFailedLemmaResumes()
    {
        const QString file = m_dir.filePath(QStringLiteral("repair.proof"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write("Lemma slow_start: expensive steps, then a mistake.\nProof.\n  spin 200.\n  prime 89.\n"
                  "  prime 91.\nQed.\n");
        out.close();
        QVERIFY(openWindow(file));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(stateOf(*m_window, "slow_start"), QStringLiteral("error"));
        // The hold task that follows the failure is done too.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->controller()->queue()->tasks().size(), 0, checkTimeout);

        ProofEditor *editor = m_window->editor();
        editor->setFocus();
        QVERIFY(placeCursorBeforeDot(editor, QStringLiteral("  prime 91.")));
        QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClicks(editor, QStringLiteral("7"));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, "slow_start"), QStringLiteral("ok"), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        m_window->feedbackLog()->setFilter(QStringLiteral("slow_start"));
        const QString log = m_window->feedbackLog()->visibleLines().join(QLatin1Char('\n'));
        QVERIFY2(log.contains(QLatin1String("resuming from step 3")), qPrintable(log));
    }

    // Queries are answered into the feedback log, and a changed option
    // (broadcast to the query workers) changes their answers.
    void queriesAnswerInTheLog()
    {
        const QString file = copyOf(example("queries.proof"));
        QVERIFY(!file.isEmpty());
        QVERIFY(openWindow(file));
        QVERIFY(m_window->queries()->queue());
        const auto log = [this] { return m_window->feedbackLog()->visibleLines().join(QLatin1Char('\n')); };
        const QString hex = QStringLiteral("line 21: Eval fib 90 → Fib(0x5a) mod 2^64 = 0x27f80ddaa1ba7878");
        QTRY_VERIFY2_WITH_TIMEOUT(log().contains(hex), qPrintable(log()), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->queries()->isSettled(), checkTimeout);

        ProofEditor *editor = m_window->editor();
        editor->setFocus();
        QVERIFY(placeCursorBeforeDot(editor, QStringLiteral("Set Base hex.        # numbers in Eval answers in hexadecimal")));
        for (int i = 0; i < 3; ++i)
            QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClicks(editor, QStringLiteral("dec"));
        const QString dec = QStringLiteral("line 21: Eval fib 90 → Fib(90) mod 2^64 = 2880067194370816120");
        QTRY_VERIFY2_WITH_TIMEOUT(log().contains(dec), qPrintable(log()), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->queries()->isSettled(), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
    }

    void editingARunningLemmaCancelsItsTask()
    {
        const QString file = m_dir.filePath(QStringLiteral("long.proof"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("Lemma long: takes ten minutes.\nProof.\n  sleep 600000.\nQed.\n");
        }
        QVERIFY(openWindow(file));
        Drover::TaskQueue *queue = m_window->queue();
        QSignalSpy finished(queue, &Drover::TaskQueue::taskFinished);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, "long"), QStringLiteral("checking"), checkTimeout);
        const Drover::TaskId first = entryOf(*m_window, QStringLiteral("long"))->task;

        ProofEditor *editor = m_window->editor();
        QVERIFY(placeCursorBeforeDot(editor, QStringLiteral("  sleep 600000.")));
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(editor, Qt::Key_Backspace); // sleep 6.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, "long"), QStringLiteral("ok"), checkTimeout);
        QVERIFY(!finished.isEmpty());
        QCOMPARE(finished.first().at(0).value<Drover::TaskId>(), first);
        QCOMPARE(finished.first().at(1).value<Drover::TaskResult>().outcome, Drover::Outcome::Cancelled);
    }

    void changingAnOptionRechecksEverything()
    {
        const QString file = m_dir.filePath(QStringLiteral("options.proof"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("Set Verbose off.\n\nLemma five: is prime.\nProof.\n  prime 5.\nQed.\n\n"
                    "Lemma ten: Fib(10).\nProof.\n  fib 10 = 55.\nQed.\n");
        }
        QVERIFY(openWindow(file));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        const auto log = [this] { return m_window->feedbackLog()->visibleLines().join(QLatin1Char('\n')); };
        QVERIFY(!log().contains(QLatin1String("holds")));

        QHash<QString, int> started;
        connect(m_window->controller(), &CheckController::lemmaStarted, this,
                [&started](const QString &name) { ++started[name]; });
        ProofEditor *editor = m_window->editor();
        QVERIFY(placeCursorBeforeDot(editor, QStringLiteral("Set Verbose off.")));
        for (int i = 0; i < 3; ++i)
            QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClicks(editor, QStringLiteral("on"));
        QCOMPARE(stateOf(*m_window, "five"), QStringLiteral("edited"));
        QCOMPARE(stateOf(*m_window, "ten"), QStringLiteral("edited"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(started.value(QStringLiteral("five")), 1);
        QCOMPARE(started.value(QStringLiteral("ten")), 1);
        QCOMPARE(stateOf(*m_window, "five"), QStringLiteral("ok"));
        // The workers got the new option: Verbose reports every step.
        QVERIFY2(log().contains(QLatin1String("five, step 1: step 1 holds")), qPrintable(log()));
        QVERIFY(log().contains(QLatin1String("ten, step 1: step 1 holds")));
    }

    void queueFollowsTheCursor()
    {
        QStringList order;
        QVERIFY(openWindow(ideData("row.proof"), 1));
        connect(m_window->controller(), &CheckController::lemmaStarted, this,
                [&order](const QString &name) { order << name; });
        // Before any worker is up, the cursor goes to step_4: it is first.
        ProofEditor *editor = m_window->editor();
        editor->goToLine(entryOf(*m_window, QStringLiteral("step_4"))->lemma.line + 1);
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 1, checkTimeout);
        QCOMPARE(order.first(), QStringLiteral("step_4"));
        // Then the cursor jumps to the top: step_1 goes next.
        QTest::keyClick(editor, Qt::Key_Home, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 2, checkTimeout);
        QCOMPARE(order.at(1), QStringLiteral("step_1"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(order.size(), 6);
        QCOMPARE(order.at(2), QStringLiteral("step_2"));
    }

    void killABusyWorker()
    {
        QVERIFY(openWindow(ideData("hang.proof"), 1));
        Drover::WorkerListModel *model = m_window->workerMonitor()->model();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfBusyWorker(model, QStringLiteral("stuck")) >= 0, checkTimeout);
        QCOMPARE(stateOf(*m_window, "stuck"), QStringLiteral("checking"));
        QCOMPARE(stateOf(*m_window, "after"), QStringLiteral("queued"));
        const int row = rowOfBusyWorker(model, QStringLiteral("stuck"));
        const int killed = model->workerIdOf(row);

        // Select the worker's row with the mouse, then press Kill.
        QTableView *view = m_window->workerMonitor()->view();
        const int viewRow = m_window->workerMonitor()->viewRowOf(killed);
        const QModelIndex cell = view->model()->index(viewRow, Drover::WorkerListModel::StateColumn);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cell).center());
        QCOMPARE(view->selectionModel()->selectedRows().value(0).row(), viewRow);
        auto *kill = m_window->workerMonitor()->findChild<QToolButton *>(QStringLiteral("killButton"));
        QVERIFY(kill);
        QTRY_VERIFY(kill->isEnabled());
        QTest::mouseClick(kill, Qt::LeftButton);

        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, "stuck"), QStringLiteral("crashed"), checkTimeout);
        QVERIFY2(entryOf(*m_window, QStringLiteral("stuck"))->outcome.message.contains(QLatin1String("SIGKILL")),
                 qPrintable(entryOf(*m_window, QStringLiteral("stuck"))->outcome.message));
        // The table shows the exit status and the replacement.
        QTRY_COMPARE_WITH_TIMEOUT(model->data(model->index(row, Drover::WorkerListModel::StatusColumn)).toString(),
                                  QStringLiteral("was killed by SIGKILL"), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(model->workerIdOf(model->rowCount() - 1) > killed, checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(stateOf(*m_window, "after"), QStringLiteral("ok"));
        QCOMPARE(stateOf(*m_window, "later"), QStringLiteral("ok"));
    }

    void cancelAllStopsEverything()
    {
        QVERIFY(openWindow(ideData("busy.proof"), 2));
        Drover::TaskQueue *queue = m_window->queue();
        QTRY_COMPARE_WITH_TIMEOUT(queue->runningCount(), 2, checkTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->taskList()->model()->rowCount(), 4, checkTimeout);

        // Cancel one queued lemma from the task list first.
        TaskListModel *tasks = m_window->taskList()->model();
        QTableView *view = m_window->taskList()->view();
        int row = -1;
        for (int r = 0; r < tasks->rowCount(); ++r) {
            if (tasks->data(tasks->index(r, TaskListModel::LemmaColumn)).toString() == QLatin1String("waiting_2"))
                row = r;
        }
        QVERIFY(row >= 0);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(tasks->index(row, 0)).center());
        auto *cancel = m_window->taskList()->findChild<QToolButton *>(QStringLiteral("cancelButton"));
        QVERIFY(cancel && cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(stateOf(*m_window, "waiting_2"), QStringLiteral("cancelled"));
        QCOMPARE(stateOf(*m_window, "waiting_1"), QStringLiteral("queued"));
        QCOMPARE(tasks->rowCount(), 3);

        auto *cancelAll = m_window->taskList()->findChild<QToolButton *>(QStringLiteral("cancelAllButton"));
        QVERIFY(cancelAll);
        QTest::mouseClick(cancelAll, Qt::LeftButton);
        // Queued lemmas end at once; running ones when they stop (`stuck`
        // ignores the request and is killed after the grace period).
        QCOMPARE(queue->queuedCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(queue->tasks().isEmpty(), checkTimeout);
        QCOMPARE(queue->runningCount(), 0);
        QCOMPARE(m_window->taskList()->model()->rowCount(), 0);
        for (const char *name : {"stuck", "napping", "waiting_1", "waiting_2"})
            QCOMPARE(stateOf(*m_window, name), QStringLiteral("cancelled"));
        QVERIFY(m_window->controller()->isSettled());
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->checkStatus()->progressBar()->isVisible(), checkTimeout);
        QCOMPARE(m_window->checkStatus()->shownCount(LemmaState::Cancelled), 4);
    }

    void screenshotMode()
    {
        const QString png = m_dir.filePath(QStringLiteral("shot.png"));
        QProcess ide;
        ide.start(QStringLiteral(DROVER_IDE_BIN),
                  {QStringLiteral("--screenshot"), png, QStringLiteral("--quit-when-checked"), example("sample.proof")});
        QVERIFY(ide.waitForFinished(checkTimeout));
        QCOMPARE(ide.exitStatus(), QProcess::NormalExit);
        QCOMPARE(ide.exitCode(), 0);
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
    }
};

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    tst_Ide test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ide.moc"
