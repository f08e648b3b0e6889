#include "steps.h"

#include <QtCore/QRegularExpression>

namespace ProofLang {

namespace {
struct Shape
{
    const char *keyword;
    const char *arguments;  // regular expression for what follows the keyword
    const char *usage;
};

constexpr Shape Shapes[] = {
    {"prime", "\\s+\\d+", "prime N"},
    {"fib", "\\s+\\d+\\s*=\\s*\\d+", "fib K = V"},
    {"spin", "\\s+\\d+", "spin MS"},
    {"sleep", "\\s+\\d+", "sleep MS"},
    {"alloc", "\\s+\\d+", "alloc MB"},
    {"say", "(\\s+.*)?", "say TEXT"},
    {"fail", "(\\s+.*)?", "fail TEXT"},
    {"crash", "", "crash"},
    {"hang", "", "hang"},
};
} // namespace

bool checkStepSyntax(const QString &text, int *offset, QString *problem)
{
    const qsizetype space = text.indexOf(QRegularExpression(QStringLiteral("\\s")));
    const QString keyword = space < 0 ? text : text.left(space);
    for (const Shape &shape : Shapes) {
        if (keyword != QLatin1String(shape.keyword))
            continue;
        const QRegularExpression re(QStringLiteral("^%1%2$").arg(QLatin1String(shape.keyword), QLatin1String(shape.arguments)));
        if (re.match(text).hasMatch())
            return true;
        *offset = int(keyword.size()) + (space < 0 ? 0 : 1);
        *problem = QStringLiteral("malformed `%1` step: expected `%2.`").arg(keyword, QLatin1String(shape.usage));
        return false;
    }
    *offset = 0;
    *problem = QStringLiteral("unknown step `%1`: expected prime, fib, spin, sleep, say, fail, crash, hang or alloc")
                   .arg(keyword);
    return false;
}

} // namespace ProofLang
