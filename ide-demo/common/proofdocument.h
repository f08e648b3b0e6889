#pragma once

#include "lemmaoutcome.h"
#include "prooflang.h"
#include "lemmastate.h"

#include <drover/task.h>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>

namespace DroverDemo {

//! One lemma of the open document and where its check stands.
struct LemmaEntry
{
    int uid = 0;                 //!< stable while the lemma's text is unchanged
    ProofLang::Lemma lemma;      //!< as of the latest parse (positions follow edits)
    QString key;                 //!< what its check depends on: the options and its own text
    LemmaState state = LemmaState::Edited;
    LemmaOutcome outcome; //!< meaningful once the state is an outcome
    Drover::TaskId task = 0;     //!< the live task checking it, 0 if none
    int workerId = -1;           //!< while Checking
};

//! The document as lemmas with states. Each time the text changes it is
//! parsed again and the new lemmas are matched with the old ones by their
//! text (options included): a lemma whose text did not change keeps its
//! entry, state and task; an edited or new one starts Edited. Verdicts (ok,
//! error) are remembered by text, so undoing an edit brings the old verdict
//! back without a check; crashes, timeouts and cancellations are about one
//! run, not about the text, and are not remembered.
//!
//! The model knows nothing of queues: the CheckController sets the states.
class ProofDocument : public QObject
{
    Q_OBJECT
public:
    //! What a new text or an invalidation made obsolete.
    struct Change
    {
        QList<Drover::TaskId> staleTasks; //!< tasks of lemmas that are gone or changed
        bool optionsChanged = false;
        //! Lemmas whose text changed back to one already checked: their
        //! remembered verdict came back, without a check (setText() only).
        QList<int> reusedVerdicts;
    };

    explicit ProofDocument(QObject *parent = nullptr);

    Change setText(const QString &text);
    //! Forgets every result (or one lemma's) so that it is checked again.
    Change invalidateAll();
    Change invalidate(int uid);

    const QList<LemmaEntry> &lemmas() const { return m_lemmas; }
    const QList<ProofLang::Option> &options() const { return m_options; }
    const QList<ProofLang::ParseError> &parseErrors() const { return m_errors; }
    //! The `Eval` and `Search` lines, in document order.
    const QList<ProofLang::Query> &queries() const { return m_queries; }
    const LemmaEntry *lemma(int uid) const;
    //! The lemma whose lines (Lemma to Qed) hold a 1-based line, or nullptr.
    const LemmaEntry *lemmaAtLine(int line) const;

    void setQueued(int uid, Drover::TaskId task);
    void setChecking(int uid, int workerId);
    void setOutcome(int uid, const LemmaOutcome &outcome);

    int count(LemmaState state) const;
    int pendingCount() const;

Q_SIGNALS:
    //! The lemmas, their positions or the parse errors changed (a new text).
    void lemmasChanged();
    void lemmaStateChanged(int uid);

private:
    LemmaEntry *find(int uid);
    void reset(LemmaEntry &entry, Change &change);

    QList<LemmaEntry> m_lemmas;
    QList<ProofLang::Option> m_options;
    QList<ProofLang::ParseError> m_errors;
    QList<ProofLang::Query> m_queries;
    QString m_optionsSignature;
    QHash<QString, LemmaOutcome> m_verdicts; // by key: ok and error outcomes seen
    int m_nextUid = 1;
};

} // namespace DroverDemo
