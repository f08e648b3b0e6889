#include "drover/workerlistmodel.h"

#include "drover/taskqueue.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QTimer>

#include <vector>

namespace Drover {

namespace Internal {

struct WorkerRow
{
    QPointer<TaskQueue> queue;
    QString kind;
    int workerId = -1;
    qint64 pid = 0;
    bool alive = true;
    bool fresh = true;
    WorkerInfo::State state = WorkerInfo::State::Starting;
    TaskId task = 0;
    QString taskName;
    QElapsedTimer since;   // current task's start, else the worker's start
    QElapsedTimer born;    // the worker's start
    qint64 livedMs = -1;   // from start to exit, once gone
    QStringList stderrTail; // the last lines it wrote to stderr
    qint64 rss = 0;
    qint64 descendantRss = 0;  // what it started: coqidetop, coqc
    QStringList descendants;
    QString status;        // exit status once gone
};

class WorkerListModelPrivate
{
public:
    explicit WorkerListModelPrivate(WorkerListModel *q) : q(q) {}

    int rowOf(const TaskQueue *queue, int workerId) const
    {
        for (int i = 0; i < int(rows.size()); ++i) {
            if (rows[size_t(i)].queue == queue && rows[size_t(i)].workerId == workerId)
                return i;
        }
        return -1;
    }

    void changed(int row)
    {
        emit q->dataChanged(q->index(row, 0), q->index(row, WorkerListModel::ColumnCount - 1));
    }

    void update(TaskQueue *queue, int workerId, const std::function<void(WorkerRow &)> &apply)
    {
        const int row = rowOf(queue, workerId);
        if (row < 0)
            return;
        apply(rows[size_t(row)]);
        changed(row);
    }

    void trimExited()
    {
        int exited = 0;
        for (const WorkerRow &r : rows)
            exited += r.alive ? 0 : 1;
        for (int i = 0; i < int(rows.size()) && exited > exitedKept;) {
            if (!rows[size_t(i)].alive) {
                q->beginRemoveRows({}, i, i);
                rows.erase(rows.begin() + i);
                q->endRemoveRows();
                --exited;
            } else {
                ++i;
            }
        }
    }

    // Once a second: memory, state and elapsed time of the live workers.
    void refresh()
    {
        bool anyAlive = false;
        // One snapshot per queue: each reads /proc whole.
        QHash<TaskQueue *, QList<WorkerInfo>> snapshots;
        for (int i = 0; i < int(rows.size()); ++i) {
            WorkerRow &r = rows[size_t(i)];
            if (!r.alive || !r.queue)
                continue;
            anyAlive = true;
            auto snapshot = snapshots.find(r.queue.data());
            if (snapshot == snapshots.end())
                snapshot = snapshots.insert(r.queue.data(), r.queue->workers());
            for (const WorkerInfo &info : std::as_const(*snapshot)) {
                if (info.id == r.workerId) {
                    r.rss = info.rssBytes;
                    r.descendantRss = info.descendantRssBytes;
                    r.descendants = info.descendantNames;
                    r.state = info.state;
                    r.fresh = info.fresh;
                }
            }
            emit q->dataChanged(q->index(i, WorkerListModel::ModeColumn), q->index(i, WorkerListModel::MemoryColumn));
        }
        if (!anyAlive)
            timer.stop();
    }

