// What a person reading drover-ide meets (issue 19, item 5), through the real
// widgets on the offscreen platform: the legend of the states, a progress
// number that is drawn whole, status bar items that keep their place, the
// Tasks dock's state words never cut, a worker's stderr and lifetime from the
// monitor, a missing document offered to be created, and an edit undone said
// in the log.

#include "checkcontroller.h"
#include "checkstatus.h"
#include "feedbacklog.h"
#include "mainwindow.h"
#include "missingdocument.h"
#include "proofdocument.h"
#include "proofeditor.h"
#include "statelegend.h"
#include "support/idewindow.h"
#include "support/processes.h"
#include "tasklistdock.h"
#include "tasklistmodel.h"
#include "workermonitor.h"
#include "workerstderrview.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>
#include <drover/workerlistmodel.h>

#include <QtCore/QCborMap>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtGui/QTextBlock>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

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

QString logLineWith(const MainWindow &window, const QString &text)
{
    const QListWidget *list = window.feedbackLog()->list();
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->text().contains(text))
            return list->item(i)->text();
    }
    return {};
}

QString lemmas(const QString &prefix, int count, const QString &step)
{
    QString text;
    for (int i = 0; i < count; ++i)
        text += QStringLiteral("Lemma %1_%2: s.\nProof.\n  %3.\nQed.\n\n").arg(prefix).arg(i).arg(step);
    return text;
}

Drover::Task say(const QString &err, bool crash, const QCborMap &extra = {})
{
    QCborMap arg;
    arg.insert(QLatin1String("err"), err);
    arg.insert(QLatin1String("crash"), crash);
    QCborMap payload = extra;
    payload.insert(QLatin1String("op"), QStringLiteral("say"));
    payload.insert(QLatin1String("arg"), arg);
    Drover::Task task;
    task.payload = payload;
    task.name = QStringLiteral("say");
    return task;
}

// The running (or cancelling) rows' state cells fit their column.
bool stateCellsFit(const QTableView *view)
{
    for (int r = 0; r < view->model()->rowCount(); ++r) {
        const QModelIndex cell = view->model()->index(r, TaskListModel::StateColumn);
        QStyleOptionViewItem option;
        option.initFrom(view);
        option.font = view->font();
        option.fontMetrics = view->fontMetrics();
        const int needed = view->itemDelegate()->sizeHint(option, cell).width();
        if (needed > view->columnWidth(TaskListModel::StateColumn)) {
            qWarning() << cell.data().toString() << "needs" << needed << "has" << view->columnWidth(TaskListModel::StateColumn);
            return false;
        }
    }
    return true;
}
} // namespace

