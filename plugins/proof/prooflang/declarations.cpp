#include "declarations.h"

namespace ProofLang {

namespace {
bool startsName(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
        || c == QLatin1Char('_');
}

bool continuesName(QChar c)
{
    return startsName(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('\'');
}

qsizetype skipSpaces(const QString &text, qsizetype at)
{
    while (at < text.size() && text.at(at).isSpace())
        ++at;
    return at;
}

qsizetype skipNonSpaces(const QString &text, qsizetype at)
{
    while (at < text.size() && !text.at(at).isSpace())
        ++at;
    return at;
}

LineProblem problem(qsizetype offset, const QString &message)
{
    return {int(offset), message};
}
} // namespace

bool startsWithWord(const QString &text, QLatin1String word)
{
    return text.startsWith(word) && (text.size() == word.size() || !continuesName(text.at(word.size())));
}

std::optional<LineProblem> readLemmaHeader(const QString &text, Lemma *lemma, int *nameOffset)
{
    const qsizetype start = skipSpaces(text, 5); // after `Lemma`
    qsizetype end = start;
    if (end < text.size() && startsName(text.at(end))) {
        while (end < text.size() && continuesName(text.at(end)))
            ++end;
    }
    if (end == start) {
        if (start == text.size() || text.at(start) == QLatin1Char(':'))
            return problem(start, QStringLiteral("a lemma without a name: expected `Lemma NAME: statement.`"));
        return problem(start, QStringLiteral("a lemma name starts with a letter or `_`"));
    }
    lemma->name = text.mid(start, end - start);
    *nameOffset = int(start);
    const qsizetype colon = skipSpaces(text, end);
    if (colon == text.size() || text.at(colon) != QLatin1Char(':'))
        return problem(colon, QStringLiteral("expected `:` after the lemma name %1").arg(lemma->name));
    if (!text.endsWith(QLatin1Char('.')))
        return problem(text.size(), QStringLiteral("the statement of %1 ends with `.`").arg(lemma->name));
    lemma->statement = text.mid(colon + 1).chopped(1).trimmed();
    return std::nullopt;
}

std::optional<LineProblem> readOption(const QString &text, Option *option)
{
    if (!text.endsWith(QLatin1Char('.')))
        return problem(text.size(), QStringLiteral("`Set NAME VALUE` ends with `.`"));
    const QString body = text.chopped(1);
    const qsizetype nameStart = skipSpaces(body, 3); // after `Set`
    const qsizetype nameEnd = skipNonSpaces(body, nameStart);
    if (nameEnd == nameStart)
        return problem(nameStart, QStringLiteral("an option without a name: expected `Set NAME VALUE.`"));
    const qsizetype valueStart = skipSpaces(body, nameEnd);
    option->name = body.mid(nameStart, nameEnd - nameStart);
    if (valueStart == body.size())
        return problem(valueStart, QStringLiteral("option %1 has no value: expected `Set NAME VALUE.`").arg(option->name));
    option->value = body.mid(valueStart).trimmed();
    return std::nullopt;
}

} // namespace ProofLang
