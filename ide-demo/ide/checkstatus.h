#pragma once

#include "statecolors.h"

#include <QtCore/QHash>
#include <QtWidgets/QWidget>

class QLabel;
class QProgressBar;

namespace DroverDemo {
struct LemmaEntry;
class ProofDocument;
}

namespace DroverIde {

using DroverDemo::LemmaEntry;
using DroverDemo::ProofDocument;

//! The status bar's summary of the document: how many lemmas are in each
//! state and how many parse errors it has (what is zero is left out; each
//! count's tooltip says what it counts, F8 goes to the problems), and a
//! progress bar while any lemma is still pending.
class CheckStatus : public QWidget
{
    Q_OBJECT
public:
    explicit CheckStatus(ProofDocument *document, QWidget *parent = nullptr);

    QProgressBar *progressBar() const { return m_progress; }
    //! The number shown for a state (0 when hidden).
    int shownCount(LemmaState state) const;
    //! The parse errors shown (0 when hidden).
    int shownParseErrors() const;

private:
    void refresh();

    ProofDocument *m_document;
    QHash<LemmaState, QLabel *> m_counts;
    QProgressBar *m_progress;
    QLabel *m_parseErrors;
};

} // namespace DroverIde
