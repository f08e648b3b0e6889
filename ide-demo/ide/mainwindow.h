#pragma once

#include <QtWidgets/QMainWindow>

#include <chrono>
#include <memory>

class QAction;
class QLabel;
class QDoubleSpinBox;
class QStackedWidget;

namespace Drover {
class Manager;
class TaskQueue;
}

namespace DroverIde {

class CheckController;
class CheckStatus;
class CoqController;
class CoqFilesDock;
class CoqFileView;
class FeedbackLog;
class ProofDocument;
class ProofEditor;
class QueryController;
class TaskListDock;
class WorkerMonitor;

//! The editor window: the proof editor in the middle, the worker monitor,
//! task list and feedback log as docks, counts and progress in the status
//! bar. A Coq development shows instead its files dock and, in the middle,
//! the file chosen there. It owns the Manager, so closing it stops every
//! worker.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    //! A window with its own Manager and `proof` queue; nullptr, with the
    //! reason in *error, when the proof plugin cannot be loaded.
    static MainWindow *create(QString *error, QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Opens a UTF-8 file; false when it cannot, with a message box unless
    //! quiet, and the one-line reason in *error.
    bool openFile(const QString &path, bool quiet = false, QString *error = nullptr);
    //! Opens a Coq development (CoqController::isDevelopment()); the same
    //! contract as openFile().
    bool openDevelopment(const QString &path, bool quiet = false, QString *error = nullptr);
    //! openDevelopment() or openFile(), as the path says.
    bool openPath(const QString &path, bool quiet = false, QString *error = nullptr);
    //! Whether what is open has an outcome for every lemma, or every file.
    bool isChecked() const;
    //! The queue whose workers run what is open: `proof`, or `coq`.
    Drover::TaskQueue *activeQueue() const;
    bool saveFile(const QString &path);
    QString filePath() const { return m_path; }

    void setWorkerCount(int count);
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
    //! The proof document's widgets, or the development's.
    void showDevelopment(bool development);
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
    bool m_development = false;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QLabel *m_position;
    QDoubleSpinBox *m_timeLimit;
    QStackedWidget *m_central;
    CoqFileView *m_coqView;
    QString m_path;
    bool m_loading = false;
};

} // namespace DroverIde
