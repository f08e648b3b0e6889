#pragma once

#include "coqsentences.h"

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace CoqLib {

//! One proof of a Coq document, and whether Coq's asynchronous mode could
//! check it apart from the rest (as `coqc -vos` skips it and a worker could
//! check it later). Indices are into the sentence list it was found in.
struct CoqProof
{
    enum class Ending {
        None,      //!< the document ends with the proof still open
        Qed,
        Save,      //!< `Save name.`: opaque, as Qed
        Defined,
        Admitted,
        Abort,     //!< `Abort.` or `Abort All.`
        ProofTerm, //!< `Proof term.`: the proof is that term, checked at once
    };
    int statement = -1; //!< the sentence that opens it: `Lemma`, `Instance`, `Goal`, `Next Obligation`...
    int proof = -1;     //!< its `Proof` sentence (`Proof using ...`, `Proof with ...`); -1 without one
    int end = -1;       //!< the sentence that closes it; -1 with Ending::None
    Ending ending = Ending::None;
    QString name;       //!< as stated; empty for `Goal`, obligations and anonymous instances

    bool opaque = false;     //!< ended by Qed or Save: nothing after it can see its body
    bool inSection = false;  //!< opened inside a `Section` (a `Module` does not count)
    bool proofUsing = false; //!< says what section variables it uses: its own `Proof using`,
                             //!< or a `Default Proof Using` in effect where it opens
    bool nested = false;     //!< opened while another proof was open, or another opened within it
    bool program = false;    //!< a `Program` statement or an `Obligation`
    //! opaque, begun by a `Proof` sentence (coqc delegates no proof without
    //! one), not nested, not Program, and either outside every section or
    //! with proofUsing (else what it uses of the section is unknown before
    //! it is checked). Nested proofs and obligations are kept in order on
    //! purpose, although coqc may delegate an inner one.
    bool delegable = false;
};

struct CoqProofOptions
{
    //! Libraries whose import sets `Default Proof Using`, as logical names
    //! (stdpp's files do it with `From stdpp Require Import options.`:
    //! "stdpp.options"). A `Require Import`/`Export` of one counts as a `Set`.
    QStringList librariesSettingProofUsing;
};

//! The proofs of `source`, in the order they open, from its sentences as
//! splitCoqSentences() gives them. Sections, modules and `Default Proof
//! Using` are followed through the document; what a sentence does is read
//! from its words, without running Coq.
QList<CoqProof> findCoqProofs(const QByteArray &source, const QList<CoqSentence> &sentences,
                              const CoqProofOptions &options = {});

} // namespace CoqLib
