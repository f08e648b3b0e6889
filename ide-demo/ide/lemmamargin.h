#pragma once

#include <QtWidgets/QWidget>

namespace DroverIde {

class ProofEditor;

//! The strip left of the text: line numbers, each lemma's state sign on its
//! first line and a bar in the state's colour along its lines. The editor
//! paints it; the margin only hands its paint events over.
class LemmaMargin : public QWidget
{
    Q_OBJECT
public:
    explicit LemmaMargin(ProofEditor *editor);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    ProofEditor *m_editor;
};

} // namespace DroverIde
