#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

namespace DroverIde {

class MainWindow;

//! The headless end of a run: once every lemma of the window's document (or
//! every file of its Coq development) has an outcome and no worker is busy, optionally saves a PNG of the window
//! (QWidget::grab(), so it works on the offscreen platform) and emits
//! finished() with the exit code: 0, or 1 when the picture cannot be saved.
class WhenChecked : public QObject
{
    Q_OBJECT
public:
    WhenChecked(MainWindow *window, const QString &screenshotFile, QObject *parent = nullptr);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void check();

    MainWindow *m_window;
    QString m_screenshot;
    bool m_done = false;
};

} // namespace DroverIde
