#include "proofeditor.h"

#include "lemmamargin.h"
#include "linetooltip.h"
#include "proofdocument.h"
#include "stateicon.h"
#include "textplace.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QPainter>
#include <QtGui/QTextBlock>
#include <QtWidgets/QMenu>

namespace DroverIde {

namespace {
constexpr int iconSide = 14;
constexpr int barWidth = 4;
constexpr int padding = 4;

// The columns [start, end) of a line's text without its comment and the
// blanks around it; 0-based, for underlining.
std::pair<int, int> codeSpan(const QString &line, int fromColumn)
{
    QString code = line;
    const qsizetype hash = code.indexOf(QLatin1Char('#'));
    if (hash >= 0)
        code.truncate(hash);
    int end = int(code.size());
    while (end > 0 && code.at(end - 1).isSpace())
        --end;
    int start = std::clamp(fromColumn - 1, 0, end);
    return {start, end};
}

QTextEdit::ExtraSelection underline(QTextDocument *document, int line, int column, const QColor &color)
{
    QTextEdit::ExtraSelection selection;
    const QTextBlock block = document->findBlockByNumber(line - 1);
    const auto [start, end] = codeSpan(block.text(), column);
    selection.cursor = QTextCursor(block);
    selection.cursor.setPosition(block.position() + start);
    selection.cursor.setPosition(block.position() + end, QTextCursor::KeepAnchor);
    selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    selection.format.setUnderlineColor(color);
    return selection;
}

QString durationText(std::chrono::milliseconds ms)
{
    return ms.count() < 1000 ? QStringLiteral("%1 ms").arg(ms.count())
                             : QStringLiteral("%1 s").arg(double(ms.count()) / 1000.0, 0, 'f', 1);
}
} // namespace

ProofEditor::ProofEditor(ProofDocument *document, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_document(document)
    , m_margin(new LemmaMargin(this))
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSize(std::max(font.pointSize(), 10));
    setFont(font);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &ProofEditor::updateMarginWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &ProofEditor::scrollMargin);
    connect(document, &ProofDocument::lemmasChanged, this, &ProofEditor::refreshDecorations);
    connect(document, &ProofDocument::lemmaStateChanged, this, &ProofEditor::refreshDecorations);
    updateMarginWidth();
}

int ProofEditor::cursorLine() const
{
    return textCursor().blockNumber() + 1;
}

void ProofEditor::goToLine(int line)
{
    DroverIde::goToLine(this, line);
}

int ProofEditor::marginWidth() const
{
    const int digits = int(QString::number(std::max(1, blockCount())).size());
    return padding + iconSide + padding + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(digits, 2)
           + padding + barWidth + padding;
}

void ProofEditor::updateMarginWidth()
{
    setViewportMargins(marginWidth(), 0, 0, 0);
}

void ProofEditor::scrollMargin(const QRect &rect, int dy)
{
    if (dy)
        m_margin->scroll(0, dy);
    else
        m_margin->update(0, rect.y(), m_margin->width(), rect.height());
}

void ProofEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect area = contentsRect();
    m_margin->setGeometry(area.left(), area.top(), marginWidth(), area.height());
}

void ProofEditor::paintMargin(LemmaMargin *margin, QPaintEvent *event)
{
    QPainter painter(margin);
    painter.fillRect(event->rect(), palette().color(QPalette::Window).lighter(104));
    const int width = margin->width();
    const int numberRight = width - padding - barWidth - padding;
    const int barLeft = width - padding - barWidth;

    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    const int currentBlock = textCursor().blockNumber();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (block.isVisible() && top + height >= event->rect().top()) {
            const int line = block.blockNumber() + 1;
            painter.setPen(block.blockNumber() == currentBlock ? palette().color(QPalette::Text)
                                                               : palette().color(QPalette::PlaceholderText));
            painter.drawText(QRectF(0, top, numberRight, height), Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(line));
            if (const LemmaEntry *entry = m_document->lemmaAtLine(line)) {
                painter.fillRect(QRectF(barLeft, top, barWidth, height), markColor(entry->state));
                if (line == entry->lemma.line) {
                    paintStateIcon(&painter, QRectF(padding, top + (height - iconSide) / 2, iconSide, iconSide),
                                   entry->state);
                }
            }
            for (const ProofLang::ParseError &error : m_document->parseErrors()) {
                if (error.line == line) {
                    paintStateIcon(&painter, QRectF(padding, top + (height - iconSide) / 2, iconSide, iconSide),
                                   LemmaState::Error);
                    break;
                }
            }
        }
        top += height;
        block = block.next();
    }
}

