#include "queryanswer.h"

#include "arithmetic.h"
#include "queries.h"

namespace Queries {

namespace {
Answer answered(const QString &text)
{
    return {true, text};
}

Answer unanswered(const QString &why)
{
    return {false, why};
}

QString inBase(quint64 value, int base)
{
    return base == 16 ? QStringLiteral("0x") + QString::number(value, 16) : QString::number(value);
}

Answer evaluate(const ProofLang::QueryForm &form, const DocumentState &state, const std::function<bool()> &cancelled)
{
    QString error;
    const std::optional<int> base = numberBase(state, &error);
    if (!base)
        return unanswered(error);
    bool fits = false;
    const quint64 n = form.argument.toULongLong(&fits);
    if (!fits)
        return unanswered(QStringLiteral("number %1 does not fit in 64 bits").arg(form.argument));
    if (form.kind == ProofLang::QueryForm::Kind::EvalFib)
        return answered(QStringLiteral("Fib(%1) mod 2^64 = %2").arg(inBase(n, *base), inBase(ProofLang::fibonacci(n), *base)));
    if (n < 2)
        return answered(QStringLiteral("%1 is not prime: primes are at least 2").arg(inBase(n, *base)));
    const quint64 divisor = ProofLang::smallestDivisor(n, cancelled);
    if (divisor == 0)
        return answered(QStringLiteral("%1 is prime").arg(inBase(n, *base)));
    return answered(QStringLiteral("%1 is not prime: it is divisible by %2").arg(inBase(n, *base), inBase(divisor, *base)));
}

Answer search(const QString &word, const DocumentState &state)
{
    if (!state.hasIndex)
        return unanswered(QStringLiteral("no index of the document's lemmas has reached this worker"));
    QString error;
    const std::optional<qsizetype> limit = searchLimit(state, &error);
    if (!limit)
        return unanswered(error);
    QStringList found;
    for (const IndexEntry &entry : state.index) {
        if (entry.lemma.contains(word, Qt::CaseInsensitive) || entry.statement.contains(word, Qt::CaseInsensitive))
            found << QStringLiteral("%1 (line %2)").arg(entry.lemma).arg(entry.line);
    }
    if (found.isEmpty())
        return answered(QStringLiteral("no lemma matches `%1`").arg(word));
    QString text = QStringLiteral("%1 %2: ").arg(found.size()).arg(found.size() == 1 ? "lemma" : "lemmas");
    text += found.mid(0, *limit).join(QLatin1String(", "));
    if (found.size() > *limit)
        text += QStringLiteral(" and %1 more").arg(found.size() - *limit);
    return answered(text);
}
} // namespace

Answer answerQuery(const QString &text, const DocumentState &state, const std::function<bool()> &cancelled)
{
    ProofLang::LineProblem problem;
    const std::optional<ProofLang::QueryForm> form = ProofLang::readQueryText(text, &problem);
    if (!form)
        return unanswered(problem.message);
    if (form->kind == ProofLang::QueryForm::Kind::Search)
        return search(form->argument, state);
    return evaluate(*form, state, cancelled);
}

} // namespace Queries
