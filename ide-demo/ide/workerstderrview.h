#pragma once

#include <QtWidgets/QDialog>

class QLabel;
class QPlainTextEdit;

namespace Drover { class WorkerListModel; }

namespace DroverIde {

//! A window with the last lines one worker wrote to stderr (what the
//! WorkerListModel keeps of it, WorkerListModel::StandardErrorRole), kept up
//! to date as the worker writes more, and after it exits: what a crashed
//! worker said last. Opened from the worker monitor (Stderr, or a double
//! click); not modal. Deletes itself when closed, or when the worker's row
//! leaves the model.
class WorkerStderrView : public QDialog
{
    Q_OBJECT
public:
    WorkerStderrView(Drover::WorkerListModel *model, int workerId, QWidget *parent = nullptr);

    int workerId() const { return m_workerId; }
    //! The lines shown, oldest first.
    QStringList lines() const;
    QPlainTextEdit *text() const { return m_text; }

private:
    void refresh();
    int row() const;

    Drover::WorkerListModel *m_model;
    int m_workerId;
    QLabel *m_header;
    QPlainTextEdit *m_text;
    QStringList m_shown;
};

} // namespace DroverIde
