// The window's menus and toolbar: what each command does is MainWindow's
// or its controllers'; this file only lays them out.

#include "mainwindow.h"

#include "checkcontroller.h"
#include "coqfilesdock.h"
#include "feedbacklog.h"
#include "proofdocument.h"
#include "problems.h"
#include "proofeditor.h"
#include "statelegend.h"
#include "tasklistdock.h"
#include "workermonitor.h"

#include <QtCore/QFileInfo>
#include <QtGui/QTextBlock>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QStyle>
#include <QtWidgets/QToolBar>

namespace DroverIde {

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *openAction = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open…"),
                                          QKeySequence::Open, this, &MainWindow::open);
    file->addAction(style()->standardIcon(QStyle::SP_DirOpenIcon), tr("Open Coq &Development…"),
                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, &MainWindow::openFolder);
    m_saveAction = file->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save"),
                                   QKeySequence::Save, this, &MainWindow::save);
    m_saveAsAction = file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, &MainWindow::saveAs);
    m_closeCoqAction = file->addAction(tr("&Close Coq File"), QKeySequence::Close, this, [this] {
        if (maybeSave())
            closeCoqDocument();
    });
    m_closeCoqAction->setEnabled(false);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *check = menuBar()->addMenu(tr("&Check"));
    QAction *recheck = check->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Check &Document Again"),
                                        QKeySequence(Qt::Key_F5), this, [this] {
                                            m_feedbackLog->startSection(tr("checking %1 again").arg(QFileInfo(m_path).fileName()));
                                            m_controller->recheckAll();
                                        });
    check->addAction(tr("Check &Lemma at Cursor Again"), QKeySequence(Qt::CTRL | Qt::Key_Return), this, [this] {
        if (const LemmaEntry *entry = m_document->lemmaAtLine(m_editor->cursorLine()))
            m_controller->recheckLemma(entry->uid);
    });
    check->addSeparator();
    check->addAction(tr("&Next Problem"), QKeySequence(Qt::Key_F8), this, [this] { goToProblem(false); });
    check->addAction(tr("&Previous Problem"), QKeySequence(Qt::SHIFT | Qt::Key_F8), this, [this] { goToProblem(true); });
    check->addSeparator();
    QAction *cancelAll = m_taskList->cancelAllAction();
    cancelAll->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
    cancelAll->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    check->addAction(cancelAll);
    check->addAction(m_coqFiles->cancelAllAction());
    check->addSeparator();
    m_jobsCapAction = check->addAction(tr("Share &Job Slots…"), this, [this] {
        bool ok = false;
        const int cap = QInputDialog::getInt(this, tr("Share Job Slots"),
                                             tr("Job slots shared with every Drover process of this user\n"
                                                "(as DROVER_JOBS and drover-check --jobs-cap; 0: no cap):"),
                                             m_jobsCap.value_or(qEnvironmentVariableIntValue("DROVER_JOBS")), 0, 4096,
                                             1, &ok);
        if (ok)
            setJobsCap(cap);
    });
    m_jobsCapAction->setObjectName(QStringLiteral("jobsCapAction"));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : {static_cast<QDockWidget *>(m_workerMonitor), static_cast<QDockWidget *>(m_taskList),
                              static_cast<QDockWidget *>(m_feedbackLog), static_cast<QDockWidget *>(m_coqFiles)})
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *legend = help->addAction(tr("&Lemma States"), QKeySequence::HelpContents, this, &MainWindow::showLegend);
    legend->setObjectName(QStringLiteral("legendAction"));
    legend->setToolTip(tr("What each sign and colour of the editor means"));

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(openAction);
    tools->addAction(m_saveAction);
    tools->addSeparator();
    tools->addAction(recheck);
    tools->addAction(cancelAll);
    tools->addSeparator();
    tools->addWidget(new QLabel(tr(" Time limit: ")));
    // Seconds to the millisecond, as --timeout takes them: a limit of 40 ms
    // must not show as "none".
    m_timeLimit->setDecimals(3);
    m_timeLimit->setRange(0, 3600);
    m_timeLimit->setSuffix(tr(" s"));
    m_timeLimit->setSpecialValueText(tr("none"));
    m_timeLimit->setToolTip(tr("A lemma that runs longer is stopped and ends as a timeout"));
    connect(m_timeLimit, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        m_controller->setTimeLimit(std::chrono::milliseconds(qRound64(seconds * 1000)));
    });
    tools->addWidget(m_timeLimit);
}

StateLegend *MainWindow::showLegend()
{
    auto *legend = findChild<StateLegend *>();
    if (!legend)
        legend = new StateLegend(this);
    legend->show();
    legend->raise();
    legend->activateWindow();
    return legend;
}

bool MainWindow::goToProblem(bool backwards)
{
    const QList<Problem> problems = problemsOf(*m_document);
    const QTextCursor cursor = m_editor->textCursor();
    const Problem *problem = nextProblem(problems, cursor.blockNumber() + 1, cursor.positionInBlock() + 1, backwards);
    if (!problem) {
        statusBar()->showMessage(tr("No problems"), 5000);
        return false;
    }
    const QTextBlock block = m_editor->document()->findBlockByNumber(problem->line - 1);
    QTextCursor at(block);
    at.setPosition(block.position() + std::min(problem->column - 1, std::max(0, block.length() - 1)));
    m_editor->setTextCursor(at);
    m_editor->centerCursor();
    m_editor->setFocus();
    const int index = int(problem - problems.constData()) + 1;
    statusBar()->showMessage(tr("Problem %1 of %2, line %3:%4: %5")
                                 .arg(index).arg(problems.size()).arg(problem->line).arg(problem->column).arg(problem->text),
                             10000);
    return true;
}

} // namespace DroverIde
