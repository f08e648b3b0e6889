#include "coqproofs.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

#include <algorithm>
#include <optional>

namespace CoqLib {

namespace {

const QSet<QString> &theoremKeywords()
{
    static const QSet<QString> words{"Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property", "Goal"};
    return words;
}
// These open a proof only without a body (`:=`) or when a `Proof` follows.
const QSet<QString> &definitionKeywords()
{
    static const QSet<QString> words{"Definition", "Example", "Fixpoint", "CoFixpoint", "Instance", "Let", "Function"};
    return words;
}
// Words that may stand before a command without changing what it is.
const QSet<QString> &modifiers()
{
    static const QSet<QString> words{"Local", "Global", "Polymorphic", "Monomorphic", "Cumulative", "NonCumulative",
                                     "Private", "Program", "Time", "Fail", "Succeed"};
    return words;
}

//! A command's words, comments, attributes, modifiers and final dot removed.
struct Command
{
    QStringList words;
    bool hasBody = false; //!< a `:=` somewhere in it
    bool global = false;  //!< `Global` or `#[global]`: outlives the section or module
    bool local = false;   //!< `Local` or `#[local]`: ends with the section or module
    bool program = false; //!< `Program` or `#[program]`

    explicit Command(const QByteArray &sentence)
    {
        QString text = QString::fromUtf8(withoutCoqComments(sentence)).simplified();
        while (text.endsWith(QLatin1Char('.')))
            text.chop(1);
        while (text.startsWith(QLatin1String("#["))) {
            int depth = 0;
            qsizetype close = 1;
            for (; close < text.size(); ++close) {
                if (text.at(close) == QLatin1Char('['))
                    ++depth;
                else if (text.at(close) == QLatin1Char(']') && --depth == 0)
                    break;
            }
            const QString attributes = text.mid(2, close - 2);
            global = global || attributes.contains(QLatin1String("global"));
            local = local || attributes.contains(QLatin1String("local"));
            program = program || attributes.contains(QLatin1String("program"));
            text = text.mid(close + 1).trimmed();
        }
        hasBody = text.contains(QLatin1String(":="));
        words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        while (!words.isEmpty() && modifiers().contains(words.first())) {
            global = global || words.first() == QLatin1String("Global");
            local = local || words.first() == QLatin1String("Local");
            program = program || words.first() == QLatin1String("Program");
            words.removeFirst();
        }
        if (words.size() > 1 && words.first() == QLatin1String("Export")
            && (words.at(1) == QLatin1String("Set") || words.at(1) == QLatin1String("Unset")))
            words.removeFirst(); // for this file, as a plain Set
        // `Instance:` or `Lemma foo:`: the keyword on its own
        static const QRegularExpression glued(QStringLiteral("^([A-Za-z]+)([:({\\[].*)$"));
        if (const QRegularExpressionMatch m = glued.match(words.value(0)); m.hasMatch()) {
            words.replace(0, m.captured(1));
            words.insert(1, m.captured(2));
        }
    }

    QString word(qsizetype i) const { return words.value(i); }
    bool is(const char *first, const char *second = nullptr) const
    {
        return word(0) == QLatin1String(first) && (!second || word(1) == QLatin1String(second));
    }
    //! A `Proof`, `Proof using ...` or `Proof with ...` sentence (not `Proof term.`).
    bool isProofStart() const
    {
        return is("Proof") && (words.size() == 1 || word(1) == QLatin1String("using") || word(1) == QLatin1String("with"));
    }
};

//! The name a statement gives, from the word after its keyword.
QString nameAfter(const QString &word)
{
    static const QRegularExpression ident(QStringLiteral("^[^\\s:({\\[`!|]+"));
    return ident.match(word).captured(0);
}

//! Whether a `Require Import/Export` imports one of `libraries`.
bool importsAnyOf(const Command &c, const QStringList &libraries)
{
    qsizetype i = 0;
    QString prefix;
    if (c.is("From")) {
        prefix = c.word(1);
        i = 2;
    }
    if (c.word(i) != QLatin1String("Require"))
        return false;
    if (c.word(i + 1) != QLatin1String("Import") && c.word(i + 1) != QLatin1String("Export"))
        return false;
    for (const QString &name : c.words.mid(i + 2)) {
        const QString full = prefix.isEmpty() ? name : prefix + QLatin1Char('.') + name;
        for (const QString &library : libraries) {
            if (full == library || full.endsWith(QLatin1Char('.') + library)
                || (prefix.isEmpty() && library.endsWith(QLatin1Char('.') + full)))
                return true;
        }
    }
    return false;
}

//! Follows sections, modules and `Default Proof Using` through a document.
//! As coqc 8.16 does: a `Local Set` lasts to the End of the innermost
//! section or module, a plain (or `Export`) one to the End of the module
//! (a section's End keeps it), a `Global` one to the end of the file.
class Scopes
{
public:
    enum class Locality { Local, Module, Global };

    bool inSection() const
    {
        return std::any_of(m_frames.begin(), m_frames.end(), [](const Frame &f) { return f.section; });
    }
    bool defaultProofUsing() const { return m_proofUsing; }

