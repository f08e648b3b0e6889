// What a person watching drover-ide's monitor and log meets (issue 19, items
// 1 to 4), through the real widgets on the offscreen platform: live workers
// first and Kill reaching the chosen worker when rows move, the log following
// a burst, parse errors counted and reachable with F8, and a cancelled stuck
// lemma saying it is cancelling.

#include "checkcontroller.h"
#include "checkstatus.h"
#include "feedbacklog.h"
#include "mainwindow.h"
#include "proofdocument.h"
#include "proofeditor.h"
#include "support/idewindow.h"
#include "support/processes.h"
#include "support/workerrows.h"
#include "tasklistdock.h"
#include "tasklistmodel.h"

#include <drover/taskqueue.h>

#include <QtCore/QFile>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QTableView>

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

bool logHas(const MainWindow &window, const QString &text)
{
    const QListWidget *list = window.feedbackLog()->list();
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->text().contains(text))
            return true;
    }
    return false;
}

// The worker now checking `lemma`, from the log's "worker N checks lemma".
int workerChecking(const MainWindow &window, const QString &lemma)
{
    const QListWidget *list = window.feedbackLog()->list();
    for (int i = list->count() - 1; i >= 0; --i) {
        const QString text = list->item(i)->text();
        const qsizetype at = text.indexOf(QLatin1String("worker "));
        if (at >= 0 && text.endsWith(QLatin1String(" checks ") + lemma))
            return text.mid(at + 7).section(QLatin1Char(' '), 0, 0).toInt();
    }
    return -1;
}
} // namespace

