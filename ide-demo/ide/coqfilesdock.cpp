#include "coqfilesdock.h"

#include "coqdevelopmentbuild.h"
#include "coqfilemodel.h"
#include "dockbody.h"

#include <QtGui/QAction>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableView>

namespace DroverIde {

CoqFilesDock::CoqFilesDock(QWidget *parent)
    : QDockWidget(tr("Files"), parent)
    , m_view(new QTableView)
    , m_summary(new QLabel)
    , m_cancel(new QAction(tr("Cancel"), this))
    , m_cancelAll(new QAction(tr("Cancel All"), this))
{
    setObjectName(QStringLiteral("coqFiles"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_cancel->setToolTip(tr("Stop building the selected file; the files that need it are skipped"));
    m_cancel->setShortcut(QKeySequence::Delete);
    m_cancel->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancelAll->setToolTip(tr("Stop the whole build"));
    connect(m_cancel, &QAction::triggered, this, [this] {
        if (m_build && !selectedFile().isEmpty())
            m_build->cancel(selectedFile());
    });
    connect(m_cancelAll, &QAction::triggered, this, [this] {
        if (m_build)
            m_build->cancelAll(tr("cancelled before it started"));
    });
    addAction(m_cancel);
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        emit fileActivated(m_model->fileAt(index.row()));
    });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    setWidget(dockBody(bar, {{m_cancel, QStringLiteral("cancelFileButton")}, {m_cancelAll, QStringLiteral("cancelBuildButton")}}, m_view));
    updateActions();
}

void CoqFilesDock::setBuild(DroverDemo::CoqDevelopmentBuild *build)
{
    m_build = build;
    CoqFileModel *old = m_model;
    m_model = build ? new CoqFileModel(build, this) : nullptr;
    m_view->setModel(m_model);
    delete old;
    if (m_model) {
        m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &CoqFilesDock::updateActions);
        connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
            updateActions();
            if (!selectedFile().isEmpty())
                emit fileActivated(selectedFile());
        });
    }
    updateActions();
}

void CoqFilesDock::selectFile(const QString &file)
{
    const int row = m_model ? m_model->rowOf(file) : -1;
    if (row >= 0)
        m_view->selectRow(row);
}

QString CoqFilesDock::selectedFile() const
{
    if (!m_model)
        return {};
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->fileAt(rows.first().row());
}

void CoqFilesDock::updateActions()
{
    const QString file = selectedFile();
    m_cancel->setEnabled(!file.isEmpty() && DroverDemo::isPending(m_model->stateOf(file)));
    m_cancelAll->setEnabled(m_model && m_model->isPending());
    QStringList counts;
    if (m_model) {
        for (LemmaState state : allLemmaStates) {
            if (const int n = m_model->count(state))
                counts << tr("%1 %2").arg(n).arg(stateName(state));
        }
    }
    m_summary->setText(counts.join(QLatin1String(", ")));
}

} // namespace DroverIde
