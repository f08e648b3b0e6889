#pragma once

#include "coqdocplan.h"
#include "coqdocument.h"
#include "coqidetop.h"

#include <functional>
#include <optional>
#include <memory>

//! The coqidetop of one coqdoc worker and what it holds (docs/coq.md,
//! "Interactive documents"): the pieces it has added and executed, with
//! their state ids. Each task brings it to a new text of the document: it
//! goes back (Edit_at) to the longest prefix it holds, adds the rest, and
//! executes it, reporting each sentence as coqidetop reports its state. An
//! error inside an opaque proof gives that proof up (Admitted in place of
//! its rest) and the check goes on after it, as Coq's async mode does;
//! any other error ends the check there.
//!
//! Thread: the worker's compute thread, one task at a time.
class CoqDocSession
{
public:
    using Stream = std::function<void(const QList<CoqLib::CoqSentenceOutcome> &)>;

    CoqDocSession() = default;
    ~CoqDocSession();

    //! Checks `request`'s text; `stream` gets outcomes as they come;
    //! `cancelled` is polled while coqidetop works.
    CoqLib::CoqDocResult check(const CoqLib::CoqDocRequest &request, const Stream &stream,
                               const std::function<bool()> &cancelled);

private:
    struct Held
    {
        CoqLib::CoqDocPiece piece;
        int stateId = 0;
        //! The pieces of the document it stands for, when it is an Admitted
        //! put in after an error (the failing sentence and the rest of its
        //! proof); empty when it stands for itself.
        QList<CoqLib::CoqDocPiece> standsFor;
        //! What became of the sentences it stands for; said again when a
        //! later text keeps it.
        QList<CoqLib::CoqSentenceOutcome> outcomes;
    };

    bool restart(const CoqLib::CoqDocRequest &request, QString *error);
    //! Goes back to keeping only the first `count` held pieces; false if
    //! coqidetop would not (it is then restarted by the caller).
    bool keepOnly(qsizetype count);
    qsizetype heldIndexOf(int stateId) const;
    int tip() const { return m_held.isEmpty() ? m_rootState : m_held.last().stateId; }

    std::unique_ptr<CoqLib::CoqIdeTop> m_top;
    std::function<bool()> m_cancelled;
    std::function<void(int)> m_processed; //!< during a task: coqidetop ran this state
    bool m_windingUp = false; //!< cancelled, and going back to a state it holds: not to be interrupted
    QString m_document;
    QString m_root;
    QStringList m_flags;
    QString m_program;
    int m_rootState = 0;
    QList<Held> m_held;
};
