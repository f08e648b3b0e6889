#include "proofdiagnostics.h"

#include "proofdocument.h"

namespace DroverLsp {

namespace {
QLatin1String key(const char *name) { return QLatin1String(name); }

enum Severity { Error = 1, Warning = 2 };

//! The length of a 1-based line's text from a 1-based column to its end.
int restOfLine(const QString &text, int line, int column)
{
    qsizetype start = 0;
    for (int i = 1; i < line && start >= 0; ++i) {
        start = text.indexOf(QLatin1Char('\n'), start);
        if (start >= 0)
            ++start;
    }
    if (start < 0)
        return 0;
    qsizetype end = text.indexOf(QLatin1Char('\n'), start);
    if (end < 0)
        end = text.size();
    return qMax(0, int(end - start) - (column - 1));
}

QJsonObject diagnostic(const QJsonObject &range, Severity severity, const QString &code, const QString &message)
{
    return QJsonObject{{key("range"), range}, {key("severity"), severity}, {key("source"), QStringLiteral("drover")},
                       {key("code"), code}, {key("message"), message}};
}
} // namespace

QJsonObject rangeObject(int line, int character, int endLine, int endCharacter)
{
    return QJsonObject{
        {key("start"), QJsonObject{{key("line"), line}, {key("character"), character}}},
        {key("end"), QJsonObject{{key("line"), endLine}, {key("character"), endCharacter}}},
    };
}

QJsonArray proofDiagnostics(const DroverDemo::ProofDocument &document, const QString &text)
{
    using DroverDemo::LemmaState;
    QJsonArray diagnostics;
    for (const ProofLang::ParseError &error : document.parseErrors()) {
        const int column = qMax(1, error.column);
        const int width = qMax(1, restOfLine(text, error.line, column));
        diagnostics.append(diagnostic(rangeObject(error.line - 1, column - 1, error.line - 1, column - 1 + width),
                                      Error, QStringLiteral("parse-error"), error.message));
    }
    for (const DroverDemo::LemmaEntry &entry : document.lemmas()) {
        const LemmaState state = entry.state;
        if (isPending(state) || state == LemmaState::Ok || state == LemmaState::UpToDate)
            continue;
        const ProofLang::Lemma &lemma = entry.lemma;
        int line = lemma.line;
        int column = qMax(1, lemma.column);
        QString message = entry.outcome.message;
        const int step = entry.outcome.step;
        if (state == LemmaState::Error && step >= 1 && step <= lemma.steps.size()) {
            const ProofLang::Step &failing = lemma.steps.at(step - 1);
            line = failing.line;
            column = qMax(1, failing.column);
            message = QStringLiteral("%1, step %2: %3").arg(lemma.name).arg(step).arg(message);
        } else {
            message = QStringLiteral("%1: %2%3").arg(lemma.name, stateName(state),
                                                      message.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(message));
        }
        const int width = qMax(1, restOfLine(text, line, column));
        diagnostics.append(diagnostic(rangeObject(line - 1, column - 1, line - 1, column - 1 + width),
                                      state == LemmaState::Cancelled ? Warning : Error, stateName(state), message));
    }
    return diagnostics;
}

} // namespace DroverLsp
