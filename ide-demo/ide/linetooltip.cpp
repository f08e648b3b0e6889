#include "linetooltip.h"

#include <QtGui/QHelpEvent>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QToolTip>

namespace DroverIde {

bool showLineToolTip(QPlainTextEdit *editor, QEvent *event, const std::function<QString(int line)> &textForLine)
{
    if (event->type() != QEvent::ToolTip)
        return false;
    auto *help = static_cast<QHelpEvent *>(event);
    const QString text = textForLine(editor->cursorForPosition(help->pos()).blockNumber() + 1);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, editor->viewport());
    return true;
}

} // namespace DroverIde
