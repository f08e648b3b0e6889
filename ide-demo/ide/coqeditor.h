#pragma once

#include <QtCore/QTimer>
#include <QtWidgets/QPlainTextEdit>

namespace DroverDemo {
class CoqDocController;
}

namespace DroverIde {

using DroverDemo::CoqDocController;

//! A .v document being edited, with its sentences' states on it as its
//! controller gives them (CoqDocController::marks()): each sentence's text
//! tinted by its state (the lemma states' colours), Coq's error range
//! underlined, and the messages as the tooltip of their lines. Edits go to
//! the controller, which checks the text again when typing pauses.
class CoqEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CoqEditor(CoqDocController *controller, QWidget *parent = nullptr);

    //! Shows `text` (a document just opened) without taking it for an edit.
    void load(const QString &text);

    //! What the tooltip says on a 1-based line (empty: nothing to say).
    QString toolTipForLine(int line) const;
    //! Redraws the tints and underlines now, not at the next throttled
    //! refresh (before a screenshot).
    void refreshDecorations();

protected:
    bool viewportEvent(QEvent *event) override;

private:

    CoqDocController *m_controller;
    //! Outcomes stream in by the hundred: the tints are redrawn at most
    //! this often.
    QTimer m_refresh;
    bool m_loading = false;
};

} // namespace DroverIde
