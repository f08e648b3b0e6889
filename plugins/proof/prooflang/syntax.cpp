// The shape of each step, checked when a document is parsed (and again by
// the worker, which may be sent requests that no parser produced).

#include "steps.h"

#include <QtCore/QRegularExpression>

#include <array>
#include <iterator>

namespace ProofLang {

namespace {
struct Shape
{
    const char *keyword;
    const char *arguments;  // a regular expression for the rest of the step
    const char *usage;
};

// [0-9], not \d: \d also matches other scripts' digits, which are no numbers here.
constexpr Shape Shapes[] = {
    {"prime", "[0-9]+", "prime N"},
    {"fib", "[0-9]+\\s*=\\s*[0-9]+", "fib K = V"},
    {"spin", "[0-9]+", "spin MS"},
    {"sleep", "[0-9]+", "sleep MS"},
    {"alloc", "[0-9]+", "alloc MB"},
    {"say", ".*", "say TEXT"},
    {"fail", ".*", "fail TEXT"},
    {"crash", "", "crash"},
    {"hang", "", "hang"},
    {"par", "prime\\s+[0-9]+\\s*\\.\\.\\s*[0-9]+(?:\\s*=\\s*[0-9]+)?", "par prime A..B = N"},
};
// Each shape's arguments as an anchored expression, compiled (and
// JIT-compiled) once for the process: building it for every step made the
// parser 45% of drover-check's own cost on a document of trivial lemmas.
const QRegularExpression &argumentsExpression(qsizetype shapeIndex)
{
    static const auto expressions = [] {
        std::array<QRegularExpression, std::size(Shapes)> built;
        for (size_t i = 0; i < built.size(); ++i) {
            built[i] = QRegularExpression(QStringLiteral("^(?:%1)$").arg(QLatin1String(Shapes[i].arguments)));
            built[i].optimize();
        }
        return built;
    }();
    return expressions[size_t(shapeIndex)];
}
} // namespace

StepWords splitStep(const QString &text)
{
    qsizetype end = 0;
    while (end < text.size() && !text.at(end).isSpace())
        ++end;
    qsizetype rest = end;
    while (rest < text.size() && text.at(rest).isSpace())
        ++rest;
    return {text.left(end), text.mid(rest).trimmed(), int(rest)};
}

bool checkStepSyntax(const QString &text, int *offset, QString *problem)
{
    const StepWords words = splitStep(text);
    if (words.keyword.isEmpty()) {
        *offset = 0;
        *problem = QStringLiteral("a step is missing before `.`");
        return false;
    }
    for (qsizetype i = 0; i < qsizetype(std::size(Shapes)); ++i) {
        const Shape &shape = Shapes[i];
        if (words.keyword != QLatin1String(shape.keyword))
            continue;
        if (argumentsExpression(i).match(words.rest).hasMatch())
            return true;
        *offset = words.restOffset;
        *problem = QStringLiteral("malformed `%1` step: expected `%2.`").arg(words.keyword, QLatin1String(shape.usage));
        return false;
    }
    *offset = 0;
    *problem = QStringLiteral("unknown step `%1`: expected prime, fib, spin, sleep, say, fail, crash, hang, alloc or par")
                   .arg(words.keyword);
    return false;
}

} // namespace ProofLang
