#include "whenchecked.h"

#include "coqdoccontroller.h"
#include "mainwindow.h"
#include "proofdocument.h"

#include <drover/taskqueue.h>

#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtGui/QPixmap>

namespace DroverIde {

WhenChecked::WhenChecked(MainWindow *window, const QString &screenshotFile, int sentencesDecided, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_screenshot(screenshotFile)
    , m_sentencesDecided(sentencesDecided)
{
    connect(window, &MainWindow::checkProgressed, this, &WhenChecked::check);
    if (sentencesDecided > 0) // each outcome may be the Nth
        connect(window->document(), &ProofDocument::lemmaStateChanged, this, &WhenChecked::check);
    // A document without lemmas is settled from the start.
    QMetaObject::invokeMethod(this, &WhenChecked::check, Qt::QueuedConnection);
}

void WhenChecked::check()
{
    if (m_done || m_settling || !isReady())
        return;
    // Not in the middle of the signal that made it ready: the other docks
    // have not heard it yet (a finished task still listed as running), and
    // the views lay themselves out on the event loop's next turn (a column
    // still as wide as its old words). So the picture is taken from the
    // event loop, once what it shows is still true.
    m_settling = true;
    QTimer::singleShot(0, this, [this] {
        m_settling = false;
        if (!m_done && isReady())
            finish();
    });
}

bool WhenChecked::isReady() const
{
    if (m_sentencesDecided > 0 && m_window->activeQueue() == m_window->queue()) {
        // A proof document mid-check: N lemmas have an outcome, the workers
        // are busy with the next ones.
        const ProofDocument *document = m_window->document();
        const qsizetype lemmas = document->lemmas().size();
        if (lemmas - document->pendingCount() < std::min<qsizetype>(m_sentencesDecided, lemmas))
            return false;
    } else if (m_sentencesDecided > 0) {
        // Mid-check: the workers are busy, and that is the point.
        const CoqDocController *doc = m_window->coqDoc();
        if (doc->decidedCount() < std::min<qsizetype>(m_sentencesDecided, doc->check()->sentences().size()))
            return false;
    } else {
        if (!m_window->isChecked())
            return false;
        for (const Drover::WorkerInfo &worker : m_window->activeQueue()->workers()) {
            if (worker.state != Drover::WorkerInfo::State::Idle)
                return false; // its exit (or its idleness) is worth waiting for: the table shows it
        }
    }
    return true;
}

void WhenChecked::finish()
{
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
