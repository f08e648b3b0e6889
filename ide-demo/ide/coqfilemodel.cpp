#include "coqfilemodel.h"

#include "coqdevelopmentbuild.h"
#include "stateicon.h"

#include <QtGui/QColor>

#include <functional>

namespace DroverIde {

LemmaState stateOfReport(const DroverDemo::FileReport &report)
{
    if (report.upToDate)
        return LemmaState::UpToDate;
    // The build's words are the states' own; one it does not know is an error.
    return DroverDemo::stateNamed(report.status).value_or(LemmaState::Error);
}

CoqFileModel::CoqFileModel(DroverDemo::CoqDevelopmentBuild *build, QObject *parent)
    : QAbstractTableModel(parent)
{
    for (const QString &file : build->files()) {
        m_index.insert(file, int(m_rows.size()));
        Row row;
        row.file = file;
        m_rows.append(row);
    }
    using Build = DroverDemo::CoqDevelopmentBuild;
    connect(build, &Build::fileQueued, this, [this](const QString &file) {
        update(file, [](Row &row) { row.waiting = false; });
    });
    connect(build, &Build::fileStarted, this, [this](const QString &file, int worker) {
        update(file, [worker](Row &row) {
            row.waiting = false;
            row.state = LemmaState::Checking;
            row.worker = worker;
        });
    });
    connect(build, &Build::fileFinished, this, [this](const DroverDemo::FileReport &report) {
        update(report.file, [&report](Row &row) {
            row.waiting = false;
            row.state = stateOfReport(report);
            row.report = report;
            if (report.worker >= 0)
                row.worker = report.worker;
        });
    });
}

void CoqFileModel::update(const QString &file, const std::function<void(Row &)> &change)
{
    const int row = rowOf(file);
    if (row < 0)
        return;
    change(m_rows[row]);
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit fileChanged(file);
}

QString CoqFileModel::fileAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).file : QString();
}

int CoqFileModel::rowOf(const QString &file) const
{
    return m_index.value(file, -1);
}

LemmaState CoqFileModel::stateOf(const QString &file) const
{
    const int row = rowOf(file);
    return row < 0 ? LemmaState::Queued : m_rows.at(row).state;
}

DroverDemo::FileReport CoqFileModel::reportOf(const QString &file) const
{
    const int row = rowOf(file);
    return row < 0 ? DroverDemo::FileReport{} : m_rows.at(row).report;
}

int CoqFileModel::count(LemmaState state) const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [state](const Row &row) { return row.state == state; }));
}

bool CoqFileModel::isPending() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row &row) { return DroverDemo::isPending(row.state); });
}

int CoqFileModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CoqFileModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CoqFileModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const bool done = !DroverDemo::isPending(r.state);
    if (role == Qt::DecorationRole && index.column() == StateColumn)
        return stateIcon(r.state);
    if (role == Qt::ToolTipRole) {
        QString tip = r.file + QLatin1String(": ") + data(index.siblingAtColumn(StateColumn)).toString();
        if (!r.report.message.isEmpty())
            tip += QLatin1Char('\n') + r.report.message;
        return tip;
    }
    if (role == Qt::ForegroundRole && r.waiting && !done)
        return QColor(0x90, 0x90, 0x90);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case FileColumn: return r.file;
    case StateColumn: return r.waiting && !done ? tr("waiting") : stateName(r.state);
    case WorkerColumn: return r.worker >= 0 ? QVariant(r.worker) : QVariant();
    case TimeColumn: return done && r.report.startMs >= 0 ? tr("%1 s").arg(double(r.report.ms) / 1000, 0, 'f', 2) : QString();
    case MemoryColumn:
        return r.report.peakRss > 0 ? tr("%1 MiB").arg(double(r.report.peakRss) / (1024.0 * 1024.0), 0, 'f', 1) : QString();
    case MessageColumn: return r.report.message;
    case ColumnCount: break;
    }
    return {};
}

QVariant CoqFileModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case FileColumn: return tr("File");
    case StateColumn: return tr("State");
    case WorkerColumn: return tr("Worker");
    case TimeColumn: return tr("Time");
    case MemoryColumn: return tr("Peak memory");
    case MessageColumn: return tr("Message");
    case ColumnCount: break;
    }
    return {};
}

} // namespace DroverIde