    WorkerListModel *q;
    std::vector<WorkerRow> rows;
    int exitedKept = 20;
    QTimer timer;
};

namespace {
QString stateName(const WorkerRow &r)
{
    if (!r.alive)
        return QStringLiteral("exited");
    switch (r.state) {
    case WorkerInfo::State::Starting: return QStringLiteral("starting");
    case WorkerInfo::State::Idle: return QStringLiteral("idle");
    case WorkerInfo::State::Busy: return QStringLiteral("busy");
    case WorkerInfo::State::Stopping: return QStringLiteral("stopping");
    }
    return {};
}

QString elapsedText(qint64 ms)
{
    if (ms < 10000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1:%2").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}

QString mebibytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}

// The worker's and its processes' memory together, and theirs apart:
// "331.0 MiB (coqidetop.opt 318.9)".
QString memoryText(const WorkerRow &r)
{
    if (r.rss <= 0)
        return {};
    if (r.descendants.isEmpty())
        return QStringLiteral("%1 MiB").arg(mebibytes(r.rss));
    QStringList names = r.descendants;
    names.removeDuplicates();
    return QStringLiteral("%1 MiB (%2 %3)").arg(mebibytes(r.rss + r.descendantRss), names.join(QLatin1String(", ")),
                                               mebibytes(r.descendantRss));
}
} // namespace

} // namespace Internal

WorkerListModel::WorkerListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , d(std::make_unique<Internal::WorkerListModelPrivate>(this))
{
    d->timer.setInterval(1000);
    connect(&d->timer, &QTimer::timeout, this, [this] { d->refresh(); });
}

WorkerListModel::~WorkerListModel() = default;

void WorkerListModel::addQueue(TaskQueue *queue)
{
    using Internal::WorkerRow;
    connect(queue, &TaskQueue::workerStarted, this, [this, queue](int id, qint64 pid) {
        const int row = int(d->rows.size());
        beginInsertRows({}, row, row);
        WorkerRow r;
        r.queue = queue;
        r.kind = queue->kind();
        r.workerId = id;
        r.pid = pid;
        r.since.start();
        r.born.start();
        d->rows.push_back(std::move(r));
        endInsertRows();
        if (!d->timer.isActive())
            d->timer.start();
    });
    connect(queue, &TaskQueue::workerReady, this, [this, queue](int id) {
        d->update(queue, id, [](WorkerRow &r) { r.state = WorkerInfo::State::Idle; });
    });
    connect(queue, &TaskQueue::workerBusy, this, [this, queue](int id, TaskId task) {
        const QString name = queue->requestName(task);
        d->update(queue, id, [&](WorkerRow &r) {
            r.state = WorkerInfo::State::Busy;
            r.task = task;
            r.taskName = name.isEmpty() ? QStringLiteral("task %1").arg(task) : name;
            r.since.start();
        });
    });
    connect(queue, &TaskQueue::workerIdle, this, [this, queue](int id) {
        bool fresh = true;
        for (const WorkerInfo &info : queue->workers()) {
            if (info.id == id)
                fresh = info.fresh;
        }
        d->update(queue, id, [&](WorkerRow &r) {
            r.state = WorkerInfo::State::Idle;
            r.fresh = fresh;
            r.task = 0;
            r.taskName.clear();
        });
    });
    connect(queue, &TaskQueue::workerExited, this, [this, queue](int id, const QString &status) {
        d->update(queue, id, [&](WorkerRow &r) {
            r.alive = false;
            r.status = status;
            r.livedMs = r.born.elapsed();
            r.task = 0; // the task name stays: which lemma a killed worker was on
            r.rss = 0;
            r.descendantRss = 0;
            r.descendants.clear();
        });
        d->trimExited();
    });
    connect(queue, &TaskQueue::workerOutput, this,
            [this, queue](int id, const QString &line, TaskQueue::OutputChannel channel) {
                if (channel != TaskQueue::OutputChannel::StandardError)
                    return;
                d->update(queue, id, [&](WorkerRow &r) {
                    r.stderrTail.append(line);
                    if (r.stderrTail.size() > stderrLinesKept())
                        r.stderrTail.removeFirst();
                });
            });
}

void WorkerListModel::setExitedRowsKept(int rows)
{
    d->exitedKept = std::max(0, rows);
    d->trimExited();
}

int WorkerListModel::exitedRowsKept() const { return d->exitedKept; }

TaskQueue *WorkerListModel::queueOf(int row) const
{
    return row >= 0 && row < rowCount() ? d->rows[size_t(row)].queue.data() : nullptr;
}

int WorkerListModel::workerIdOf(int row) const
{
    return row >= 0 && row < rowCount() ? d->rows[size_t(row)].workerId : -1;
}

int WorkerListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(d->rows.size());
}

int WorkerListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkerListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Internal::WorkerRow &r = d->rows[size_t(index.row())];
    switch (role) {
    case WorkerIdRole:
        return r.workerId;
    case TaskIdRole:
        return QVariant::fromValue(r.task);
    case AliveRole:
        return r.alive;
    case StandardErrorRole:
        return r.stderrTail;
    case Qt::TextAlignmentRole:
        return index.column() == IdColumn || index.column() == PidColumn || index.column() == ElapsedColumn
                       || index.column() == MemoryColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case IdColumn: return r.workerId;
    case KindColumn: return r.kind;
    case PidColumn: return r.pid;
    case ModeColumn: return r.fresh ? QStringLiteral("fresh") : QStringLiteral("persistent");
    case StateColumn: return Internal::stateName(r);
    case TaskColumn: return r.taskName;
    case ElapsedColumn: return Internal::elapsedText(r.alive ? r.since.elapsed() : r.livedMs);
    case MemoryColumn: return Internal::memoryText(r);
    case StatusColumn: return r.status;
    case ColumnCount: break;
    }
    return {};
}

QVariant WorkerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case IdColumn: return tr("Worker");
    case KindColumn: return tr("Kind");
    case PidColumn: return tr("PID");
    case ModeColumn: return tr("Mode");
    case StateColumn: return tr("State");
    case TaskColumn: return tr("Task");
    case ElapsedColumn: return tr("Elapsed");
    case MemoryColumn: return tr("Memory");
    case StatusColumn: return tr("Exit status");
    case ColumnCount: break;
    }
    return {};
}

} // namespace Drover
