#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

namespace DroverIde {

class MainWindow;

//! The headless end of a run: once every lemma of the window's document
//! (every file of its Coq development, every sentence of its .v) has an
//! outcome and no worker is busy — or, given `sentencesDecided`, as soon as
//! that many lemmas of the proof document (sentences of the .v) have one,
//! in the middle of the check —
//! optionally saves a PNG of the window (QWidget::grab(), so it works on
//! the offscreen platform) and emits finished() with the exit code: 0, or 1
//! when the picture cannot be saved.
class WhenChecked : public QObject
{
    Q_OBJECT
public:
    WhenChecked(MainWindow *window, const QString &screenshotFile, int sentencesDecided = 0, QObject *parent = nullptr);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void check();
    bool isReady() const;
    void finish();

    MainWindow *m_window;
    QString m_screenshot;
    int m_sentencesDecided;
    bool m_done = false;
    bool m_settling = false; // the picture waits for the event loop's next turn
};

} // namespace DroverIde
