#include "lemmamargin.h"

#include "proofeditor.h"

namespace DroverIde {

LemmaMargin::LemmaMargin(ProofEditor *editor)
    : QWidget(editor)
    , m_editor(editor)
{
}

QSize LemmaMargin::sizeHint() const
{
    return {m_editor->marginWidth(), 0};
}

void LemmaMargin::paintEvent(QPaintEvent *event)
{
    m_editor->paintMargin(this, event);
}

} // namespace DroverIde
