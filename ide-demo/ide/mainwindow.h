#pragma once

#include "sharedoptions.h"

#include <QtWidgets/QMainWindow>

#include <chrono>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QPixmap;
class QPlainTextEdit;
class QDoubleSpinBox;
class QStackedWidget;

namespace Drover {
class Manager;
class TaskQueue;
}

namespace DroverDemo {
class CoqDocController;
struct LemmaEntry;
class CheckController;
class ProofDocument;
}

namespace DroverIde {

using DroverDemo::LemmaEntry;
using DroverDemo::CheckController;
class CheckStatus;
class CoqController;
using DroverDemo::CoqDocController;
class CoqEditor;
class CoqFilesDock;
class CoqFileView;
class FeedbackLog;
using DroverDemo::ProofDocument;
class ProofEditor;
class QueryController;
class StateLegend;
class TaskListDock;
class WorkerMonitor;

//! The editor window: the proof editor in the middle, the worker monitor,
//! task list and feedback log as docks, counts and progress in the status
//! bar. A Coq development shows instead its files dock and, in the middle,
//! the file chosen there; a .v file opened alone is edited in the middle,
//! its sentences checked on `coqdoc` workers. It owns the Manager, so
//! closing it stops every worker.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    //! A window with its own Manager and `proof` queue; nullptr, with the
    //! reason in *error, when the proof plugin cannot be loaded or the
    //! remote workers that `options` ask for cannot be had.
    static MainWindow *create(QString *error, QWidget *parent = nullptr,
                              const DroverDemo::SharedOptions &options = {});
    ~MainWindow() override;

    //! Opens a UTF-8 file; false when it cannot, with a message box unless
    //! quiet, and the one-line reason in *error.
    bool openFile(const QString &path, bool quiet = false, QString *error = nullptr);
    //! Opens a Coq development (CoqController::isDevelopment()); the same
    //! contract as openFile().
    bool openDevelopment(const QString &path, bool quiet = false, QString *error = nullptr);
    //! Opens a .v file for editing, checked sentence by sentence
    //! (CoqDocController); the same contract as openFile().
    bool openCoqDocument(const QString &path, bool quiet = false, QString *error = nullptr);
    //! openDevelopment() for a directory or _CoqProject, openCoqDocument()
    //! for a .v, else openFile().
    bool openPath(const QString &path, bool quiet = false, QString *error = nullptr);
    //! Closes a .v being edited (its workers end) for an empty proof document.
    void closeCoqDocument();
    //! Whether what is open has an outcome for every lemma, file or sentence.
    bool isChecked() const;
    //! Puts the cursor of the document's editor on a 1-based line, in the
    //! middle of the view.
    void goToLine(int line);
    //! F8 / Shift+F8: the cursor to the next (previous) parse error or failed
    //! lemma after (before) it, wrapping around; the status bar says what it
    //! is. Returns false when the document has none.
    bool goToProblem(bool backwards);
    //! Help ▸ Lemma States: opens (or raises) the legend of the states.
    StateLegend *showLegend();
    //! The window as it looks with every view up to date (QWidget::grab()).
    QPixmap picture();
    //! The queue whose workers run what is open: `proof`, `coq` or `coqdoc`.
    Drover::TaskQueue *activeQueue() const;
    bool saveFile(const QString &path);
    QString filePath() const { return m_path; }

    void setWorkerCount(int count);
    //! Shares `cap` job slots with every Drover process of this user (0: no
    //! cap, not even make's jobserver), as drover-check's --jobs-cap and
    //! DROVER_JOBS do (Drover::Manager::setJobsCap(), docs/jobserver.md).
    //! False with the reason in *error (and the status bar) when the token
    //! server cannot be reached; the cap is then off.
    bool setJobsCap(int cap, QString *error = nullptr);
    //! The cap last set here; nullopt while the Manager's own default holds
    //! (make's jobserver or DROVER_JOBS).
    std::optional<int> jobsCap() const { return m_jobsCap; }
    //! Check > Share Job Slots…: asks for the cap, then setJobsCap().
    QAction *jobsCapAction() const { return m_jobsCapAction; }
    //! Per-lemma time limit (zero: none, at most an hour), as the toolbar
    //! shows it.
    void setTimeLimit(std::chrono::milliseconds limit);

    Drover::TaskQueue *queue() const { return m_queue; }
    ProofDocument *document() const { return m_document; }
    CheckController *controller() const { return m_controller; }
    QueryController *queries() const { return m_queries; }
    ProofEditor *editor() const { return m_editor; }
    WorkerMonitor *workerMonitor() const { return m_workerMonitor; }
    TaskListDock *taskList() const { return m_taskList; }
    FeedbackLog *feedbackLog() const { return m_feedbackLog; }
    CheckStatus *checkStatus() const { return m_checkStatus; }
    CoqController *coq() const { return m_coq; }
    CoqFilesDock *coqFiles() const { return m_coqFiles; }
    CoqFileView *coqView() const { return m_coqView; }
    CoqDocController *coqDoc() const { return m_coqDoc; }
    CoqEditor *coqEditor() const { return m_coqEditor; }

Q_SIGNALS:
    //! What is open may have become checked (see isChecked()).
    void checkProgressed();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    MainWindow(std::unique_ptr<Drover::Manager> manager, Drover::TaskQueue *queue, QWidget *parent);
    void createActions();
    void open();
    void openFolder();
    enum class Mode { Proof, Development, CoqDocument };
    //! The widgets of what is open.
    void showMode(Mode mode);
    //! The editor of what is open (the proof editor for a development: it
    //! is not saved from here).
    QPlainTextEdit *currentEditor() const;
    bool save();
    bool saveAs();
    bool maybeSave();
    void updateTitle();
    void showCursorPosition();

    std::unique_ptr<Drover::Manager> m_manager;
    Drover::TaskQueue *m_queue;
    ProofDocument *m_document;
    CheckController *m_controller;
    QueryController *m_queries = nullptr;
    ProofEditor *m_editor;
    WorkerMonitor *m_workerMonitor;
    TaskListDock *m_taskList;
    FeedbackLog *m_feedbackLog;
    CheckStatus *m_checkStatus;
    CoqFilesDock *m_coqFiles;
    CoqController *m_coq;
    Mode m_mode = Mode::Proof;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_closeCoqAction = nullptr;
    QAction *m_jobsCapAction = nullptr;
    std::optional<int> m_jobsCap;
    QLabel *m_position;
    QDoubleSpinBox *m_timeLimit;
    QStackedWidget *m_central;
    CoqFileView *m_coqView;
    CoqDocController *m_coqDoc;
    CoqEditor *m_coqEditor;
    QLabel *m_coqSummary;
    QString m_path;
    bool m_loading = false;
};

} // namespace DroverIde
