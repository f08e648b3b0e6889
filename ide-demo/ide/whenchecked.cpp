#include "whenchecked.h"

#include "coqdoccontroller.h"
#include "mainwindow.h"

#include <drover/taskqueue.h>

#include <QtCore/QTextStream>
#include <QtGui/QPixmap>

namespace DroverIde {

WhenChecked::WhenChecked(MainWindow *window, const QString &screenshotFile, int sentencesDecided, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_screenshot(screenshotFile)
    , m_sentencesDecided(sentencesDecided)
{
    connect(window, &MainWindow::checkProgressed, this, &WhenChecked::check);
    // A document without lemmas is settled from the start.
    QMetaObject::invokeMethod(this, &WhenChecked::check, Qt::QueuedConnection);
}

void WhenChecked::check()
{
    if (m_done)
        return;
    if (m_sentencesDecided > 0) {
        // Mid-check: the workers are busy, and that is the point.
        const CoqDocController *doc = m_window->coqDoc();
        if (doc->decidedCount() < std::min<qsizetype>(m_sentencesDecided, doc->check()->sentences().size()))
            return;
    } else {
        if (!m_window->isChecked())
            return;
        for (const Drover::WorkerInfo &worker : m_window->activeQueue()->workers()) {
            if (worker.state != Drover::WorkerInfo::State::Idle)
                return; // its exit (or its idleness) is worth waiting for: the table shows it
        }
    }
    m_done = true;
    int code = 0;
    if (!m_screenshot.isEmpty()) {
        const QPixmap picture = m_window->picture();
        if (!picture.save(m_screenshot, "PNG")) {
            QTextStream(stderr) << "drover-ide: cannot write " << m_screenshot << '\n';
            code = 1;
        }
    }
    emit finished(code);
}

} // namespace DroverIde
