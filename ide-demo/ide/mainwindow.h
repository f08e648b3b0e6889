#pragma once

#include <QtWidgets/QMainWindow>

#include <chrono>
#include <memory>

class QLabel;
class QDoubleSpinBox;

namespace Drover {
class Manager;
class TaskQueue;
}

namespace DroverIde {

class CheckController;
class CheckStatus;
class FeedbackLog;
class ProofDocument;
class ProofEditor;
class QueryController;
class TaskListDock;
class WorkerMonitor;

//! The editor window: the proof editor in the middle, the worker monitor,
//! task list and feedback log as docks, counts and progress in the status
//! bar. It owns the Manager, so closing it stops every worker.
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

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    MainWindow(std::unique_ptr<Drover::Manager> manager, Drover::TaskQueue *queue, QWidget *parent);
    void createActions();
    void open();
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
    QLabel *m_position;
    QDoubleSpinBox *m_timeLimit;
    QString m_path;
    bool m_loading = false;
};

} // namespace DroverIde
