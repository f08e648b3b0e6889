#include "workerstderrview.h"

#include <drover/workerlistmodel.h>

#include <QtGui/QFontDatabase>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QVBoxLayout>

namespace DroverIde {

using Drover::WorkerListModel;

WorkerStderrView::WorkerStderrView(WorkerListModel *model, int workerId, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
    , m_workerId(workerId)
    , m_header(new QLabel)
    , m_text(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("workerStderr%1").arg(workerId));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Worker %1: standard error").arg(workerId));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_header->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(640, 320);

    connect(model, &QAbstractItemModel::dataChanged, this, &WorkerStderrView::refresh);
    connect(model, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (row() < 0)
            close(); // its row was dropped: nothing left to show
    });
    refresh();
}

int WorkerStderrView::row() const
{
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (m_model->workerIdOf(r) == m_workerId)
            return r;
    }
    return -1;
}

QStringList WorkerStderrView::lines() const
{
    return m_shown;
}

void WorkerStderrView::refresh()
{
    const int r = row();
    if (r < 0)
        return;
    const QModelIndex index = m_model->index(r, WorkerListModel::StatusColumn);
    const bool alive = index.data(WorkerListModel::AliveRole).toBool();
    const QString task = m_model->index(r, WorkerListModel::TaskColumn).data().toString();
    QString about = alive ? tr("Worker %1 (pid %2) is running").arg(m_workerId).arg(m_model->index(r, WorkerListModel::PidColumn).data().toLongLong())
                          : tr("Worker %1 %2").arg(m_workerId).arg(index.data().toString());
    if (!task.isEmpty())
        about += alive ? tr(", on %1").arg(task) : tr(" while on %1").arg(task);
    const QStringList lines = index.data(WorkerListModel::StandardErrorRole).toStringList();
    m_header->setText(lines.isEmpty() ? tr("%1. It has written nothing to stderr.").arg(about)
                                      : tr("%1. The last lines it wrote to stderr (%2, of the last %3 kept):")
                                            .arg(about).arg(lines.size()).arg(WorkerListModel::stderrLinesKept()));
    if (lines == m_shown)
        return;
    // Following the end, as a log does, unless scrolled up.
    QScrollBar *scroll = m_text->verticalScrollBar();
    const bool atEnd = scroll->value() >= scroll->maximum();
    m_shown = lines;
    m_text->setPlainText(lines.join(QLatin1Char('\n')));
    if (atEnd)
        scroll->setValue(scroll->maximum());
}

} // namespace DroverIde
