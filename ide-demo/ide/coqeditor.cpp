#include "coqeditor.h"

#include "coqdoccontroller.h"
#include "linetooltip.h"
#include "statecolors.h"
#include "textplace.h"

#include <QtGui/QFontDatabase>

using namespace std::chrono_literals;

namespace DroverIde {

namespace {
int offsetOf(const QTextDocument *document, const CoqLib::CoqTextPositions::Place &place)
{
    return offsetOfPlace(document, place.line, place.column);
}

QString stateWords(const CoqDocController::Mark &mark)
{
    switch (mark.state) {
    case LemmaState::Ok: return QStringLiteral("checked");
    case LemmaState::Skipped: return QStringLiteral("admitted");
    case LemmaState::Cancelled: return QStringLiteral("not reached");
    case LemmaState::Queued: return QStringLiteral("pending");
    default: return stateName(mark.state);
    }
}
} // namespace

CoqEditor::CoqEditor(CoqDocController *controller, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("coqEditor"));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont); // as the proof editor's
    font.setPointSize(std::max(font.pointSize(), 10));
    setFont(font);
    m_refresh.setInterval(100ms);
    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, &CoqEditor::refreshDecorations);
    connect(controller, &CoqDocController::marksChanged, this, [this] {
        if (!m_refresh.isActive())
            m_refresh.start();
    });
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        if (m_loading)
            return;
        m_controller->edit(toPlainText());
        refreshDecorations(); // what follows the edit loses its tint at once
    });
}

void CoqEditor::load(const QString &text)
{
    m_loading = true;
    setPlainText(text);
    m_loading = false;
    document()->setModified(false);
    refreshDecorations();
}

void CoqEditor::refreshDecorations()
{
    m_refresh.stop();
    QList<QTextEdit::ExtraSelection> tints;
    QList<QTextEdit::ExtraSelection> marks;
    for (const CoqDocController::Mark &mark : m_controller->marks()) {
        const int start = offsetOf(document(), mark.start);
        const int end = offsetOf(document(), mark.end);
        QTextEdit::ExtraSelection tint;
        tint.cursor = QTextCursor(document());
        tint.cursor.setPosition(start);
        tint.cursor.setPosition(end, QTextCursor::KeepAnchor);
        tint.format.setBackground(tintColor(mark.state));
        if (end > start)
            tints << tint;
        if (mark.state != LemmaState::Error)
            continue;
        // Coq's range, or the sentence when it gave none; a place (the
        // splitter's) is the character there.
        QTextEdit::ExtraSelection underline;
        int from = start, to = end;
        if (mark.error) {
            from = offsetOf(document(), mark.error->first);
            to = offsetOf(document(), mark.error->second);
        }
        if (to <= from)
            to = std::min(from + 1, document()->characterCount() - 1);
        underline.cursor = QTextCursor(document());
        underline.cursor.setPosition(from);
        underline.cursor.setPosition(to, QTextCursor::KeepAnchor);
        underline.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        underline.format.setUnderlineColor(markColor(LemmaState::Error));
        underline.format.setBackground(tintColor(LemmaState::Error).darker(108));
        marks << underline;
    }
    setExtraSelections(tints + marks);
}

QString CoqEditor::toolTipForLine(int line) const
{
    QStringList said, states;
    for (const CoqDocController::Mark &mark : m_controller->marks()) {
        if (line < mark.start.line || line > mark.end.line)
            continue;
        if (!mark.message.isEmpty()) {
            const CoqLib::CoqTextPositions::Place at = mark.error ? mark.error->first : mark.start;
            said << tr("%1:%2: %3: %4").arg(at.line).arg(at.column + 1).arg(stateWords(mark), mark.message);
        } else if (!states.contains(stateWords(mark))) {
            states << stateWords(mark);
        }
    }
    return (said.isEmpty() ? states.join(QLatin1String(", ")) : said.join(QLatin1Char('\n')));
}

bool CoqEditor::viewportEvent(QEvent *event)
{
    if (showLineToolTip(this, event, [this](int line) { return toolTipForLine(line); }))
        return true;
    return QPlainTextEdit::viewportEvent(event);
}

} // namespace DroverIde
