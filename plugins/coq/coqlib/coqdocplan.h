#pragma once

#include "coqproofs.h"
#include "coqsentences.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>

namespace CoqLib {

//! One sentence as a coqdoc worker adds it to coqidetop.
struct CoqDocPiece
{
    QByteArray text;      //!< what is added
    qsizetype offset = 0; //!< its first byte in the document: Coq's places are absolute
    int line = 1;         //!< of offset, 1-based
    qsizetype bol = 0;    //!< the offset of that line's first byte
    int sentence = -1;    //!< the document's sentence; -1 for an Admitted put in place of a proof
    int proof = -1;       //!< the proof it is part of (statement to end), -1 outside any

    //! Equal pieces leave coqidetop in the same state (and with the same places).
    bool operator==(const CoqDocPiece &other) const
    {
        return offset == other.offset && text == other.text;
    }
};

//! A document as one of its workers walks it: its sentences, its proofs,
//! and the pieces the worker adds, where every proof it was told to admit
//! is its statement followed by `Admitted.` (at the place of the proof's
//! end), so that the worker neither checks it nor loses the lemma.
struct CoqDocPlan
{
    CoqSentenceSplit split;
    bool proofsFound = false;
    QList<CoqProof> proofs;     //!< once proofsFound
    QList<int> proofOfSentence; //!< by sentence: the proof whose statement..end holds it, or -1
    QList<CoqDocPiece> pieces;

    //! The plan of `text`. Its proofs are found (findCoqProofs, the costly
    //! part) only when some are to be admitted; else findProofs() does it
    //! when they are wanted.
    static CoqDocPlan make(const QByteArray &text, const QList<int> &admit, const CoqProofOptions &options);
    //! Finds the proofs, if that was not done, and places every piece in its proof.
    void findProofs(const QByteArray &text, const CoqProofOptions &options);
    //! `Admitted.` in place of the sentence `at` and what follows it in its proof.
    CoqDocPiece admittedAt(int at) const;
    //! The index of the first piece of sentence `sentence` or after it; pieces.size() if none.
    int pieceAtOrAfter(int sentence) const;
};

} // namespace CoqLib