class tst_IdeDetails : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;

    QString write(const char *name, const QString &text)
    {
        const QString path = m_dir.filePath(QLatin1String(name));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(text.toUtf8());
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup()
    {
        m_window.reset();
        QVERIFY(TestSupport::childProcesses().isEmpty());
    }

    // Help ▸ Lemma States (F1) lists every state with its sign and meaning;
    // the status bar's counts say the same in their tooltips.
    void legendOfTheStates()
    {
        QString error;
        m_window.reset(MainWindow::create(&error));
        QVERIFY2(m_window, qPrintable(error));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QAction *legend = m_window->findChild<QAction *>(QStringLiteral("legendAction"));
        QVERIFY(legend);
        QCOMPARE(legend->shortcut(), QKeySequence(QKeySequence::HelpContents));
        legend->trigger();
        auto *dialog = m_window->findChild<StateLegend *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        for (LemmaState state : allLemmaStates) {
            const auto *meaning = dialog->findChild<QLabel *>(stateName(state) + QLatin1String("Legend"));
            QVERIFY2(meaning, qPrintable(stateName(state)));
            QVERIFY(!stateMeaning(state).isEmpty());
            QCOMPARE(meaning->text(), stateMeaning(state));
            const auto *count = m_window->checkStatus()->findChild<QLabel *>(stateName(state) + QLatin1String("Count"));
            QVERIFY(count);
            QVERIFY2(count->parentWidget()->toolTip().contains(stateMeaning(state)),
                     qPrintable(count->parentWidget()->toolTip()));
        }
        // Asked again, the same window comes forward.
        legend->trigger();
        QCOMPARE(m_window->findChildren<StateLegend *>().size(), 1);
    }

    // While lemmas are pending the progress bar draws "N of M checked" whole;
    // counts, cursor position and the bar keep their places as the numbers
    // change and as the bar comes and goes.
    void progressAndCountsKeepTheirPlace()
    {
        const QString path = write("twelve.proof", lemmas(QStringLiteral("quick"), 11, QStringLiteral("prime 7"))
                                                       + QStringLiteral("Lemma stuck: s.\nProof.\n  hang.\nQed.\n"));
        QVERIFY(TestSupport::openIdeWindow(m_window, path, 2));
        CheckStatus *status = m_window->checkStatus();
        QProgressBar *bar = status->progressBar();
        QTRY_COMPARE_WITH_TIMEOUT(status->shownCount(LemmaState::Ok), 11, checkTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, QStringLiteral("stuck")), QStringLiteral("checking"), checkTimeout);
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->text(), QStringLiteral("11 of 12 checked"));
        QVERIFY(bar->isTextVisible());
        QVERIFY2(bar->contentsRect().width() >= bar->fontMetrics().horizontalAdvance(bar->text()) + 8,
                 qPrintable(QString::number(bar->width())));
        QVERIFY(bar->contentsRect().height() >= bar->fontMetrics().height());
        // The style draws the number: the bar looks different without it.
        const QImage withText = bar->grab().toImage();
        bar->setTextVisible(false);
        const QImage withoutText = bar->grab().toImage();
        bar->setTextVisible(true);
        QVERIFY(withText != withoutText);

        const auto *okCount = status->findChild<QLabel *>(QStringLiteral("okCount"));
        const int okWidth = okCount->width();
        QVERIFY(okWidth >= okCount->fontMetrics().horizontalAdvance(QStringLiteral("000 ok")));
        // Hidden, the bar keeps its place.
        const QSize withBar = status->sizeHint();
        bar->hide();
        QCOMPARE(status->sizeHint(), withBar);
        bar->show();
        const QRect statusPlace = status->geometry();
        const int checkingWidth = status->findChild<QLabel *>(QStringLiteral("checkingCount"))->parentWidget()->width();
        // Killed, the last lemma ends: the bar goes, the counts stay put.
        for (const Drover::WorkerInfo &worker : m_window->queue()->workers())
            m_window->queue()->killWorker(worker.id);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QTRY_VERIFY(!bar->isVisible());
        // One crashed instead of one checking: the same place, the same width.
        QCOMPARE(status->shownCount(LemmaState::Crashed), 1);
        QCOMPARE(status->sizeHint(), withBar);
        QCOMPARE(okCount->width(), okWidth);
        QCOMPARE(status->geometry(), statusPlace);
        QCOMPARE(status->findChild<QLabel *>(QStringLiteral("crashedCount"))->parentWidget()->width(), checkingWidth);

        // The cursor's place is as wide on line 1 as on line 40, column 12.
        const QLabel *position = nullptr;
        for (QLabel *label : m_window->statusBar()->findChildren<QLabel *>()) {
            if (label->text().startsWith(QLatin1String("Ln ")))
                position = label;
        }
        QVERIFY(position);
        const int positionWidth = position->width();
        ProofEditor *editor = m_window->editor();
        QTextCursor cursor(editor->document()->findBlockByNumber(39));
        cursor.movePosition(QTextCursor::EndOfBlock);
        editor->setTextCursor(cursor);
        QTRY_COMPARE(position->text(), QStringLiteral("Ln 40, Col %1").arg(cursor.positionInBlock() + 1));
        QCOMPARE(position->width(), positionWidth);
    }

    // "running" and "cancelling…" fit the Tasks dock's state column, at
    // every moment a picture may be taken: as each row changes, before the
    // view has had a turn of the event loop to lay itself out again.
    void taskStatesAreNotCut()
    {
        QVERIFY(TestSupport::openIdeWindow(m_window, QStringLiteral(IDE_DATA_DIR "/busy.proof"), 2));
        Drover::TaskQueue *queue = m_window->queue();
        queue->setCancelGrace(std::chrono::milliseconds(30000));
        QTableView *view = m_window->taskList()->view();
        // As wide as "cancelling…" from the start, and never changing: the
        // column does not jump as rows change, nor cut a word that comes.
        const int width = view->columnWidth(TaskListModel::StateColumn);
        for (const QString &word : TaskListModel::stateWords())
            QVERIFY2(view->fontMetrics().horizontalAdvance(word) + 6 <= width, qPrintable(word));
        QStringList cut;
        const auto checkNow = [view, width, &cut] {
            if (!stateCellsFit(view) || view->columnWidth(TaskListModel::StateColumn) != width)
                cut << QStringLiteral("cut or moved");
        };
        connect(view->model(), &QAbstractItemModel::dataChanged, this, checkNow);
        connect(view->model(), &QAbstractItemModel::rowsInserted, this, checkNow);
        QTRY_COMPARE_WITH_TIMEOUT(queue->runningCount(), 2, checkTimeout);
        QTRY_COMPARE(view->model()->index(0, TaskListModel::StateColumn).data().toString(), QStringLiteral("running"));
        QVERIFY(stateCellsFit(view));
        m_window->controller()->cancelAll();
        bool sawCancelling = false;
        for (int r = 0; r < view->model()->rowCount(); ++r)
            sawCancelling |= view->model()->index(r, TaskListModel::StateColumn).data().toString() == QStringLiteral("cancelling…");
        QVERIFY(sawCancelling);
        QVERIFY(stateCellsFit(view));
        QVERIFY(cut.isEmpty());
        for (const Drover::WorkerInfo &worker : queue->workers())
            queue->killWorker(worker.id);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
    }

    // Stderr in the monitor: the last lines a worker wrote, followed live,
    // still there once it is gone; the exited row says how long it lived.
    void workerStderrAndLifetime()
    {
        {
            Drover::Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            Drover::TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY2(queue, qPrintable(manager.errorString()));
            WorkerMonitor monitor(queue);
            monitor.resize(900, 300);
            monitor.show();
            QVERIFY(QTest::qWaitForWindowExposed(&monitor));
            queue->setMaxWorkers(1);

            // A worker that stays, having said one line on stderr.
            QCborMap stays;
            stays.insert(QLatin1String("stay"), true);
            stays.insert(QLatin1String("competence"), QStringLiteral("held"));
            queue->enqueue(say(QStringLiteral("first complaint\n"), false, stays));
            QTRY_COMPARE_WITH_TIMEOUT(monitor.model()->rowCount(), 1, checkTimeout);
            const int worker = monitor.model()->workerIdOf(0);
            QTRY_COMPARE_WITH_TIMEOUT(monitor.model()->index(0, 0).data(Drover::WorkerListModel::StandardErrorRole).toStringList(),
                                      QStringList{QStringLiteral("first complaint")}, checkTimeout);
            // Select it and press Stderr, as a user does.
            QTableView *view = monitor.view();
            // The State column holds its longest word with the sign from the
            // start: a row that just came never reads "star…".
            for (const char *word : {"starting", "stopping", "exited"})
                QVERIFY2(view->fontMetrics().horizontalAdvance(QLatin1String(word)) + 16 + 6
                             <= view->columnWidth(Drover::WorkerListModel::StateColumn), word);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                              view->visualRect(view->model()->index(monitor.viewRowOf(worker), 0)).center());
            auto *button = monitor.findChild<QToolButton *>(QStringLiteral("stderrButton"));
            QVERIFY(button);
            QTRY_VERIFY(button->isEnabled());
            QTest::mouseClick(button, Qt::LeftButton);
            auto *shown = monitor.findChild<WorkerStderrView *>();
            QVERIFY(shown);
            QTRY_VERIFY(shown->isVisible());
            QCOMPARE(shown->workerId(), worker);
            QCOMPARE(shown->lines(), QStringList{QStringLiteral("first complaint")});

            // The same worker writes more and dies: the window follows.
            QCborMap onIt;
            onIt.insert(QLatin1String("needs"), QStringLiteral("held"));
            queue->enqueue(say(QStringLiteral("second\nlast words"), true, onIt));
            QTRY_COMPARE_WITH_TIMEOUT(monitor.model()->index(0, Drover::WorkerListModel::StateColumn).data().toString(),
                                      QStringLiteral("exited"), checkTimeout);
            QTRY_COMPARE(shown->lines(), (QStringList{QStringLiteral("first complaint"), QStringLiteral("second"),
                                                      QStringLiteral("last words")}));
            QCOMPARE(shown->text()->toPlainText(), QStringLiteral("first complaint\nsecond\nlast words"));
            const QString lived = monitor.model()->index(0, Drover::WorkerListModel::ElapsedColumn).data().toString();
            QVERIFY2(lived.endsWith(QLatin1String(" s")) || lived.contains(QLatin1Char(':')), qPrintable(lived));
            const QString tip = view->model()->index(monitor.viewRowOf(worker), 0).data(Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(QStringLiteral("exited with code 3 after %1").arg(lived)) && tip.contains(QLatin1String("last words")),
                     qPrintable(tip));
            // A double click on the row raises the same window, not a second one.
            QTest::mouseDClick(view->viewport(), Qt::LeftButton, {},
                               view->visualRect(view->model()->index(monitor.viewRowOf(worker), 0)).center());
            QCOMPARE(monitor.findChildren<WorkerStderrView *>().size(), 1);
        }
        QVERIFY(TestSupport::childProcesses().isEmpty());
    }

    // The offer to create a document that does not exist, answered both ways.
    void missingDocumentIsOffered_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<bool>("created");
        QTest::newRow("create") << QStringLiteral("createButton") << true;
        QTest::newRow("don't create") << QStringLiteral("dontCreateButton") << false;
    }
    void missingDocumentIsOffered()
    {
        QFETCH(QString, button);
        QFETCH(bool, created);
        const QString path = m_dir.filePath(QStringLiteral("new-%1.proof").arg(created));
        QVERIFY(DroverIde::isCreatableDocument(path));
        QVERIFY(!DroverIde::isCreatableDocument(m_dir.filePath(QStringLiteral("no-such-dir/x.proof"))));
        QString error;
        m_window.reset(MainWindow::create(&error));
        QVERIFY2(m_window, qPrintable(error));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(!m_window->openPath(path, true, &error));
        QVERIFY2(error.contains(QLatin1String("cannot read")), qPrintable(error));
        QMessageBox *box = offerToCreateDocument(m_window.get(), path);
        QTRY_VERIFY(box->isVisible());
        QVERIFY(box->text().contains(QLatin1String("does not exist")));
        auto *answer = box->findChild<QPushButton *>(button);
        QVERIFY(answer);
        QTest::mouseClick(answer, Qt::LeftButton);
        QTRY_VERIFY(m_window->findChildren<QMessageBox *>().isEmpty() || !box->isVisible());
        QCOMPARE(QFileInfo::exists(path), created);
        QCOMPARE(m_window->filePath(), created ? QFileInfo(path).absoluteFilePath() : QString());
        QVERIFY(m_window->editor()->toPlainText().isEmpty());
        if (created)
            QVERIFY(m_window->windowTitle().contains(QFileInfo(path).fileName()));
    }

    // From the command line: the error on stderr in every mode; a run that
    // asks no questions ends 2, one with a person waits for the answer.
    void missingDocumentFromTheCommandLine()
    {
        const QString path = m_dir.filePath(QStringLiteral("missing.proof"));
        QProcess headless;
        headless.start(QStringLiteral(DROVER_IDE_BIN), {QStringLiteral("--quit-when-checked"), path});
        QVERIFY(headless.waitForFinished(checkTimeout));
        QCOMPARE(headless.exitStatus(), QProcess::NormalExit);
        QCOMPARE(headless.exitCode(), 2);
        const QString said = QString::fromLocal8Bit(headless.readAllStandardError());
        QVERIFY2(said.contains(QStringLiteral("cannot read %1").arg(path)), qPrintable(said));
        QVERIFY2(said.contains(QLatin1String("not offering to create it")), qPrintable(said));
        QVERIFY(!QFileInfo::exists(path));

        QProcess person;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        person.setProcessEnvironment(environment);
        person.start(QStringLiteral(DROVER_IDE_BIN), {path});
        QVERIFY(person.waitForStarted(checkTimeout));
        QByteArray stderrText;
        QTRY_VERIFY_WITH_TIMEOUT((stderrText += person.readAllStandardError()).contains("cannot read"), checkTimeout);
        // It waits for the answer: still running, nothing created.
        QCOMPARE(person.state(), QProcess::Running);
        QVERIFY(!QFileInfo::exists(path));
        person.kill();
        QVERIFY(person.waitForFinished(checkTimeout));
    }

    // Typing a lemma back to text already checked: its result comes back at
    // once and the log says it was reused, not checked.
    void revertedEditSaysResultsReused()
    {
        const QString path = write("revert.proof", QStringLiteral("Lemma seven: s.\nProof.\n  prime 7.\nQed.\n\n"
                                                                  "Lemma other: s.\nProof.\n  fib 10 = 56.\nQed.\n"));
        QVERIFY(TestSupport::openIdeWindow(m_window, path, 2));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(stateOf(*m_window, QStringLiteral("seven")), QStringLiteral("ok"));
        QCOMPARE(stateOf(*m_window, QStringLiteral("other")), QStringLiteral("error"));
        QVERIFY(logLineWith(*m_window, QStringLiteral("reverted:")).isEmpty());

        ProofEditor *editor = m_window->editor();
        editor->setFocus();
        QTextCursor cursor(editor->document()->findBlockByNumber(2)); // "  prime 7."
        cursor.movePosition(QTextCursor::EndOfBlock);
        cursor.movePosition(QTextCursor::Left); // before the '.'
        editor->setTextCursor(cursor);
        QTest::keyClick(editor, Qt::Key_1); // prime 71.
        QCOMPARE(stateOf(*m_window, QStringLiteral("seven")), QStringLiteral("edited"));
        QTest::keyClick(editor, Qt::Key_Backspace); // prime 7. again
        QCOMPARE(stateOf(*m_window, QStringLiteral("seven")), QStringLiteral("ok"));
        const QString line = logLineWith(*m_window, QStringLiteral("reverted: 1 lemma back to text already checked"));
        QVERIFY2(line.contains(QLatin1String("seven (ok)")), qPrintable(m_window->feedbackLog()->visibleLines().join(QLatin1Char('\n'))));
        // Both at once (Ctrl+Z of a change to two lemmas): counted.
        QTextCursor all(editor->document());
        all.select(QTextCursor::Document);
        const QString before = editor->toPlainText();
        all.insertText(QString(before).replace(QLatin1String("prime 7."), QLatin1String("prime 11."))
                           .replace(QLatin1String("fib 10 = 56."), QLatin1String("fib 10 = 55.")));
        QCOMPARE(stateOf(*m_window, QStringLiteral("other")), QStringLiteral("edited"));
        editor->undo();
        QCOMPARE(editor->toPlainText(), before);
        const QString both = logLineWith(*m_window, QStringLiteral("reverted: 2 lemmas back to text already checked"));
        QVERIFY2(both.contains(QLatin1String("seven (ok), other (error)")), qPrintable(m_window->feedbackLog()->visibleLines().join(QLatin1Char('\n'))));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
    }

    // --screenshot-after N with a proof document: the picture is taken once
    // N lemmas have an outcome, while the others still run.
    void screenshotInTheMiddleOfACheck()
    {
        const QString path = write("busy-shot.proof", lemmas(QStringLiteral("quick"), 3, QStringLiteral("prime 7"))
                                                          + lemmas(QStringLiteral("long"), 2, QStringLiteral("sleep 600000")));
        const QString png = m_dir.filePath(QStringLiteral("busy.png"));
        QProcess ide;
        ide.start(QStringLiteral(DROVER_IDE_BIN), {QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--screenshot-after"),
                                                   QStringLiteral("3"), QStringLiteral("--screenshot"), png, path});
        QVERIFY(ide.waitForFinished(checkTimeout));
        QCOMPARE(ide.exitStatus(), QProcess::NormalExit);
        QCOMPARE(ide.exitCode(), 0);
        QVERIFY(!QImage(png).isNull());
    }
};

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    tst_IdeDetails test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_idedetails.moc"
