#pragma once

#include "coqfilereport.h" // ide-demo/common

#include <QtWidgets/QPlainTextEdit>

namespace DroverIde {

//! One file of a Coq development, read-only, with what coqc said about it:
//! each error and warning underlined where it is (its line and UTF-16
//! columns), the lines of errors tinted, and the messages as the tooltip of
//! their line. Opening a file puts the cursor on its first error.
class CoqFileView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CoqFileView(QWidget *parent = nullptr);

    //! Shows the file at `path` with `report`'s messages. False, with the
    //! reason in *error and in the view, when it cannot be read.
    bool showFile(const QString &path, const DroverDemo::FileReport &report, QString *error = nullptr);
    //! Shows nothing (a development was opened, no file chosen yet).
    void clearFile();
    //! The messages of the file shown now change (it finished building).
    void setReport(const DroverDemo::FileReport &report);
    QString path() const { return m_path; }

    //! What the tooltip says on a 1-based line (empty: nothing to say).
    QString toolTipForLine(int line) const;

protected:
    bool viewportEvent(QEvent *event) override;

private:
    void refreshDecorations();
    //! Puts the cursor on the first error, in the middle of the view.
    void goToFirstError();

    QString m_path;
    DroverDemo::FileReport m_report;
};

} // namespace DroverIde
