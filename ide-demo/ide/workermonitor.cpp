#include "workermonitor.h"

#include "dockbody.h"
#include "stateicon.h"
#include "workerstderrview.h"

#include <drover/taskqueue.h>
#include <drover/workerlistmodel.h>

#include <QtCore/QIdentityProxyModel>
#include <QtCore/QSortFilterProxyModel>
#include <QtGui/QAction>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenu>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QStyle>
#include <QtWidgets/QTableView>

#include <algorithm>

namespace DroverIde {

namespace {
using Drover::WorkerListModel;

// Greys the rows of workers that are gone and puts a sign beside states.
class WorkerRowsLook : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        const bool alive = QIdentityProxyModel::data(index, WorkerListModel::AliveRole).toBool();
        if (role == Qt::ForegroundRole && !alive)
            return QColor(0x90, 0x90, 0x90);
        if (role == Qt::DecorationRole && index.column() == WorkerListModel::StateColumn)
            return stateIcon(signOf(index, alive));
        if (role == Qt::ToolTipRole)
            return toolTip(index, alive);
        return QIdentityProxyModel::data(index, role);
    }

private:
    // How long an exited worker lived, and the last lines it wrote to stderr.
    QVariant toolTip(const QModelIndex &index, bool alive) const
    {
        QStringList parts;
        if (!alive)
            parts << QIdentityProxyModel::tr("Worker %1 %2 after %3")
                         .arg(index.siblingAtColumn(WorkerListModel::IdColumn).data().toString(),
                              index.siblingAtColumn(WorkerListModel::StatusColumn).data().toString(),
                              index.siblingAtColumn(WorkerListModel::ElapsedColumn).data().toString());
        const QStringList lines = index.data(WorkerListModel::StandardErrorRole).toStringList();
        constexpr qsizetype shown = 5;
        if (!lines.isEmpty())
            parts << QIdentityProxyModel::tr("Its last lines on stderr (Stderr shows all):") + QLatin1Char('\n')
                         + lines.mid(std::max<qsizetype>(0, lines.size() - shown)).join(QLatin1Char('\n'));
        return parts.isEmpty() ? QVariant() : QVariant(parts.join(QLatin1Char('\n')));
    }
    LemmaState signOf(const QModelIndex &index, bool alive) const
    {
        if (!alive) {
            const QString status = index.siblingAtColumn(WorkerListModel::StatusColumn).data().toString();
            return status.contains(QLatin1String("code 0")) ? LemmaState::Ok : LemmaState::Crashed;
        }
        const QString state = index.data(Qt::DisplayRole).toString();
        if (state == QLatin1String("busy"))
            return LemmaState::Checking;
        if (state == QLatin1String("stopping"))
            return LemmaState::Cancelled;
        return LemmaState::Queued;
    }
};
// Live workers first, each part in the order the workers started (their
// ids), so a row moves only when its worker exits; exited rows only when
// asked for.
class LiveFirstRows : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setShowExited(bool show)
    {
        m_showExited = show;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        return m_showExited || sourceModel()->index(row, 0, parent).data(WorkerListModel::AliveRole).toBool();
    }
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        const bool leftAlive = left.data(WorkerListModel::AliveRole).toBool();
        const bool rightAlive = right.data(WorkerListModel::AliveRole).toBool();
        if (leftAlive != rightAlive)
            return leftAlive;
        return left.row() < right.row(); // the model lists workers as they started
    }

private:
    bool m_showExited = true;
};
} // namespace