class tst_IdeMonitor : public QObject
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

    static QString lemmas(const QString &prefix, int count, const QString &step)
    {
        QString text;
        for (int i = 0; i < count; ++i)
            text += QStringLiteral("Lemma %1_%2: s.\nProof.\n  %3.\nQed.\n\n").arg(prefix).arg(i).arg(step);
        return text;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup()
    {
        m_window.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>());
    }

    // Exited workers go below the live ones; "Show exited" hides them; the
    // selection stays on its worker when the rows above it move, so Kill
    // ends the lemma that was chosen and not the one now in its place.
    void liveWorkersFirstAndKillFollowsTheWorker()
    {
        const QString path = write("two-long.proof",
                                   lemmas(QStringLiteral("quick"), 6, QStringLiteral("prime 7"))
                                       + QStringLiteral("Lemma stuck: s.\nProof.\n  hang.\nQed.\n\n"
                                                        "Lemma napping: s.\nProof.\n  sleep 600000.\nQed.\n"));
        QVERIFY(TestSupport::openIdeWindow(m_window, path, 2));
        WorkerMonitor *monitor = m_window->workerMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, QStringLiteral("stuck")), QStringLiteral("checking"), checkTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, QStringLiteral("napping")), QStringLiteral("checking"), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(workerChecking(*m_window, QStringLiteral("stuck")) >= 0, checkTimeout);
        const int stuckWorker = workerChecking(*m_window, QStringLiteral("stuck"));
        QSortFilterProxyModel *rows = monitor->rows();
        // The six quick lemmas' workers have exited: both live rows are on top.
        QTRY_VERIFY_WITH_TIMEOUT(rows->rowCount() >= 8, checkTimeout);
        auto aliveAt = [rows](int r) { return rows->index(r, 0).data(Drover::WorkerListModel::AliveRole).toBool(); };
        QVERIFY(aliveAt(0) && aliveAt(1));
        for (int r = 2; r < rows->rowCount(); ++r)
            QVERIFY2(!aliveAt(r), qPrintable(QString::number(r)));
        monitor->showExitedBox()->setChecked(false);
        QCOMPARE(rows->rowCount(), 2);
        monitor->showExitedBox()->setChecked(true);

        // Choose the stuck lemma's worker, then make the other worker exit:
        // if it was listed first, the chosen row moves up.
        QTableView *view = monitor->view();
        const int chosen = monitor->viewRowOf(stuckWorker);
        QVERIFY(chosen >= 0);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(view->model()->index(chosen, 0)).center());
        const auto napping = m_window->queue()->tasks();
        for (Drover::TaskId id : napping) {
            const std::optional<Drover::Task> task = m_window->queue()->task(id);
            if (task && task->name == QLatin1String("napping"))
                m_window->queue()->cancel(id);
        }
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, QStringLiteral("napping")), QStringLiteral("cancelled"), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(!aliveAt(1), checkTimeout);
        QCOMPARE(view->selectionModel()->selectedRows().value(0).row(), monitor->viewRowOf(stuckWorker));
        QCOMPARE(monitor->viewRowOf(stuckWorker), 0);
        monitor->killAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*m_window, QStringLiteral("stuck")), QStringLiteral("crashed"), checkTimeout);
        QCOMPARE(stateOf(*m_window, QStringLiteral("napping")), QStringLiteral("cancelled"));
    }

    // A burst of lines (a document opened) is followed to its last line;
    // scrolled up, the log stays where the user put it; a new document's
    // check starts with a line of its own.
    void logFollowsABurst()
    {
        const QString first = write("many.proof", lemmas(QStringLiteral("many"), 60, QStringLiteral("say step done")));
        QVERIFY(TestSupport::openIdeWindow(m_window, first, 2));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QScrollBar *scroll = m_window->feedbackLog()->list()->verticalScrollBar();
        QTRY_VERIFY(scroll->maximum() > 0);
        QTRY_COMPARE(scroll->value(), scroll->maximum());
        QVERIFY(logHas(*m_window, QStringLiteral("── checking many.proof ──")));

        scroll->setValue(0);
        QVERIFY(!m_window->feedbackLog()->isFollowing());
        const QString second = write("other.proof", lemmas(QStringLiteral("other"), 20, QStringLiteral("say more")));
        QVERIFY(m_window->openFile(second, true));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QVERIFY(logHas(*m_window, QStringLiteral("── checking other.proof ──")));
        QCOMPARE(scroll->value(), 0);
        // Back at the end, it follows again.
        scroll->setValue(scroll->maximum());
        QVERIFY(m_window->feedbackLog()->isFollowing());
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        QTRY_VERIFY_WITH_TIMEOUT(logHas(*m_window, QStringLiteral("── checking other.proof again ──")), checkTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QTRY_COMPARE(scroll->value(), scroll->maximum());
    }

    // Parse errors and failed lemmas: counted in the status bar, said in the
    // log, and F8 / Shift+F8 walk through them in document order, wrapping.
    void problemsAreCountedAndReachable()
    {
        const QString path = write("problems.proof",
                                   QStringLiteral("Lemma fine: s.\nProof.\n  prime 7.\nQed.\n\n"   // 1-4
                                                  "Lemma wrong: s.\nProof.\n  prime 7.\n  fib 10 = 56.\nQed.\n\n" // 6-10
                                                  "Lemma typo: s.\nProof.\n  frobnicate 3.\nQed.\n"));  // 12-15
        QVERIFY(TestSupport::openIdeWindow(m_window, path, 2));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
        QCOMPARE(stateOf(*m_window, QStringLiteral("wrong")), QStringLiteral("error"));
        QCOMPARE(m_window->checkStatus()->shownParseErrors(), 1);
        QVERIFY(logHas(*m_window, QStringLiteral("line 14:3: parse error: unknown step `frobnicate`")));

        ProofEditor *editor = m_window->editor();
        editor->setFocus();
        editor->moveCursor(QTextCursor::Start);
        QTest::keyClick(editor, Qt::Key_F8);
        QCOMPARE(editor->cursorLine(), 9);   // wrong's failing step
        QTest::keyClick(editor, Qt::Key_F8);
        QCOMPARE(editor->cursorLine(), 14);  // the parse error
        QCOMPARE(editor->textCursor().positionInBlock(), 2);
        QTest::keyClick(editor, Qt::Key_F8);
        QCOMPARE(editor->cursorLine(), 9);   // around again
        QTest::keyClick(editor, Qt::Key_F8, Qt::ShiftModifier);
        QCOMPARE(editor->cursorLine(), 14);
    }

    // Cancel All with a lemma that ignores cancellation: the Tasks dock and
    // the log say it is cancelling at once, long before its worker is killed.
    void stuckLemmaSaysCancelling()
    {
        QVERIFY(TestSupport::openIdeWindow(m_window, QStringLiteral(IDE_DATA_DIR "/busy.proof"), 2));
        Drover::TaskQueue *queue = m_window->queue();
        queue->setCancelGrace(std::chrono::milliseconds(30000)); // so "at once" cannot be the kill
        QTRY_COMPARE_WITH_TIMEOUT(queue->runningCount(), 2, checkTimeout);
        m_window->controller()->cancelAll();
        TaskListModel *tasks = m_window->taskList()->model();
        auto stuckState = [tasks] {
            for (int r = 0; r < tasks->rowCount(); ++r) {
                if (tasks->index(r, TaskListModel::LemmaColumn).data().toString() == QLatin1String("stuck"))
                    return tasks->index(r, TaskListModel::StateColumn).data().toString();
            }
            return QString();
        };
        QCOMPARE(stuckState(), QStringLiteral("cancelling…"));
        QVERIFY(logHas(*m_window, QStringLiteral("stuck: cancelling…")));
        QCOMPARE(stateOf(*m_window, QStringLiteral("stuck")), QStringLiteral("checking"));
        // Killed, it ends; the window then has nothing running.
        for (const Drover::WorkerInfo &w : queue->workers())
            queue->killWorker(w.id);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isSettled(), checkTimeout);
    }
};

QTEST_MAIN(tst_IdeMonitor)
#include "tst_idemonitor.moc"
