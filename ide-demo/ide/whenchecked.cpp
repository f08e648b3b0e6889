#include "whenchecked.h"

#include "mainwindow.h"

#include <drover/taskqueue.h>

#include <QtCore/QTextStream>
#include <QtGui/QPixmap>

namespace DroverIde {

WhenChecked::WhenChecked(MainWindow *window, const QString &screenshotFile, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_screenshot(screenshotFile)
{
    connect(window, &MainWindow::checkProgressed, this, &WhenChecked::check);
    // A document without lemmas is settled from the start.
    QMetaObject::invokeMethod(this, &WhenChecked::check, Qt::QueuedConnection);
}

void WhenChecked::check()
{
    if (m_done || !m_window->isChecked())
        return;
    for (const Drover::WorkerInfo &worker : m_window->activeQueue()->workers()) {
        if (worker.state != Drover::WorkerInfo::State::Idle)
            return; // its exit (or its idleness) is worth waiting for: the table shows it
    }
    m_done = true;
    int code = 0;
    if (!m_screenshot.isEmpty()) {
        const QPixmap picture = m_window->grab();
        if (!picture.save(m_screenshot, "PNG")) {
            QTextStream(stderr) << "drover-ide: cannot write " << m_screenshot << '\n';
            code = 1;
        }
    }
    emit finished(code);
}

} // namespace DroverIde
