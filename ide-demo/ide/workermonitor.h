#pragma once

#include <QtWidgets/QDockWidget>

class QAction;
class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace Drover {
class TaskQueue;
class WorkerListModel;
}

namespace DroverIde {

class WorkerStderrView;

//! The worker monitor: the manager's WorkerListModel as a table, live
//! workers first in the order they started, then the exited ones greyed with
//! their exit status ("Show exited" hides them); Interrupt / Terminate / Kill
//! for the selected worker as buttons and as a context menu, and the pool
//! size. The selection, and so the buttons, follow the worker when rows
//! move: a Kill reaches the worker that was chosen, never the row that took
//! its place. Stderr (or a double click) opens a window with the last lines
//! the selected worker wrote to stderr, live or exited; hovering over a row
//! shows the last few, and how long an exited worker lived.
class WorkerMonitor : public QDockWidget
{
    Q_OBJECT
public:
    explicit WorkerMonitor(Drover::TaskQueue *queue, QWidget *parent = nullptr);
    //! Shows another queue's workers too; the Workers box sizes it as well.
    void addQueue(Drover::TaskQueue *queue);

    QTableView *view() const { return m_view; }
    QSpinBox *workerCountBox() const { return m_workers; }
    QAction *interruptAction() const { return m_interrupt; }
    QAction *terminateAction() const { return m_terminate; }
    QAction *killAction() const { return m_kill; }
    QAction *stderrAction() const { return m_stderr; }
    Drover::WorkerListModel *model() const { return m_model; }
    //! The rows as the view shows them (sorted, filtered), over model().
    QSortFilterProxyModel *rows() const { return m_rows; }
    QCheckBox *showExitedBox() const { return m_showExited; }
    //! The view's row of a worker, or -1 when it is not shown.
    int viewRowOf(int workerId) const;
    //! Opens (or raises) the window with a worker's stderr; nullptr when
    //! the model does not list that worker.
    WorkerStderrView *showStderr(int workerId);

private:
    enum class Signal { Interrupt, Terminate, Kill };
    void signalSelected(Signal signal);
    void updateActions();
    int selectedRow() const;  // in model()

    Drover::WorkerListModel *m_model;
    QSortFilterProxyModel *m_rows;
    QCheckBox *m_showExited;
    QTableView *m_view;
    QSpinBox *m_workers;
    QLabel *m_summary;
    QAction *m_interrupt;
    QAction *m_terminate;
    QAction *m_kill;
    QAction *m_stderr;
};

} // namespace DroverIde
