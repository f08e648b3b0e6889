#include "textplace.h"

#include <QtGui/QTextBlock>
#include <QtGui/QTextDocument>
#include <QtWidgets/QPlainTextEdit>

#include <algorithm>

namespace DroverIde {

int offsetOfPlace(const QTextDocument *document, int line, int column)
{
    const QTextBlock block = document->findBlockByNumber(std::max(0, line - 1));
    if (!block.isValid())
        return std::max(0, document->characterCount() - 1);
    return block.position() + std::clamp(column, 0, int(block.length()) - 1);
}

void goToLine(QPlainTextEdit *editor, int line)
{
    const QTextBlock block = editor->document()->findBlockByNumber(line - 1);
    if (!block.isValid())
        return;
    editor->setTextCursor(QTextCursor(block));
    editor->centerCursor();
}

} // namespace DroverIde
