#include "queries.h"

#include <QtCore/QRegularExpression>

namespace ProofLang {

namespace {
// [0-9], not \d: other scripts' digits are no numbers here (as in steps).
bool isNumber(const QString &text)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    return digits.match(text).hasMatch();
}

// The words of a query: where each starts (0-based) and what it is.
struct Word
{
    int offset = 0;
    QString text;
};

QList<Word> wordsOf(const QString &text)
{
    QList<Word> words;
    qsizetype at = 0;
    while (at < text.size()) {
        while (at < text.size() && text.at(at).isSpace())
            ++at;
        const qsizetype start = at;
        while (at < text.size() && !text.at(at).isSpace())
            ++at;
        if (at > start)
            words.append({int(start), text.mid(start, at - start)});
    }
    return words;
}

std::optional<QueryForm> fail(LineProblem *problem, int offset, const QString &message)
{
    *problem = {offset, message};
    return std::nullopt;
}

std::optional<QueryForm> readEval(const QList<Word> &words, int end, LineProblem *problem)
{
    const QString usage = QStringLiteral("expected `Eval fib K.` or `Eval prime N.`");
    if (words.size() < 2)
        return fail(problem, end, QStringLiteral("an `Eval` without an expression: %1").arg(usage));
    const Word &function = words.at(1);
    QueryForm form;
    if (function.text == QLatin1String("fib"))
        form.kind = QueryForm::Kind::EvalFib;
    else if (function.text == QLatin1String("prime"))
        form.kind = QueryForm::Kind::EvalPrime;
    else
        return fail(problem, function.offset, QStringLiteral("unknown `Eval` expression `%1`: %2").arg(function.text, usage));
    const bool numberOk = words.size() > 2 && isNumber(words.at(2).text);
    if (!numberOk || words.size() > 3) {
        // Where it goes wrong: a missing or bad number, else the word too many.
        const int at = words.size() < 3 ? end : words.at(numberOk ? 3 : 2).offset;
        return fail(problem, at, QStringLiteral("malformed `Eval %1` query: %2").arg(function.text, usage));
    }
    form.argument = words.at(2).text;
    return form;
}
} // namespace

bool isQueryLine(const QString &text)
{
    return startsWithWord(text, QLatin1String("Eval")) || startsWithWord(text, QLatin1String("Search"));
}

std::optional<QueryForm> readQueryText(const QString &text, LineProblem *problem)
{
    const QList<Word> words = wordsOf(text);
    const int end = int(text.size());
    if (words.isEmpty())
        return fail(problem, 0, QStringLiteral("an empty query: expected `Eval EXPR.` or `Search WORD.`"));
    if (words.first().text == QLatin1String("Eval"))
        return readEval(words, end, problem);
    if (words.first().text != QLatin1String("Search"))
        return fail(problem, 0, QStringLiteral("unknown query `%1`: expected `Eval EXPR.` or `Search WORD.`").arg(words.first().text));
    if (words.size() < 2)
        return fail(problem, end, QStringLiteral("a `Search` without a word: expected `Search WORD.`"));
    if (words.size() > 2)
        return fail(problem, words.at(2).offset, QStringLiteral("a `Search` takes one word: expected `Search WORD.`"));
    QueryForm form;
    form.kind = QueryForm::Kind::Search;
    form.argument = words.at(1).text;
    return form;
}

std::optional<LineProblem> readQuery(const QString &text, Query *query)
{
    if (!text.endsWith(QLatin1Char('.')))
        return LineProblem{int(text.size()), QStringLiteral("a query ends with `.`")};
    const QString body = text.chopped(1).trimmed();
    LineProblem problem;
    if (!readQueryText(body, &problem))
        return problem;
    query->text = body;
    return std::nullopt;
}

} // namespace ProofLang