void ProofEditor::refreshDecorations()
{
    QList<QTextEdit::ExtraSelection> tints;
    QList<QTextEdit::ExtraSelection> marks;
    QTextDocument *text = document();
    for (const LemmaEntry &entry : m_document->lemmas()) {
        const QColor tint = tintColor(entry.state);
        if (tint.isValid()) {
            for (int line = entry.lemma.line; line <= entry.lemma.endLine; ++line) {
                QTextEdit::ExtraSelection selection;
                selection.cursor = QTextCursor(text->findBlockByNumber(line - 1));
                selection.format.setBackground(tint);
                selection.format.setProperty(QTextFormat::FullWidthSelection, true);
                tints << selection;
            }
        }
        const int step = entry.outcome.step;
        if (entry.state == LemmaState::Error && step > 0 && step <= entry.lemma.steps.size()) {
            const ProofLang::Step &failing = entry.lemma.steps.at(step - 1);
            QTextEdit::ExtraSelection selection = underline(text, failing.line, failing.column, markColor(LemmaState::Error));
            selection.format.setBackground(tintColor(LemmaState::Error).darker(108));
            marks << selection;
        }
    }
    for (const ProofLang::ParseError &error : m_document->parseErrors())
        marks << underline(text, error.line, error.column, markColor(LemmaState::Error));
    setExtraSelections(tints + marks);
    m_margin->update();
}

QString ProofEditor::toolTipForLine(int line) const
{
    QStringList parts;
    for (const ProofLang::ParseError &error : m_document->parseErrors()) {
        if (error.line == line)
            parts << tr("Parse error, column %1: %2 (the lemma is not checked)").arg(error.column).arg(error.message);
    }
    if (const LemmaEntry *entry = m_document->lemmaAtLine(line)) {
        const QString name = entry->lemma.name;
        const DroverDemo::LemmaOutcome &o = entry->outcome;
        switch (entry->state) {
        case LemmaState::Edited:
            parts << tr("%1: edited, checked when typing pauses").arg(name);
            break;
        case LemmaState::Queued:
            parts << tr("%1: queued").arg(name);
            break;
        case LemmaState::Checking:
            parts << tr("%1: checking on worker %2").arg(name).arg(entry->workerId);
            break;
        case LemmaState::Ok:
            parts << tr("%1: ok (%2)").arg(name, durationText(o.elapsed));
            break;
        case LemmaState::Error:
            if (o.step > 0)
                parts << tr("%1: error at step %2: %3").arg(name).arg(o.step).arg(o.message);
            else
                parts << tr("%1: error: %2").arg(name, o.message);
            break;
        case LemmaState::Crashed:
            parts << tr("%1: crashed: worker %2 %3").arg(name).arg(o.workerId).arg(o.message);
            break;
        case LemmaState::Timeout:
            parts << tr("%1: timeout: %2").arg(name, o.message);
            break;
        case LemmaState::Cancelled:
        case LemmaState::Skipped:
        case LemmaState::UpToDate: // a Coq file's, never a lemma's
            parts << tr("%1: %2").arg(name, stateName(entry->state));
            break;
        }
    }
    return parts.join(QLatin1Char('\n'));
}

bool ProofEditor::viewportEvent(QEvent *event)
{
    if (showLineToolTip(this, event, [this](int line) { return toolTipForLine(line); }))
        return true;
    return QPlainTextEdit::viewportEvent(event);
}

void ProofEditor::contextMenuEvent(QContextMenuEvent *event)
{
    std::unique_ptr<QMenu> menu(createStandardContextMenu(event->pos()));
    const int line = cursorForPosition(event->pos()).blockNumber() + 1;
    if (const LemmaEntry *entry = m_document->lemmaAtLine(line)) {
        menu->addSeparator();
        const int uid = entry->uid;
        menu->addAction(tr("Check %1 Again").arg(entry->lemma.name), this, [this, uid] { emit recheckRequested(uid); });
    }
    menu->exec(event->globalPos());
}

} // namespace DroverIde
