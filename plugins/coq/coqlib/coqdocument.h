#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QList>
#include <QtCore/QStringList>

namespace CoqLib {

//! What a `coqdoc` task asks a worker: bring its coqidetop to this text of
//! the document, checking every sentence but the proofs in `admit`, which
//! it replaces by `Admitted.` (another worker checks them).
//!
//! Proof indices are into findCoqProofs() of `text`; sentence indices into
//! splitCoqSentences() of `text`: master and worker split the same bytes
//! with the same code, so the task carries no positions.
struct CoqDocRequest
{
    QString document;        //!< its identity (the file's absolute path)
    QString root;            //!< coqidetop runs here (the development's root)
    QStringList flags;       //!< the development's -Q/-R/-I (CoqProject::flags)
    QString coqidetop;       //!< empty: coqidetop.opt in $COQBIN, else on PATH
    QByteArray text;         //!< the whole document, UTF-8
    QList<int> admit;        //!< proofs to replace by Admitted
    QStringList proofUsingLibraries; //!< CoqProofOptions::librariesSettingProofUsing
    int role = 0;            //!< which of the document's workers this is: 0 the main one
    //! The master already has the outcomes of the sentences before this
    //! one (an unchanged prefix of its last text): a worker that keeps them
    //! does not send them again.
    int known = 0;

    QCborMap toCbor() const;
    static CoqDocRequest fromCbor(const QCborMap &map);
};

//! What became of one sentence.
struct CoqSentenceOutcome
{
    enum class Status {
        Checked,    //!< Coq accepted it
        Error,      //!< Coq refused it: `message`, at `byteStart`-`byteEnd` when known
        NotReached, //!< an error before it stopped the check (or the check was cancelled)
        Admitted,   //!< inside a proof given up after an error in it: the lemma stands admitted
    };
    int sentence = -1;
    Status status = Status::Checked;
    QString message;
    qint64 byteStart = -1; //!< absolute bytes in the document; -1: the whole sentence
    qint64 byteEnd = -1;

    static QString statusName(Status status);
    //! Compact: [sentence, status, message?, byteStart?, byteEnd?]
    QCborArray toCbor() const;
    static CoqSentenceOutcome fromCbor(const QCborArray &array);
};

//! The feedback a coqdoc worker streams while it checks: outcomes as they
//! come, so an editor colours sentences while the check runs.
QCborValue outcomesFeedback(const QList<CoqSentenceOutcome> &outcomes);
QList<CoqSentenceOutcome> outcomesOfFeedback(const QCborValue &feedback);

//! A coqdoc task's answer.
struct CoqDocResult
{
    QString status;          //!< ok, error (some sentence failed), cancelled, crashed (coqidetop died), failed
    QString message;         //!< why, when not ok
    int resumedAt = 0;       //!< the first sentence it had to add (those before were kept from the last task)
    int added = 0;           //!< how many sentences it added to coqidetop
    QList<CoqSentenceOutcome> outcomes; //!< of every sentence it was to check (admitted proofs' sentences left out)
    qint64 ms = 0;
    qint64 coqidetopRssBytes = 0; //!< coqidetop's resident memory after the task
    qint64 coqidetopPid = 0;

    QCborMap toCbor() const;
    static CoqDocResult fromCbor(const QCborMap &map);
};

} // namespace CoqLib
