#include "mainwindow.h"

#include "sharedoptions.h"

#include "parfanout.h"
#include "querycontroller.h"

#include "checkcontroller.h"
#include "checkstatus.h"
#include "coqcontroller.h"
#include "coqdoccontroller.h"
#include "coqeditor.h"
#include "coqfilesdock.h"
#include "coqfileview.h"
#include "feedbacklog.h"
#include "proofdocument.h"
#include "proofeditor.h"
#include "tasklistdock.h"
#include "textplace.h"
#include "utf8file.h"
#include "workermonitor.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QStyle>
#include <QtWidgets/QToolBar>

namespace DroverIde {

MainWindow *MainWindow::create(QString *error, QWidget *parent, const DroverDemo::SharedOptions &options)
{
    auto manager = std::make_unique<Drover::Manager>();
    // --listen and --launcher: every worker of the window is remote.
    if (QString why; !DroverDemo::useRemoteWorkers(manager.get(), options, &why)) {
        if (error)
            *error = why;
        return nullptr;
    }
    Drover::TaskQueue *queue = manager->queue(QStringLiteral("proof"));
    if (!queue) {
        if (error)
            *error = manager->errorString();
        return nullptr;
    }
    return new MainWindow(std::move(manager), queue, parent);
}

MainWindow::MainWindow(std::unique_ptr<Drover::Manager> manager, Drover::TaskQueue *queue, QWidget *parent)
    : QMainWindow(parent)
    , m_manager(std::move(manager))
    , m_queue(queue)
    , m_document(new ProofDocument(this))
    , m_controller(new CheckController(m_document, queue, this))
    , m_editor(new ProofEditor(m_document))
    , m_position(new QLabel)
    , m_timeLimit(new QDoubleSpinBox)
    , m_central(new QStackedWidget)
    , m_coqView(new CoqFileView)
    , m_coqDoc(new CoqDocController(m_manager.get(), this))
    , m_coqEditor(new CoqEditor(m_coqDoc))
    , m_coqSummary(new QLabel)
{
    queue->setMaxWorkers(2);
    // A worker left holding a failed lemma for its repair is retired after a
    // minute without use: the lemma may be gone, or fixed elsewhere.
    queue->setIdleTimeout(std::chrono::minutes(1));
    // `par prime` steps fan out to the `par` kind's workers.
    Par::ParFanOut::attach(m_manager.get(), queue, 2, this);
    m_central->addWidget(m_editor);
    m_central->addWidget(m_coqView);
    m_central->addWidget(m_coqEditor);
    setCentralWidget(m_central);
    m_workerMonitor = new WorkerMonitor(queue, this);
    m_taskList = new TaskListDock(m_controller, this);
    m_feedbackLog = new FeedbackLog(m_controller, this);
    // `Eval` and `Search` lines go to the `query` kind, answers to the log.
    m_queries = new QueryController(m_document, m_manager->queue(QStringLiteral("query")), this);
    connect(m_queries, &QueryController::answered, m_feedbackLog, &FeedbackLog::addAnswer);
    m_checkStatus = new CheckStatus(m_document);
    // A Coq development: its files where the tasks are, shown when one is open.
    m_coqFiles = new CoqFilesDock(this);
    m_coq = new CoqController(m_manager.get(), m_coqFiles, m_coqView, this);
    connect(m_coq, &CoqController::queueCreated, this, [this](Drover::TaskQueue *coqQueue) {
        m_workerMonitor->addQueue(coqQueue);
        connect(coqQueue, &Drover::TaskQueue::workerIdle, this, &MainWindow::checkProgressed);
        connect(coqQueue, &Drover::TaskQueue::workerExited, this, &MainWindow::checkProgressed);
        connect(coqQueue, &Drover::TaskQueue::errorOccurred, this,
                [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    });
    connect(m_coq, &CoqController::settled, this, &MainWindow::checkProgressed);
    // A .v being edited: its coqdoc workers (and their coqidetop) in the
    // Workers dock, its counts in the status bar.
    connect(m_coqDoc, &CoqDocController::queueCreated, this, [this](Drover::TaskQueue *coqdocQueue) {
        m_workerMonitor->addQueue(coqdocQueue);
        connect(coqdocQueue, &Drover::TaskQueue::workerIdle, this, &MainWindow::checkProgressed);
        connect(coqdocQueue, &Drover::TaskQueue::workerExited, this, &MainWindow::checkProgressed);
    });
    connect(m_coqDoc, &CoqDocController::progressed, this, &MainWindow::checkProgressed);
    connect(m_coqDoc, &CoqDocController::marksChanged, this, [this] { m_coqSummary->setText(m_coqDoc->summary()); });
    connect(m_coqDoc, &CoqDocController::marksChanged, this, &MainWindow::checkProgressed);
    connect(m_workerMonitor->workerCountBox(), &QSpinBox::valueChanged, m_coqDoc, &CoqDocController::setRoles);
    m_coqDoc->setRoles(m_workerMonitor->workerCountBox()->value());
    connect(m_coqEditor, &QPlainTextEdit::modificationChanged, this, &MainWindow::setWindowModified);
    connect(m_controller, &CheckController::settled, this, &MainWindow::checkProgressed);
    connect(m_queue, &Drover::TaskQueue::workerIdle, this, &MainWindow::checkProgressed);
    connect(m_queue, &Drover::TaskQueue::workerExited, this, &MainWindow::checkProgressed);
    // The editor with the workers under it; tasks and feedback to the right,
    // the whole height.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_taskList);
    splitDockWidget(m_taskList, m_feedbackLog, Qt::Vertical);
    addDockWidget(Qt::BottomDockWidgetArea, m_workerMonitor);
    tabifyDockWidget(m_taskList, m_coqFiles);
    m_coqFiles->hide();
    resizeDocks({m_taskList}, {460}, Qt::Horizontal);
    resizeDocks({m_taskList, m_feedbackLog}, {220, 600}, Qt::Vertical);
    resizeDocks({m_workerMonitor}, {215}, Qt::Vertical);

    m_position->setMinimumWidth(m_position->fontMetrics().horizontalAdvance(tr("Ln 00000, Col 000")) + 2); // no jumps
    statusBar()->addPermanentWidget(m_position);
    statusBar()->addPermanentWidget(m_checkStatus);
    statusBar()->addPermanentWidget(m_coqSummary);
    m_coqSummary->hide();

    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loading)
            m_controller->edit(m_editor->toPlainText());
    });
    connect(m_editor, &QPlainTextEdit::cursorPositionChanged, this, &MainWindow::showCursorPosition);
    connect(m_editor, &QPlainTextEdit::modificationChanged, this, &MainWindow::setWindowModified);
    connect(m_editor, &ProofEditor::recheckRequested, m_controller, &CheckController::recheckLemma);
    connect(m_queue, &Drover::TaskQueue::errorOccurred, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    createActions();
    updateTitle();
    showCursorPosition();
}

MainWindow::~MainWindow()
{
    // Everything that listens to the queue goes before the manager, which
    // reports the last outcomes and worker exits while it shuts down.
    delete m_workerMonitor;
    delete m_taskList;
    delete m_feedbackLog;
    delete m_controller;
    delete m_coq;
    delete m_coqDoc;
    m_manager.reset();
}

void MainWindow::setWorkerCount(int count)
{
    m_workerMonitor->workerCountBox()->setValue(count);
}

bool MainWindow::setJobsCap(int cap, QString *error)
{
    if (!m_manager->setJobsCap(cap)) {
        const QString why = m_manager->errorString();
        statusBar()->showMessage(tr("No cap on job slots: %1").arg(why), 10000);
        if (error)
            *error = why;
        m_jobsCap = 0;
        return false;
    }
    m_jobsCap = cap;
    statusBar()->showMessage(cap == 0 ? tr("No cap on job slots, not even make's")
                                      : tr("%n job slot(s) shared with every Drover process of this user", nullptr, cap),
                             5000);
    return true;
}

void MainWindow::setTimeLimit(std::chrono::milliseconds limit)
{
    // The box tells the controller, holding the limit to its hour.
    m_timeLimit->setValue(double(limit.count()) / 1000);
}

bool MainWindow::openFile(const QString &path, bool quiet, QString *error)
{
    QString problem;
    const std::optional<QString> text = DroverDemo::readUtf8File(path, &problem);
    if (!text) {
        if (error)
            *error = problem;
        if (!quiet)
            QMessageBox::warning(this, tr("Open"), problem.left(1).toUpper() + problem.mid(1));
        return false;
    }
    showMode(Mode::Proof);
    m_path = QFileInfo(path).absoluteFilePath();
    m_loading = true;
    m_editor->setPlainText(*text);
    m_loading = false;
    m_editor->document()->setModified(false);
    m_controller->setDocumentId(m_path);
    m_queries->setDocumentId(m_path);
    m_controller->setCursorLine(m_editor->cursorLine());
    m_feedbackLog->startSection(tr("checking %1").arg(QFileInfo(m_path).fileName()));
    m_controller->load(*text);
    updateTitle();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::openDevelopment(const QString &path, bool quiet, QString *error)
{
    QString problem;
    if (!m_coq->open(path, m_controller->timeLimit(), &problem)) {
        if (error)
            *error = problem;
        if (!quiet)
            QMessageBox::warning(this, tr("Open Coq Development"), problem.left(1).toUpper() + problem.mid(1));
        return false;
    }
    m_controller->cancelAll(); // a proof document's lemmas are put away
    showMode(Mode::Development);
    m_path = m_coq->root();
    updateTitle();
    statusBar()->showMessage(tr("Building %1").arg(QDir::toNativeSeparators(m_path)), 5000);
    return true;
}

bool MainWindow::openCoqDocument(const QString &path, bool quiet, QString *error)
{
    QString problem;
    const std::optional<QString> text = DroverDemo::readUtf8File(path, &problem);
    if (!text || !m_coqDoc->open(path, *text, &problem)) {
        if (error)
            *error = problem;
        if (!quiet)
            QMessageBox::warning(this, tr("Open Coq File"), problem.left(1).toUpper() + problem.mid(1));
        return false;
    }
    m_controller->cancelAll();
    showMode(Mode::CoqDocument);
    m_coqEditor->load(*text);
    m_path = m_coqDoc->path();
    updateTitle();
    statusBar()->showMessage(tr("Checking %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::openPath(const QString &path, bool quiet, QString *error)
{
    if (CoqController::isDevelopment(path))
        return openDevelopment(path, quiet, error);
    return path.endsWith(QLatin1String(".v")) ? openCoqDocument(path, quiet, error) : openFile(path, quiet, error);
}

void MainWindow::closeCoqDocument()
{
    if (m_mode != Mode::CoqDocument)
        return;
    m_coqDoc->close();
    m_coqEditor->load(QString());
    showMode(Mode::Proof);
    m_path.clear();
    m_loading = true;
    m_editor->setPlainText(QString());
    m_loading = false;
    m_editor->document()->setModified(false);
    m_controller->load(QString());
    updateTitle();
}

void MainWindow::showMode(Mode mode)
{
    if (m_mode == Mode::CoqDocument && mode != Mode::CoqDocument)
        m_coqDoc->close(); // its workers end
    m_mode = mode;
    const bool proof = mode == Mode::Proof, development = mode == Mode::Development;
    m_central->setCurrentWidget(development ? static_cast<QWidget *>(m_coqView) : currentEditor());
    m_coqFiles->setVisible(development);
    m_taskList->setVisible(proof);
    m_feedbackLog->setVisible(proof);
    m_checkStatus->setVisible(proof);
    m_position->setVisible(proof);
    m_coqSummary->setVisible(mode == Mode::CoqDocument);
    // A development's files are read, not edited, here.
    m_saveAction->setEnabled(!development);
    m_saveAsAction->setEnabled(!development);
    m_closeCoqAction->setEnabled(mode == Mode::CoqDocument);
    if (development)
        m_coqFiles->raise();
}

void MainWindow::goToLine(int line)
{
    DroverIde::goToLine(currentEditor(), line);
}

QPixmap MainWindow::picture()
{
    m_coqEditor->refreshDecorations();
    return grab();
}

QPlainTextEdit *MainWindow::currentEditor() const
{
    return m_mode == Mode::CoqDocument ? static_cast<QPlainTextEdit *>(m_coqEditor) : m_editor;
}

bool MainWindow::isChecked() const
{
    switch (m_mode) {
    case Mode::Proof: return m_controller->isSettled();
    case Mode::Development: return m_coq->isSettled();
    case Mode::CoqDocument: return m_coqDoc->isSettled();
    }
    return false;
}

Drover::TaskQueue *MainWindow::activeQueue() const
{
    switch (m_mode) {
    case Mode::Proof: return m_queue;
    case Mode::Development: return m_coq->queue();
    case Mode::CoqDocument: return m_coqDoc->queue();
    }
    return m_queue;
}

bool MainWindow::saveFile(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(currentEditor()->toPlainText().toUtf8()) < 0 || !file.commit()) {
        QMessageBox::warning(this, tr("Save"), tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_path = QFileInfo(path).absoluteFilePath();
    currentEditor()->document()->setModified(false);
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open"), QFileInfo(m_path).path(),
                                                      tr("Proof documents (*.proof);;Coq files to edit (*.v);;Coq developments (_CoqProject);;All files (*)"));
    if (!path.isEmpty())
        openPath(path);
}

void MainWindow::openFolder()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open Coq Development"), QFileInfo(m_path).path());
    if (!path.isEmpty())
        openDevelopment(path);
}

bool MainWindow::save()
{
    return m_path.isEmpty() ? saveAs() : saveFile(m_path);
}

bool MainWindow::saveAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save As"), m_path,
                                                      m_mode == Mode::CoqDocument ? tr("Coq files (*.v);;All files (*)")
                                                                                  : tr("Proof documents (*.proof);;All files (*)"));
    return !path.isEmpty() && saveFile(path);
}

bool MainWindow::maybeSave()
{
    if (!currentEditor()->document()->isModified())
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved Changes"),
                                              tr("%1 has changes that are not saved.").arg(QFileInfo(m_path).fileName()),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (maybeSave())
        event->accept();
    else
        event->ignore();
}

void MainWindow::updateTitle()
{
    const QString name = m_path.isEmpty() ? tr("untitled") : QFileInfo(m_path).fileName();
    setWindowTitle(tr("%1[*] — Drover IDE").arg(name));
    setWindowModified(currentEditor()->document()->isModified());
}

void MainWindow::showCursorPosition()
{
    const QTextCursor cursor = m_editor->textCursor();
    m_position->setText(tr("Ln %1, Col %2").arg(cursor.blockNumber() + 1).arg(cursor.positionInBlock() + 1));
    m_controller->setCursorLine(cursor.blockNumber() + 1);
}

} // namespace DroverIde
