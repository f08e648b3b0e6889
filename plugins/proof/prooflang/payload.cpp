// The `proof` kind's data: the task payload of a lemma, the broadcast of a
// document option, and reading the worker's answer. See docs/language.md.

#include "prooflang.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

#include <algorithm>

namespace ProofLang {

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

Verdict malformed(const QCborValue &response, const QString &why)
{
    Verdict verdict;
    verdict.status = QStringLiteral("error");
    verdict.message = QStringLiteral("malformed answer from the proof worker (%1): %2")
                          .arg(why, response.toDiagnosticNotation(QCborValue::Compact).left(120));
    return verdict;
}
} // namespace

QCborValue lemmaPayload(const QString &documentId, const Lemma &lemma, bool persistent)
{
    QCborArray steps;
    for (const Step &step : lemma.steps) {
        QCborMap s;
        s.insert(key("number"), step.number);
        s.insert(key("line"), step.line);
        s.insert(key("column"), step.column);
        s.insert(key("text"), step.text);
        steps.append(s);
    }
    QCborMap payload;
    payload.insert(key("doc"), documentId);
    payload.insert(key("lemma"), lemma.name);
    payload.insert(key("line"), lemma.line);
    payload.insert(key("steps"), steps);
    payload.insert(key("persistent"), persistent);
    return payload;
}

QCborValue optionBroadcast(const QString &documentId, const Option &option)
{
    QCborMap broadcast;
    broadcast.insert(key("doc"), documentId);
    broadcast.insert(key("name"), option.name);
    broadcast.insert(key("value"), option.value);
    return broadcast;
}

Verdict verdictOf(const QCborValue &response)
{
    if (!response.isMap())
        return malformed(response, QStringLiteral("not a map"));
    const QString status = response[key("status")].toString();
    Verdict verdict;
    verdict.status = status;
    verdict.checked = int(response[key("checked")].toInteger());
    verdict.from = int(std::max<qint64>(1, response[key("from")].toInteger()));
    if (status == QLatin1String("ok")) {
        verdict.ok = true;
    } else if (status == QLatin1String("error")) {
        if (!response[key("message")].isString())
            return malformed(response, QStringLiteral("an error without a message"));
        verdict.step = int(response[key("step")].toInteger());
        verdict.line = int(response[key("line")].toInteger());
        verdict.column = int(response[key("column")].toInteger());
        verdict.message = response[key("message")].toString();
    } else if (status == QLatin1String("cancelled")) {
        verdict.message = QStringLiteral("cancelled");
    } else {
        return malformed(response, QStringLiteral("unknown status"));
    }
    return verdict;
}

} // namespace ProofLang