    //! Takes a command that opens or closes a scope or sets the default.
    void take(const Command &c, const CoqProofOptions &options)
    {
        const bool proofUsing = c.word(1) == QLatin1String("Default") && c.word(2) == QLatin1String("Proof")
                                && c.word(3) == QLatin1String("Using");
        if (c.is("Section")) {
            m_frames.append({true, false, m_proofUsing});
        } else if (c.is("Module") && !c.hasBody) {
            m_frames.append({false, true, m_proofUsing});
        } else if (c.is("End") && !m_frames.isEmpty()) {
            const Frame frame = m_frames.takeLast();
            if (frame.revert)
                m_proofUsing = frame.saved;
        } else if ((c.is("Set") || c.is("Unset")) && proofUsing) {
            set(c.is("Set"), c.global ? Locality::Global : c.local ? Locality::Local : Locality::Module);
        } else if (importsAnyOf(c, options.librariesSettingProofUsing)) {
            set(true, Locality::Local);
        }
    }

private:
    void set(bool on, Locality locality)
    {
        m_proofUsing = on;
        for (qsizetype i = m_frames.size() - 1; i >= 0; --i) {
            Frame &f = m_frames[i];
            if (locality == Locality::Global) {
                f.saved = on;
            } else if (f.section) {
                f.revert = locality == Locality::Local; // a section's End keeps a plain Set
            }
            if (locality != Locality::Global && (locality == Locality::Local || !f.section))
                break;
        }
    }

    struct Frame
    {
        bool section = false;
        bool revert = false; //!< at its End, the default goes back to `saved`
        bool saved = false;  //!< the default before it opened
    };
    QList<Frame> m_frames;
    bool m_proofUsing = false;
};

//! Whether sentence `i` opens a proof; fills in what the statement says.
bool opensProof(const Command &c, const Command *next, CoqProof &proof)
{
    const QString head = c.word(0);
    if (theoremKeywords().contains(head)) {
        proof.name = head == QLatin1String("Goal") ? QString() : nameAfter(c.word(1));
        proof.program = c.program;
        return true;
    }
    if (definitionKeywords().contains(head)) {
        // Program's definitions leave obligations, not a proof.
        if (c.program || (c.hasBody && !(next && next->isProofStart())))
            return false;
        proof.name = nameAfter(c.word(1));
        return true;
    }
    if (c.is("Next", "Obligation") || (c.is("Obligation") && !c.word(1).isEmpty() && c.word(1).at(0).isDigit())) {
        proof.program = true;
        return true;
    }
    if (c.is("Add", "Morphism") || (c.is("Add", "Parametric") && c.word(2) == QLatin1String("Morphism"))) {
        const qsizetype as = c.words.lastIndexOf(QStringLiteral("as"));
        proof.name = as > 0 ? c.word(as + 1) : QString();
        return true;
    }
    return false;
}

std::optional<CoqProof::Ending> endingOf(const Command &c)
{
    if (c.is("Qed"))
        return CoqProof::Ending::Qed;
    if (c.is("Save"))
        return CoqProof::Ending::Save;
    if (c.is("Defined"))
        return CoqProof::Ending::Defined;
    if (c.is("Admitted"))
        return CoqProof::Ending::Admitted;
    if (c.is("Abort"))
        return CoqProof::Ending::Abort;
    if (c.is("Proof") && !c.isProofStart() && c.word(1) != QLatin1String("Mode"))
        return CoqProof::Ending::ProofTerm;
    return std::nullopt;
}

void decide(CoqProof &p)
{
    p.opaque = p.ending == CoqProof::Ending::Qed || p.ending == CoqProof::Ending::Save;
    p.delegable = p.opaque && p.proof >= 0 && !p.nested && !p.program && (!p.inSection || p.proofUsing);
}

} // namespace

QList<CoqProof> findCoqProofs(const QByteArray &source, const QList<CoqSentence> &sentences,
                              const CoqProofOptions &options)
{
    QList<CoqProof> proofs;
    QList<qsizetype> open; // indices into proofs, innermost last
    Scopes scopes;
    std::optional<Command> next;
    auto commandAt = [&](qsizetype i) -> std::optional<Command> {
        if (i >= sentences.size() || sentences.at(i).kind != CoqSentence::Kind::Command)
            return std::nullopt;
        return Command(sentences.at(i).text(source));
    };
    next = commandAt(0);
    for (qsizetype i = 0; i < sentences.size(); ++i) {
        const std::optional<Command> current = next;
        next = commandAt(i + 1);
        if (!current)
            continue; // bullets and braces live within proofs
        const Command &c = *current;
        CoqProof proof;
        if (opensProof(c, next ? &*next : nullptr, proof)) {
            proof.statement = int(i);
            proof.inSection = scopes.inSection();
            proof.proofUsing = scopes.defaultProofUsing();
            if (!open.isEmpty()) {
                proof.nested = true;
                for (qsizetype o : open)
                    proofs[o].nested = true;
            }
            open << proofs.size();
            proofs << proof;
            continue;
        }
        if (open.isEmpty()) {
            scopes.take(c, options);
            continue;
        }
        CoqProof &top = proofs[open.last()];
        if (c.isProofStart() && top.proof < 0 && top.end < 0) {
            top.proof = int(i);
            top.proofUsing = top.proofUsing || c.words.contains(QLatin1String("using"));
        } else if (const auto ending = endingOf(c)) {
            const bool all = *ending == CoqProof::Ending::Abort && c.word(1) == QLatin1String("All");
            for (qsizetype closed = all ? open.size() : 1; closed > 0; --closed) {
                CoqProof &p = proofs[open.takeLast()];
                p.end = int(i);
                p.ending = *ending;
                if (*ending == CoqProof::Ending::Save && !c.word(1).isEmpty())
                    p.name = c.word(1);
            }
        }
    }
    for (CoqProof &p : proofs)
        decide(p);
    return proofs;
}

} // namespace CoqLib
