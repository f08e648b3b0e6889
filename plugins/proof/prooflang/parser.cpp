// The demo language's parser: line by line, one lemma at a time; a broken
// lemma is reported once and skipped up to its Qed. (or the next Lemma), so
// the rest of the document still parses. See docs/language.md.

#include "prooflang.h"
#include "steps.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QStringList>

namespace ProofLang {

namespace {

struct Line
{
    int number = 0;
    int column = 0;   // 1-based column of the first non-blank character
    QString text;     // without comment, trimmed
};

Line cleanLine(const QString &raw, int number)
{
    QString text = raw;
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
    Document run(const QString &source)
    {
        const QStringList lines = source.split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i) {
            QString raw = lines.at(i);
            if (raw.endsWith(QLatin1Char('\r')))
                raw.chop(1);
            const Line line = cleanLine(raw, i + 1);
            if (!line.text.isEmpty())
                take(line);
        }
        if (m_state != State::Outside)
            unclosed();
        return std::move(m_document);
    }

private:
    enum class State { Outside, ExpectProof, InProof, Skipping };

    void error(int line, int column, const QString &message)
    {
        m_document.errors.append({line, column, message});
    }

    // Reports the current lemma broken and skips what is left of it.
    void breakLemma(int line, int column, const QString &message)
    {
        error(line, column, message);
        m_state = State::Skipping;
    }

    void unclosed()
    {
        if (m_state != State::Skipping) {
            error(m_lemma.line, m_lemma.column,
                  QStringLiteral("lemma %1 is not closed with `Qed.`").arg(m_lemma.name));
        }
        m_state = State::Outside;
    }

    void take(const Line &line)
    {
        const bool isLemma = line.text.startsWith(QLatin1String("Lemma")) && (line.text.size() == 5 || !line.text.at(5).isLetterOrNumber());
        if (isLemma && m_state != State::Outside) {
            // A new lemma before the previous one's Qed.
            if (m_state != State::Skipping)
                error(m_lemma.line, m_lemma.column, QStringLiteral("lemma %1 is not closed with `Qed.`").arg(m_lemma.name));
            m_state = State::Outside;
        }
        switch (m_state) {
        case State::Outside:
            outside(line, isLemma);
            return;
        case State::ExpectProof:
            if (line.text == QLatin1String("Proof."))
                m_state = State::InProof;
            else
                breakLemma(line.number, line.column, QStringLiteral("expected `Proof.` after the statement of %1").arg(m_lemma.name));
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
        static const QRegularExpression lemmaRe(QStringLiteral("^Lemma\\s+([A-Za-z_][A-Za-z0-9_']*)\\s*:\\s*(.*)\\.$"));
        static const QRegularExpression setRe(QStringLiteral("^Set\\s+(\\S+)\\s+(.*\\S)\\s*\\.$"));
        if (isLemma) {
            const QRegularExpressionMatch m = lemmaRe.match(line.text);
            m_lemma = Lemma{};
            m_lemma.line = line.number;
            m_lemma.column = line.column;
            if (!m.hasMatch()) {
                m_lemma.name = QStringLiteral("(unnamed)");
                breakLemma(line.number, line.column, QStringLiteral("expected `Lemma NAME: statement.`"));
                return;
            }
            m_lemma.name = m.captured(1);
            m_lemma.statement = m.captured(2).trimmed();
            if (m_names.contains(m_lemma.name)) {
                breakLemma(line.number, line.column + int(m.capturedStart(1)),
                           QStringLiteral("lemma %1 is defined twice").arg(m_lemma.name));
                return;
            }
            m_names.insert(m_lemma.name);
            m_state = State::ExpectProof;
            return;
        }
        if (line.text.startsWith(QLatin1String("Set")) && (line.text.size() == 3 || line.text.at(3).isSpace())) {
            const QRegularExpressionMatch m = setRe.match(line.text);
            if (!m.hasMatch()) {
                error(line.number, line.column, QStringLiteral("expected `Set NAME VALUE.`"));
                return;
            }
            m_document.options.append({m.captured(1), m.captured(2), line.number});
            return;
        }
        error(line.number, line.column, QStringLiteral("expected `Lemma NAME: statement.` or `Set NAME VALUE.`"));
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
            breakLemma(line.number, line.column, QStringLiteral("`Proof.` twice in %1").arg(m_lemma.name));
            return;
        }
        if (!line.text.endsWith(QLatin1Char('.'))) {
            breakLemma(line.number, line.column + int(line.text.size()),
                       QStringLiteral("a step ends with `.`"));
            return;
        }
        const QString text = line.text.chopped(1).trimmed();
        int offset = 0;
        QString problem;
        if (!checkStepSyntax(text, &offset, &problem)) {
            breakLemma(line.number, line.column + offset, problem);
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
