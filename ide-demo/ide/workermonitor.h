#pragma once

#include <QtWidgets/QDockWidget>

class QAction;
class QLabel;
class QSpinBox;
class QTableView;

namespace Drover {
class TaskQueue;
class WorkerListModel;
}

namespace DroverIde {

//! The worker monitor: the manager's WorkerListModel as a table (exited
//! workers greyed, with their exit status), Interrupt / Terminate / Kill for
//! the selected worker as buttons and as a context menu, and the pool size.
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
    Drover::WorkerListModel *model() const { return m_model; }

private:
    enum class Signal { Interrupt, Terminate, Kill };
    void signalSelected(Signal signal);
    void updateActions();
    int selectedRow() const;

    Drover::WorkerListModel *m_model;
    QTableView *m_view;
    QSpinBox *m_workers;
    QLabel *m_summary;
    QAction *m_interrupt;
    QAction *m_terminate;
    QAction *m_kill;
};

} // namespace DroverIde
