#include "problems.h"

#include "proofdocument.h"
#include "statecolors.h"

#include <algorithm>

namespace DroverIde {

using DroverDemo::LemmaEntry;

QList<Problem> problemsOf(const ProofDocument &document)
{
    QList<Problem> problems;
    for (const ProofLang::ParseError &e : document.parseErrors())
        problems.append({e.line, std::max(1, e.column), QStringLiteral("parse error: %1").arg(e.message)});
    for (const LemmaEntry &entry : document.lemmas()) {
        if (entry.state != LemmaState::Error && entry.state != LemmaState::Crashed && entry.state != LemmaState::Timeout)
            continue;
        const DroverDemo::LemmaOutcome &o = entry.outcome;
        const bool atStep = o.step > 0 && o.stepLine > 0;
        const QString what = o.message.isEmpty() ? stateName(entry.state)
                                                 : QStringLiteral("%1: %2").arg(stateName(entry.state), o.message);
        problems.append({atStep ? o.stepLine : entry.lemma.line, atStep ? std::max(1, o.stepColumn) : 1,
                         QStringLiteral("%1: %2").arg(entry.lemma.name, what)});
    }
    std::stable_sort(problems.begin(), problems.end(), [](const Problem &a, const Problem &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return problems;
}

const Problem *nextProblem(const QList<Problem> &problems, int line, int column, bool backwards)
{
    if (problems.isEmpty())
        return nullptr;
    auto after = [&](const Problem &p) { return p.line > line || (p.line == line && p.column > column); };
    auto before = [&](const Problem &p) { return p.line < line || (p.line == line && p.column < column); };
    if (!backwards) {
        for (const Problem &p : problems) {
            if (after(p))
                return &p;
        }
        return &problems.first();
    }
    for (auto it = problems.crbegin(); it != problems.crend(); ++it) {
        if (before(*it))
            return &*it;
    }
    return &problems.last();
}

} // namespace DroverIde
