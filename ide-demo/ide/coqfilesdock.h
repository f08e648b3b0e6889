#pragma once

#include <QtWidgets/QDockWidget>

class QAction;
class QLabel;
class QTableView;

namespace DroverDemo { class CoqDevelopmentBuild; }

namespace DroverIde {

class CoqFileModel;

//! The files of the open Coq development with their states as they build,
//! how many are in each state, and Cancel (the selected file: it ends
//! cancelled, what needs it skipped) and Cancel All. Selecting a file (or
//! double-clicking it) asks for its text.
class CoqFilesDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit CoqFilesDock(QWidget *parent = nullptr);

    //! Shows `build`'s files (nullptr: none); the model is the dock's.
    void setBuild(DroverDemo::CoqDevelopmentBuild *build);

    QTableView *view() const { return m_view; }
    CoqFileModel *model() const { return m_model; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *cancelAllAction() const { return m_cancelAll; }
    //! Selects a file's row, which opens it.
    void selectFile(const QString &file);

Q_SIGNALS:
    void fileActivated(const QString &file);

private:
    void updateActions();
    QString selectedFile() const;

    DroverDemo::CoqDevelopmentBuild *m_build = nullptr;
    CoqFileModel *m_model = nullptr;
    QTableView *m_view;
    QLabel *m_summary;
    QAction *m_cancel;
    QAction *m_cancelAll;
};

} // namespace DroverIde
