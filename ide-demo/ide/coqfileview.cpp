#include "coqfileview.h"

#include "statecolors.h"
#include "linetooltip.h"
#include "textplace.h"
#include "utf8file.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QTextBlock>

namespace DroverIde {

namespace {
using CoqLib::CoqDiagnostic;

QColor colorOf(const CoqDiagnostic &d)
{
    return markColor(d.severity == CoqDiagnostic::Severity::Error ? LemmaState::Error : LemmaState::Timeout);
}
} // namespace

CoqFileView::CoqFileView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("coqFileView"));
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont); // as the proof editor's
    font.setPointSize(std::max(font.pointSize(), 10));
    setFont(font);
    setPlaceholderText(tr("Select a file of the development to read it"));
}

bool CoqFileView::showFile(const QString &path, const DroverDemo::FileReport &report, QString *error)
{
    QString problem;
    const std::optional<QString> text = DroverDemo::readUtf8File(path, &problem);
    m_path = path;
    m_report = report;
    setPlainText(text.value_or(QString()));
    if (!text) {
        setPlaceholderText(problem.left(1).toUpper() + problem.mid(1));
        if (error)
            *error = problem;
    }
    refreshDecorations();
    goToFirstError();
    return text.has_value();
}

void CoqFileView::goToFirstError()
{
    for (const CoqDiagnostic &d : std::as_const(m_report.errors)) {
        if (d.line > 0 && d.severity == CoqDiagnostic::Severity::Error) {
            QTextCursor cursor(document());
            cursor.setPosition(offsetOfPlace(document(), d.line, d.column));
            setTextCursor(cursor);
            centerCursor();
            return;
        }
    }
}

void CoqFileView::clearFile()
{
    m_path.clear();
    m_report = {};
    setPlainText(QString());
    setPlaceholderText(tr("Select a file of the development to read it"));
    refreshDecorations();
}

void CoqFileView::setReport(const DroverDemo::FileReport &report)
{
    const bool firstErrors = m_report.errors.isEmpty();
    m_report = report;
    refreshDecorations();
    if (firstErrors) // the file was opened before it was built
        goToFirstError();
}

void CoqFileView::refreshDecorations()
{
    QList<QTextEdit::ExtraSelection> selections;
    for (const CoqDiagnostic &d : std::as_const(m_report.errors)) {
        if (d.line <= 0)
            continue; // about the file as a whole: the files dock says it
        if (d.severity == CoqDiagnostic::Severity::Error) {
            QTextEdit::ExtraSelection tint;
            tint.cursor = QTextCursor(document()->findBlockByNumber(d.line - 1));
            tint.format.setBackground(tintColor(LemmaState::Error));
            tint.format.setProperty(QTextFormat::FullWidthSelection, true);
            selections << tint;
        }
        QTextEdit::ExtraSelection mark;
        const int start = offsetOfPlace(document(), d.line, d.column);
        int end = offsetOfPlace(document(), d.endLine > 0 ? d.endLine : d.line, d.endColumn);
        if (end <= start) // a place, not a span: the character there
            end = std::min(start + 1, document()->characterCount() - 1);
        mark.cursor = QTextCursor(document());
        mark.cursor.setPosition(start);
        mark.cursor.setPosition(end, QTextCursor::KeepAnchor);
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setUnderlineColor(colorOf(d));
        selections << mark;
    }
    setExtraSelections(selections);
}

QString CoqFileView::toolTipForLine(int line) const
{
    QStringList parts;
    for (const CoqDiagnostic &d : std::as_const(m_report.errors)) {
        const int last = std::max(d.line, d.endLine);
        if (d.line > 0 && line >= d.line && line <= last)
            parts << tr("%1:%2: %3: %4").arg(d.line).arg(d.column + 1).arg(d.severityName(), d.message);
    }
    return parts.join(QLatin1Char('\n'));
}

bool CoqFileView::viewportEvent(QEvent *event)
{
    if (showLineToolTip(this, event, [this](int line) { return toolTipForLine(line); }))
        return true;
    return QPlainTextEdit::viewportEvent(event);
}

} // namespace DroverIde