WorkerMonitor::WorkerMonitor(Drover::TaskQueue *queue, QWidget *parent)
    : QDockWidget(tr("Workers"), parent)
    , m_model(new WorkerListModel(this))
    , m_rows(new LiveFirstRows(this))
    , m_showExited(new QCheckBox(tr("Show e&xited")))
    , m_view(new QTableView)
    , m_workers(new QSpinBox)
    , m_summary(new QLabel)
    , m_interrupt(new QAction(tr("Interrupt"), this))
    , m_terminate(new QAction(tr("Terminate"), this))
    , m_kill(new QAction(tr("Kill"), this))
    , m_stderr(new QAction(tr("Stderr…"), this))
{
    setObjectName(QStringLiteral("workerMonitor"));
    m_model->addQueue(queue);
    auto *look = new WorkerRowsLook(this);
    look->setSourceModel(m_model);
    m_rows->setSourceModel(look);
    m_rows->setDynamicSortFilter(true);
    m_rows->sort(0);
    m_view->setModel(m_rows);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // The state column as wide as its longest word with its sign, whatever
    // the rows say now: a row that just came never reads "star…".
    {
        const int cellMargins = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1) + 8;
        const int sign = m_view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view) + 4;
        int width = m_view->horizontalHeader()->sectionSizeHint(WorkerListModel::StateColumn);
        for (const char *word : {"starting", "idle", "busy", "stopping", "exited"}) // the model's words
            width = std::max(width, m_view->fontMetrics().horizontalAdvance(QLatin1String(word)) + sign + cellMargins);
        m_view->horizontalHeader()->setSectionResizeMode(WorkerListModel::StateColumn, QHeaderView::Fixed);
        m_view->setColumnWidth(WorkerListModel::StateColumn, width);
    }
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    m_interrupt->setToolTip(tr("Cancel the worker's task cooperatively, then send SIGINT"));
    m_terminate->setToolTip(tr("Send SIGTERM to the worker's process group"));
    m_kill->setToolTip(tr("Send SIGKILL to the worker's process group"));
    m_kill->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_kill->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_interrupt, &QAction::triggered, this, [this] { signalSelected(Signal::Interrupt); });
    connect(m_terminate, &QAction::triggered, this, [this] { signalSelected(Signal::Terminate); });
    connect(m_kill, &QAction::triggered, this, [this] { signalSelected(Signal::Kill); });
    addAction(m_kill);
    m_stderr->setToolTip(tr("Show the last lines the selected worker wrote to stderr (also a double click)"));
    connect(m_stderr, &QAction::triggered, this, [this] {
        const int row = selectedRow();
        if (row >= 0)
            showStderr(m_model->workerIdOf(row));
    });
    connect(m_view, &QAbstractItemView::doubleClicked, m_stderr, &QAction::trigger);

    m_workers->setRange(1, 64);
    m_workers->setValue(queue->maxWorkers());
    m_workers->setToolTip(tr("How many workers may run lemmas (or compile Coq files) at once"));
    connect(m_workers, &QSpinBox::valueChanged, queue, &Drover::TaskQueue::setMaxWorkers);

    auto *bar = new QHBoxLayout;
    auto *workersLabel = new QLabel(tr("&Workers:"));
    workersLabel->setBuddy(m_workers);
    bar->addWidget(workersLabel);
    bar->addWidget(m_workers);
    bar->addSpacing(8);
    bar->addWidget(m_summary, 1);
    m_showExited->setChecked(true);
    m_showExited->setToolTip(tr("List the workers that are gone, greyed, with how they ended"));
    connect(m_showExited, &QCheckBox::toggled, this,
            [this](bool show) { static_cast<LiveFirstRows *>(m_rows)->setShowExited(show); });
    bar->addWidget(m_showExited);
    QList<std::pair<QAction *, QString>> buttons;
    for (QAction *action : {m_interrupt, m_terminate, m_kill})
        buttons.append({action, action->text().toLower() + QLatin1String("Button")});
    buttons.append({m_stderr, QStringLiteral("stderrButton")});
    setWidget(dockBody(bar, buttons, m_view));

    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid())
            return;
        m_view->selectRow(index.row());
        QMenu menu;
        menu.addActions({m_interrupt, m_terminate, m_kill});
        menu.addSeparator();
        menu.addAction(m_stderr);
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &WorkerMonitor::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &WorkerMonitor::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &WorkerMonitor::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &WorkerMonitor::updateActions);
    updateActions();
}

void WorkerMonitor::addQueue(Drover::TaskQueue *queue)
{
    m_model->addQueue(queue);
    queue->setMaxWorkers(m_workers->value());
    connect(m_workers, &QSpinBox::valueChanged, queue, &Drover::TaskQueue::setMaxWorkers);
}

int WorkerMonitor::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    // Through both proxies: the sorted rows, then the look (identity).
    const QModelIndex look = m_rows->mapToSource(rows.first());
    return static_cast<const QIdentityProxyModel *>(m_rows->sourceModel())->mapToSource(look).row();
}

int WorkerMonitor::viewRowOf(int workerId) const
{
    for (int r = 0; r < m_rows->rowCount(); ++r) {
        const QModelIndex look = m_rows->mapToSource(m_rows->index(r, 0));
        const QModelIndex source = static_cast<const QIdentityProxyModel *>(m_rows->sourceModel())->mapToSource(look);
        if (m_model->workerIdOf(source.row()) == workerId)
            return r;
    }
    return -1;
}

void WorkerMonitor::updateActions()
{
    const int row = selectedRow();
    const bool alive = row >= 0 && m_model->data(m_model->index(row, 0), WorkerListModel::AliveRole).toBool();
    for (QAction *action : {m_interrupt, m_terminate, m_kill})
        action->setEnabled(alive);
    m_stderr->setEnabled(row >= 0);

    int live = 0, busy = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex index = m_model->index(r, WorkerListModel::StateColumn);
        if (index.data(WorkerListModel::AliveRole).toBool()) {
            ++live;
            busy += index.data().toString() == QLatin1String("busy") ? 1 : 0;
        }
    }
    m_summary->setText(tr("%1 live, %2 busy").arg(live).arg(busy));
}

WorkerStderrView *WorkerMonitor::showStderr(int workerId)
{
    if (auto *open = findChild<WorkerStderrView *>(QStringLiteral("workerStderr%1").arg(workerId))) {
        open->raise();
        open->activateWindow();
        return open;
    }
    bool listed = false;
    for (int r = 0; r < m_model->rowCount() && !listed; ++r)
        listed = m_model->workerIdOf(r) == workerId;
    if (!listed)
        return nullptr;
    auto *view = new WorkerStderrView(m_model, workerId, this);
    view->show();
    return view;
}

void WorkerMonitor::signalSelected(Signal signal)
{
    const int row = selectedRow();
    Drover::TaskQueue *queue = m_model->queueOf(row);
    const int worker = m_model->workerIdOf(row);
    if (!queue || worker < 0)
        return;
    switch (signal) {
    case Signal::Interrupt: queue->interruptWorker(worker); break;
    case Signal::Terminate: queue->terminateWorker(worker); break;
    case Signal::Kill: queue->killWorker(worker); break;
    }
}

} // namespace DroverIde
