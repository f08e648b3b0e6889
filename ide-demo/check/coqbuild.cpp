#include "coqbuild.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QTextStream>

using namespace Drover;

CoqBuild::CoqBuild(CheckOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_report(m_options.json)
    , m_build({.quick = m_options.quick, .taskOptions = m_options.taskOptions()})
{
}

CoqBuild::~CoqBuild()
{
    m_manager.reset(); // every worker (and its coqc) is reaped before the report goes
}

bool CoqBuild::start(int *exitCode)
{
    m_clock.start();
    QTextStream err(stderr);
    QString error;
    if (!m_build.load(m_options.files, &error)) {
        err << "drover-check: " << error << '\n';
        *exitCode = 2;
        return false;
    }
    if (!m_build.coqdepWarnings().isEmpty() && !m_options.json)
        err << "drover-check: coqdep: " << m_build.coqdepWarnings() << '\n';
    m_manager = std::make_unique<Manager>();
    m_options.applyJobsCap(m_manager.get());
    m_queue = m_manager->queue(QStringLiteral("coq"));
    if (!m_queue) {
        err << "drover-check: " << m_manager->errorString() << '\n';
        *exitCode = 3;
        return false;
    }
    m_options.configure(m_queue);
    m_summary.files = int(m_build.files().size());
    connect(&m_build, &DroverDemo::CoqDevelopmentBuild::fileQueued, this,
            [this](const QString &file) { m_report.fileStarted(file, m_done, m_summary.files); });
    connect(&m_build, &DroverDemo::CoqDevelopmentBuild::fileFinished, this, &CoqBuild::report);
    connect(&m_build, &DroverDemo::CoqDevelopmentBuild::finished, m_queue, &TaskQueue::stop, Qt::QueuedConnection);
    connect(m_queue, &TaskQueue::stopped, this, [this] {
        if (!m_build.historyError().isEmpty() && !m_options.json)
            QTextStream(stderr) << "drover-check: " << m_build.historyError() << '\n';
        m_summary.wallMs = m_clock.elapsed();
        m_report.summary(m_summary);
        emit finished(m_summary.ok == m_summary.files ? 0 : 1);
    });
    m_build.start(m_queue);
    return true;
}

void CoqBuild::report(const FileReport &report)
{
    ++m_done;
    if (report.status == QLatin1String("ok"))
        ++m_summary.ok;
    if (report.upToDate)
        ++m_summary.upToDate;
    const QString &s = report.status;
    m_summary.error += s == QLatin1String("error");
    m_summary.skipped += s == QLatin1String("skipped");
    m_summary.crashed += s == QLatin1String("crashed");
    m_summary.timeout += s == QLatin1String("timeout");
    m_summary.cancelled += s == QLatin1String("cancelled");
    m_report.fileFinished(report, m_done, m_summary.files);
}

void CoqBuild::interrupt()
{
    if (m_queue)
        m_build.cancelAll(QStringLiteral("interrupted before it started"));
}
