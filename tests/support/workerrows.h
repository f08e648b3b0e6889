#pragma once

// What the drover-ide suites look for in the worker monitor.

#include <drover/workerlistmodel.h>

namespace TestSupport {

//! The row of the busy worker that runs the task named `task`; -1 if none.
inline int rowOfBusyWorker(const Drover::WorkerListModel *model, const QString &task)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto cell = [&](Drover::WorkerListModel::Column column) {
            return model->data(model->index(row, column)).toString();
        };
        if (cell(Drover::WorkerListModel::StateColumn) == QLatin1String("busy")
            && cell(Drover::WorkerListModel::TaskColumn) == task)
            return row;
    }
    return -1;
}

} // namespace TestSupport
