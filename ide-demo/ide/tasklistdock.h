#pragma once

#include <QtWidgets/QDockWidget>

class QAction;
class QLabel;
class QTableView;

namespace Drover { class TaskQueue; }

namespace DroverDemo {
struct LemmaEntry;
class CheckController;
}

namespace DroverIde {

using DroverDemo::LemmaEntry;
using DroverDemo::CheckController;
class TaskListModel;

//! The queued and running lemmas in the order workers take them, with
//! Cancel (the selected task) and Cancel All.
class TaskListDock : public QDockWidget
{
    Q_OBJECT
public:
    TaskListDock(CheckController *controller, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    TaskListModel *model() const { return m_model; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *cancelAllAction() const { return m_cancelAll; }

private:
    void updateActions();

    CheckController *m_controller;
    TaskListModel *m_model;
    QTableView *m_view;
    QLabel *m_summary;
    QAction *m_cancel;
    QAction *m_cancelAll;
};

} // namespace DroverIde
