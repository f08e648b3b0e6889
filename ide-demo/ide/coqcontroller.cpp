#include "coqcontroller.h"

#include "coqdevelopmentbuild.h"
#include "coqfilemodel.h"
#include "coqfilesdock.h"
#include "coqfileview.h"
#include "sharedoptions.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace DroverIde {

CoqController::CoqController(Drover::Manager *manager, CoqFilesDock *dock, CoqFileView *view, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_dock(dock)
    , m_view(view)
{
    connect(m_dock, &CoqFilesDock::fileActivated, this, [this](const QString &file) { showFile(file); });
}

CoqController::~CoqController()
{
    m_dock->setBuild(nullptr);
}

bool CoqController::isDevelopment(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QFileInfo::exists(QDir(path).filePath(QStringLiteral("_CoqProject")));
    return info.isFile() && info.fileName() == QLatin1String("_CoqProject");
}

bool CoqController::open(const QString &path, std::chrono::milliseconds timeLimit, QString *error)
{
    DroverDemo::CoqDevelopmentBuild::Options options;
    if (timeLimit > std::chrono::milliseconds(0)) {
        options.taskOptions.termTimeout = timeLimit;
        options.taskOptions.killTimeout = DroverDemo::defaultKillAfter;
    }
    auto build = std::make_unique<DroverDemo::CoqDevelopmentBuild>(options, this);
    if (!build->load({path}, error))
        return false;
    if (!m_queue) {
        m_queue = m_manager->queue(QStringLiteral("coq"));
        if (!m_queue) {
            *error = m_manager->errorString();
            return false;
        }
        emit queueCreated(m_queue);
    }
    if (m_build) {
        m_build->cancelAll(tr("another development was opened"));
        m_build->deleteLater();
    }
    m_build = build.release();
    connect(m_build, &DroverDemo::CoqDevelopmentBuild::finished, this, &CoqController::settled);
    connect(m_build, &DroverDemo::CoqDevelopmentBuild::fileFinished, this, [this](const DroverDemo::FileReport &report) {
        if (m_build && m_view->path() == m_build->absolutePath(report.file))
            m_view->setReport(report);
    });
    m_dock->setBuild(m_build);
    m_view->clearFile();
    m_build->start(m_queue);
    return true;
}

bool CoqController::showFile(const QString &file, QString *error)
{
    if (!m_build || m_dock->model()->rowOf(file) < 0) {
        if (error)
            *error = tr("%1 is not a file of the open development").arg(file);
        return false;
    }
    m_dock->selectFile(file); // shows it too, when it was not selected
    return m_view->showFile(m_build->absolutePath(file), m_dock->model()->reportOf(file), error);
}

QString CoqController::root() const
{
    return m_build ? m_build->project().root : QString();
}

bool CoqController::isSettled() const
{
    return m_build && m_build->isFinished();
}

} // namespace DroverIde
