// The demo language's parser: line by line, one lemma at a time. A broken
// lemma is reported once and skipped up to its `Qed.` (or the next `Lemma`),
// so the rest of the document still parses. See docs/language.md.

#include "declarations.h"
#include "prooflang.h"
#include "queries.h"
#include "steps.h"

#include <QtCore/QSet>
#include <QtCore/QStringList>

namespace ProofLang {

namespace {

struct Line
{
    int number = 0;
    int column = 0;  // 1-based column of the first non-blank character
    QString text;    // without its comment, trimmed
};

Line cleanLine(QString text, int number)
{
    if (text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    const qsizetype hash = text.indexOf(QLatin1Char('#'));
    if (hash >= 0)
        text.truncate(hash);
    qsizetype start = 0;
    while (start < text.size() && text.at(start).isSpace())
        ++start;
    return {number, int(start) + 1, text.trimmed()};
}

class Parser
{
public:
    Document run(QString source)
    {
        if (source.startsWith(QChar(0xfeff))) // a byte-order mark is no text
            source.remove(0, 1);
        const QStringList lines = source.split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i) {
            const Line line = cleanLine(lines.at(i), i + 1);
            if (!line.text.isEmpty())
                take(line);
        }
        closeUnfinished();
        return std::move(m_document);
    }

private:
    enum class State { Outside, ExpectProof, InProof, Skipping };

    void error(const Line &line, int offset, const QString &message)
    {
        m_document.errors.append({line.number, line.column + offset, message});
    }

    // Reports the current lemma broken; what is left of it is skipped.
    void breakLemma(const Line &line, int offset, const QString &message)
    {
        error(line, offset, message);
        m_state = State::Skipping;
    }

    // A lemma that is still open at a new `Lemma` or at the end of the text.
    void closeUnfinished()
    {
        if (m_state == State::ExpectProof || m_state == State::InProof) {
            m_document.errors.append({m_lemma.line, m_lemma.column,
                                      QStringLiteral("lemma %1 is not closed with `Qed.`").arg(m_lemma.name)});
        }
        m_state = State::Outside;
    }

    void take(const Line &line)
    {
        const bool isLemma = startsWithWord(line.text, QLatin1String("Lemma"));
        if (isLemma)
            closeUnfinished(); // resynchronise: a new lemma starts afresh
        switch (m_state) {
        case State::Outside:
            outside(line, isLemma);
            return;
        case State::ExpectProof:
            expectProof(line);
            return;
        case State::InProof:
            inProof(line);
            return;
        case State::Skipping:
            if (line.text == QLatin1String("Qed."))
                m_state = State::Outside;
            return;
        }
    }

    void outside(const Line &line, bool isLemma)
    {
        if (isLemma) {
            lemmaHeader(line);
        } else if (startsWithWord(line.text, QLatin1String("Set"))) {
            Option option;
            option.line = line.number;
            if (const std::optional<LineProblem> problem = readOption(line.text, &option))
                error(line, problem->offset, problem->message);
            else
                m_document.options.append(option);
        } else if (isQueryLine(line.text)) {
            Query query;
            query.line = line.number;
            query.column = line.column;
            if (const std::optional<LineProblem> problem = readQuery(line.text, &query))
                error(line, problem->offset, problem->message);
            else
                m_document.queries.append(query);
        } else if (line.text == QLatin1String("Qed.") || line.text == QLatin1String("Proof.")) {
            error(line, 0, QStringLiteral("`%1` outside a lemma").arg(line.text));
        } else {
            error(line, 0, QStringLiteral("text outside a lemma: expected `Lemma NAME: statement.` or `Set NAME VALUE.`"
                                 " (or a query: `Eval EXPR.`, `Search WORD.`)"));
        }
    }

    void lemmaHeader(const Line &line)
    {
        m_lemma = Lemma{};
        m_lemma.line = line.number;
        m_lemma.column = line.column;
        int nameOffset = 0;
        if (const std::optional<LineProblem> problem = readLemmaHeader(line.text, &m_lemma, &nameOffset)) {
            breakLemma(line, problem->offset, problem->message);
            return;
        }
        if (m_names.contains(m_lemma.name)) {
            breakLemma(line, nameOffset, QStringLiteral("lemma %1 is defined twice").arg(m_lemma.name));
            return;
        }
        m_names.insert(m_lemma.name);
        m_state = State::ExpectProof;
    }

    void expectProof(const Line &line)
    {
        if (line.text == QLatin1String("Proof.")) {
            m_state = State::InProof;
            return;
        }
        breakLemma(line, 0, QStringLiteral("expected `Proof.` after the statement of %1").arg(m_lemma.name));
        if (line.text == QLatin1String("Qed."))
            m_state = State::Outside; // the lemma ends here, broken
    }

    void inProof(const Line &line)
    {
        if (line.text == QLatin1String("Qed.")) {
            m_lemma.endLine = line.number;
            m_document.lemmas.append(m_lemma);
            m_state = State::Outside;
            return;
        }
        if (line.text == QLatin1String("Proof.")) {
            breakLemma(line, 0, QStringLiteral("`Proof.` twice in %1").arg(m_lemma.name));
            return;
        }
        if (!line.text.endsWith(QLatin1Char('.'))) {
            breakLemma(line, int(line.text.size()), QStringLiteral("a step ends with `.`"));
            if (line.text == QLatin1String("Qed"))
                m_state = State::Outside; // meant as the end: do not swallow what follows
            return;
        }
        const QString text = line.text.chopped(1).trimmed();
        int offset = 0;
        QString problem;
        if (!checkStepSyntax(text, &offset, &problem)) {
            breakLemma(line, offset, problem);
            return;
        }
        Step step;
        step.number = int(m_lemma.steps.size()) + 1;
        step.line = line.number;
        step.column = line.column;
        step.text = text;
        m_lemma.steps.append(step);
    }

    Document m_document;
    State m_state = State::Outside;
    Lemma m_lemma;
    QSet<QString> m_names;
};

} // namespace

Document parse(const QString &text)
{
    return Parser().run(text);
}

} // namespace ProofLang
