#pragma once

// What the drover-ide suites do to the real window: open one on a path, and
// press Kill for a worker in its monitor.

#include "mainwindow.h"
#include "workermonitor.h"

#include <drover/workerlistmodel.h>

#include <QtTest/QTest>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

namespace TestSupport {

//! A shown window with `workers` workers that opened `path` (quietly: a
//! warning with the reason instead of a message box); false if any step failed.
inline bool openIdeWindow(std::unique_ptr<DroverIde::MainWindow> &window, const QString &path, int workers)
{
    QString error;
    window.reset(DroverIde::MainWindow::create(&error));
    if (!window)
        return false;
    window->workerMonitor()->workerCountBox()->setValue(workers);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return false;
    if (!window->openPath(path, true, &error)) {
        qWarning() << error;
        return false;
    }
    return true;
}

//! Selects the row of the model's `row` (the view sorts and filters) as a
//! user does and presses its Kill button.
inline void clickKill(DroverIde::MainWindow *window, int row)
{
    DroverIde::WorkerMonitor *monitor = window->workerMonitor();
    QTableView *view = monitor->view();
    const int viewRow = monitor->viewRowOf(monitor->model()->workerIdOf(row));
    QVERIFY(viewRow >= 0);
    const QModelIndex cell = view->model()->index(viewRow, Drover::WorkerListModel::StateColumn);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cell).center());
    auto *button = window->workerMonitor()->findChild<QToolButton *>(QStringLiteral("killButton"));
    QVERIFY(button);
    QTRY_VERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

} // namespace TestSupport
