#pragma once

#include <QtWidgets/QPlainTextEdit>

namespace DroverDemo {
struct LemmaEntry;
class ProofDocument;
}

namespace DroverIde {

using DroverDemo::LemmaEntry;
class LemmaMargin;
using DroverDemo::ProofDocument;

//! The text of a proof document with its lemmas' states on it: a sign and a
//! coloured bar per lemma in the margin, each lemma's lines tinted by state,
//! the failing step of an error and every parse error underlined, and the
//! message as the tooltip of those lines. The document model is fed by the
//! owner (see CheckController); the editor only shows it.
class ProofEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit ProofEditor(ProofDocument *document, QWidget *parent = nullptr);

    //! The 1-based line of the text cursor.
    int cursorLine() const;
    void goToLine(int line);

    //! What the tooltip says on a 1-based line (empty: nothing to say).
    QString toolTipForLine(int line) const;

    int marginWidth() const;
    void paintMargin(LemmaMargin *margin, QPaintEvent *event);

Q_SIGNALS:
    //! The user asked from the context menu to check a lemma again.
    void recheckRequested(int lemmaUid);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void refreshDecorations();
    void updateMarginWidth();
    void scrollMargin(const QRect &rect, int dy);

    ProofDocument *m_document;
    LemmaMargin *m_margin;
};

} // namespace DroverIde
