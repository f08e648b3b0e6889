#include "coqdocplan.h"

#include <QtCore/QSet>

namespace CoqLib {

namespace {
CoqDocPiece pieceOf(const QByteArray &text, const CoqSentence &s, int index, int proof)
{
    CoqDocPiece piece;
    piece.text = s.text(text);
    piece.offset = s.start;
    piece.line = s.line;
    piece.bol = s.start - s.column;
    piece.sentence = index;
    piece.proof = proof;
    return piece;
}
} // namespace

CoqDocPlan CoqDocPlan::make(const QByteArray &text, const QList<int> &admit, const CoqProofOptions &options)
{
    CoqDocPlan plan;
    plan.split = splitCoqSentences(text);
    const QList<CoqSentence> &sentences = plan.split.sentences;
    plan.proofOfSentence = QList<int>(sentences.size(), -1);
    if (!admit.isEmpty())
        plan.findProofs(text, options);
    const QSet<int> admitted(admit.cbegin(), admit.cend());
    for (int s = 0; s < sentences.size(); ++s) {
        const int p = plan.proofOfSentence.at(s);
        const bool giveUp = p >= 0 && admitted.contains(p) && plan.proofs.at(p).opaque && plan.proofs.at(p).end >= 0;
        if (giveUp && s > plan.proofs.at(p).statement) {
            // The statement stays; the body goes, and Admitted closes it
            // where the proof's end was.
            plan.pieces << plan.admittedAt(s);
            s = plan.proofs.at(p).end;
            continue;
        }
        plan.pieces << pieceOf(text, sentences.at(s), s, p);
    }
    return plan;
}

void CoqDocPlan::findProofs(const QByteArray &text, const CoqProofOptions &options)
{
    if (proofsFound)
        return;
    proofsFound = true;
    const QList<CoqSentence> &sentences = split.sentences;
    proofs = findCoqProofs(text, sentences, options);
    proofOfSentence = QList<int>(sentences.size(), -1);
    for (int p = 0; p < proofs.size(); ++p) {
        const CoqProof &proof = proofs.at(p);
        const int last = proof.end >= 0 ? proof.end : int(sentences.size()) - 1;
        for (int s = proof.statement; s <= last; ++s) {
            if (proofOfSentence.at(s) < 0 || proofs.at(proofOfSentence.at(s)).statement < proof.statement)
                proofOfSentence[s] = p; // the innermost
        }
    }
    for (CoqDocPiece &piece : pieces) {
        if (piece.sentence >= 0)
            piece.proof = proofOfSentence.at(piece.sentence);
    }
}

CoqDocPiece CoqDocPlan::admittedAt(int at) const
{
    const CoqSentence &s = split.sentences.at(at);
    CoqDocPiece piece;
    piece.text = QByteArrayLiteral("Admitted.");
    piece.offset = s.start;
    piece.line = s.line;
    piece.bol = s.start - s.column;
    piece.proof = proofOfSentence.value(at, -1);
    return piece;
}

int CoqDocPlan::pieceAtOrAfter(int sentence) const
{
    for (int i = 0; i < pieces.size(); ++i) {
        if (pieces.at(i).sentence >= sentence)
            return i;
    }
    return int(pieces.size());
}

} // namespace CoqLib
