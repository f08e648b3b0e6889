#include "tasklistmodel.h"

#include "stateicon.h"

#include <drover/taskqueue.h>

#include <algorithm>

namespace DroverIde {

TaskListModel::TaskListModel(Drover::TaskQueue *queue, QObject *parent)
    : QAbstractTableModel(parent)
    , m_queue(queue)
{
    connect(queue, &Drover::TaskQueue::taskQueued, this, [this](Drover::TaskId id) {
        const std::optional<Drover::Task> task = m_queue->task(id);
        insertRow({id, task ? task->name : QString(), false, -1, task ? task->priority : 0});
    });
    connect(queue, &Drover::TaskQueue::taskStarted, this, [this](Drover::TaskId id, int worker) {
        const int row = rowOf(id);
        if (row < 0)
            return;
        Row moved = m_rows.at(row);
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
        moved.running = true;
        moved.waiting = false;
        moved.worker = worker;
        insertRow(moved);
    });
    connect(queue, &Drover::TaskQueue::taskWaitingForSlot, this, [this](Drover::TaskId id) {
        const int row = rowOf(id);
        if (row < 0 || m_rows.at(row).running)
            return;
        m_rows[row].waiting = true;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
    connect(queue, &Drover::TaskQueue::taskFinished, this, [this](Drover::TaskId id) {
        const int row = rowOf(id);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    });
    for (Drover::TaskId id : queue->tasks()) {
        if (const std::optional<Drover::Task> task = queue->task(id))
            m_rows.append({id, task->name, queue->isRunning(id), -1, task->priority, false,
                           queue->isWaitingForSlot(id)});
    }
    std::stable_sort(m_rows.begin(), m_rows.end(), before);
}

void TaskListModel::markCancelling(const QList<Drover::TaskId> &tasks)
{
    for (Drover::TaskId id : tasks) {
        const int row = rowOf(id);
        if (row < 0 || !m_rows.at(row).running)
            continue;
        m_rows[row].cancelling = true;
        emit dataChanged(index(row, StateColumn), index(row, StateColumn));
    }
}

bool TaskListModel::before(const Row &a, const Row &b)
{
    if (a.running != b.running)
        return a.running;
    if (a.priority != b.priority)
        return a.priority > b.priority;
    return a.id < b.id;
}

void TaskListModel::insertRow(Row row)
{
    const auto at = std::upper_bound(m_rows.cbegin(), m_rows.cend(), row, before);
    const int index = int(at - m_rows.cbegin());
    beginInsertRows({}, index, index);
    m_rows.insert(index, std::move(row));
    endInsertRows();
}

int TaskListModel::rowOf(Drover::TaskId id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

void TaskListModel::refreshOrder()
{
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList oldIndexes = persistentIndexList();
    QList<Drover::TaskId> ids;
    for (const QModelIndex &persistent : oldIndexes)
        ids << m_rows.at(persistent.row()).id;
    for (Row &row : m_rows) {
        if (const std::optional<Drover::Task> task = m_queue->task(row.id))
            row.priority = task->priority;
    }
    std::stable_sort(m_rows.begin(), m_rows.end(), TaskListModel::before);
    QModelIndexList newIndexes;
    for (qsizetype i = 0; i < oldIndexes.size(); ++i)
        newIndexes << index(rowOf(ids.at(i)), oldIndexes.at(i).column());
    changePersistentIndexList(oldIndexes, newIndexes);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

Drover::TaskId TaskListModel::taskAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

int TaskListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TaskListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    if (role == Qt::DecorationRole && index.column() == LemmaColumn)
        return stateIcon(row.running ? LemmaState::Checking : LemmaState::Queued);
    if (role == Qt::TextAlignmentRole && index.column() != LemmaColumn && index.column() != StateColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case LemmaColumn: return row.name.isEmpty() ? tr("task %1").arg(row.id) : row.name;
    case StateColumn: return stateWords().at(row.cancelling ? 2 : row.running ? 1 : row.waiting ? 3 : 0);
    case WorkerColumn: return row.worker >= 0 ? QVariant(row.worker) : QVariant();
    case PriorityColumn: return row.running ? QVariant() : QVariant(row.priority);
    case ColumnCount: break;
    }
    return {};
}

QStringList TaskListModel::stateWords()
{
    return {tr("queued"), tr("running"), tr("cancelling…"), tr("waiting for a slot")};
}

QVariant TaskListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case LemmaColumn: return tr("Lemma");
    case StateColumn: return tr("State");
    case WorkerColumn: return tr("Worker");
    case PriorityColumn: return tr("Priority");
    case ColumnCount: break;
    }
    return {};
}

} // namespace DroverIde
