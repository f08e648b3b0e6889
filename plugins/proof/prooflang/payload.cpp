// The `proof` kind's data: the task payload of a lemma, the broadcast of a
// document option, and reading the worker's verdict. See docs/language.md.

#include "prooflang.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

namespace ProofLang {

QCborValue lemmaPayload(const QString &documentId, const Lemma &lemma, bool persistent)
{
    QCborArray steps;
    for (const Step &step : lemma.steps) {
        QCborMap s;
        s.insert(QLatin1String("n"), step.number);
        s.insert(QLatin1String("line"), step.line);
        s.insert(QLatin1String("column"), step.column);
        s.insert(QLatin1String("text"), step.text);
        steps.append(s);
    }
    QCborMap payload;
    payload.insert(QLatin1String("doc"), documentId);
    payload.insert(QLatin1String("lemma"), lemma.name);
    payload.insert(QLatin1String("line"), lemma.line);
    payload.insert(QLatin1String("steps"), steps);
    payload.insert(QLatin1String("persistent"), persistent);
    return payload;
}

QCborValue optionBroadcast(const QString &documentId, const Option &option)
{
    QCborMap broadcast;
    broadcast.insert(QLatin1String("doc"), documentId);
    broadcast.insert(QLatin1String("name"), option.name);
    broadcast.insert(QLatin1String("value"), option.value);
    return broadcast;
}

Verdict verdictOf(const QCborValue &response)
{
    Verdict verdict;
    const QString status = response[QLatin1String("status")].toString();
    if (status == QLatin1String("ok")) {
        verdict.status = status;
        verdict.ok = true;
    } else if (status == QLatin1String("error")) {
        verdict.status = status;
        verdict.step = int(response[QLatin1String("step")].toInteger());
        verdict.line = int(response[QLatin1String("line")].toInteger());
        verdict.message = response[QLatin1String("message")].toString();
    } else if (status == QLatin1String("cancelled")) {
        verdict.status = status;
        verdict.message = QStringLiteral("cancelled");
    } else {
        verdict.status = QStringLiteral("error");
        verdict.message = QStringLiteral("malformed answer from the proof worker: %1")
                              .arg(response.toDiagnosticNotation(QCborValue::Compact).left(120));
    }
    return verdict;
}

} // namespace ProofLang
