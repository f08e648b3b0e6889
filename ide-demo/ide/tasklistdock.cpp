#include "tasklistdock.h"

#include "dockbody.h"

#include "checkcontroller.h"
#include "tasklistmodel.h"

#include <drover/taskqueue.h>

#include <QtGui/QAction>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QStyle>
#include <QtWidgets/QTableView>

#include <algorithm>

namespace DroverIde {

TaskListDock::TaskListDock(CheckController *controller, QWidget *parent)
    : QDockWidget(tr("Tasks"), parent)
    , m_controller(controller)
    , m_model(new TaskListModel(controller->queue(), this))
    , m_view(new QTableView)
    , m_summary(new QLabel)
    , m_cancel(new QAction(tr("Cancel"), this))
    , m_cancelAll(new QAction(tr("Cancel All"), this))
{
    setObjectName(QStringLiteral("taskList"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(TaskListModel::LemmaColumn, QHeaderView::Stretch);
    // The state column as wide as its longest word, whatever the rows say
    // now: "running" and "cancelling…" are never cut to "runni…".
    int stateWidth = m_view->horizontalHeader()->sectionSizeHint(TaskListModel::StateColumn);
    const int cellMargins = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1) + 8;
    for (const QString &word : TaskListModel::stateWords())
        stateWidth = std::max(stateWidth, m_view->fontMetrics().horizontalAdvance(word) + cellMargins);
    m_view->horizontalHeader()->setSectionResizeMode(TaskListModel::StateColumn, QHeaderView::Fixed);
    m_view->setColumnWidth(TaskListModel::StateColumn, stateWidth);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_cancel);
    m_view->addAction(m_cancelAll);

    m_cancel->setToolTip(tr("Cancel the selected tasks"));
    m_cancel->setShortcut(QKeySequence::Delete);
    m_cancel->setShortcutContext(Qt::WidgetShortcut);
    m_cancelAll->setToolTip(tr("Cancel every queued and running lemma"));
    connect(m_cancel, &QAction::triggered, this, [this] {
        QList<Drover::TaskId> ids;
        for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
            ids << m_model->taskAt(index.row());
        m_controller->cancelTasks(ids);
    });
    connect(controller, &CheckController::cancelling, m_model, &TaskListModel::markCancelling);
    connect(m_cancelAll, &QAction::triggered, controller, &CheckController::cancelAll);
    connect(controller, &CheckController::prioritiesChanged, m_model, &TaskListModel::refreshOrder);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    setWidget(dockBody(bar, {{m_cancel, QStringLiteral("cancelButton")}, {m_cancelAll, QStringLiteral("cancelAllButton")}}, m_view));

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TaskListDock::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TaskListDock::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TaskListDock::updateActions);
    updateActions();
}

void TaskListDock::updateActions()
{
    Drover::TaskQueue *queue = m_controller->queue();
    m_cancel->setEnabled(m_view->selectionModel()->hasSelection());
    m_summary->setText(tr("%1 running, %2 queued").arg(queue->runningCount()).arg(queue->queuedCount()));
}

} // namespace DroverIde
