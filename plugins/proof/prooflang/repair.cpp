#include "repair.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCryptographicHash>

namespace ProofLang {

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}
} // namespace

QStringList stepTexts(const QCborValue &steps)
{
    QStringList texts;
    for (const QCborValue &step : steps.toArray())
        texts.append(step.isMap() ? step[key("text")].toString() : step.toString());
    return texts;
}

int commonPrefix(const QStringList &a, const QStringList &b)
{
    const qsizetype n = std::min(a.size(), b.size());
    qsizetype i = 0;
    while (i < n && a.at(i) == b.at(i))
        ++i;
    return int(i);
}

QByteArray prefixDigest(const QStringList &steps, int count)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (int i = 0; i < count && i < steps.size(); ++i) {
        hash.addData(steps.at(i).toUtf8());
        hash.addData(QByteArrayView("\n", 1)); // a step has no newline: the joints are unambiguous
    }
    return hash.result();
}

QCborValue resumeRequest(const QCborValue &payload, const QStringList &held, int after)
{
    if (after <= 0)
        return payload;
    QCborMap request = payload.toMap();
    const QCborArray steps = payload[key("steps")].toArray();
    QCborArray rest;
    for (qsizetype i = after; i < steps.size(); ++i)
        rest.append(steps.at(i));
    request.insert(key("steps"), rest);
    QCborMap resume;
    resume.insert(key("after"), after);
    resume.insert(key("digest"), prefixDigest(held, after));
    request.insert(key("resume"), resume);
    return request;
}

int resumeAfter(const QCborValue &request)
{
    return int(request[key("resume")][key("after")].toInteger());
}

std::optional<QString> resumeProblem(const QCborValue &request, const HeldProof &held)
{
    const QCborValue resume = request[key("resume")];
    if (resume.isUndefined())
        return std::nullopt;
    const QString doc = request[key("doc")].toString();
    const QString lemma = request[key("lemma")].toString();
    const qint64 after = resume[key("after")].toInteger();
    if (!held.holds(doc, lemma))
        return QStringLiteral("cannot resume lemma %1 after step %2: this worker holds %3")
            .arg(lemma)
            .arg(after)
            .arg(held.lemma.isEmpty() ? QStringLiteral("no lemma") : QStringLiteral("lemma %1").arg(held.lemma));
    if (after < 1 || after > held.steps.size()
        || prefixDigest(held.steps, int(after)) != resume[key("digest")].toByteArray())
        return QStringLiteral("cannot resume lemma %1 after step %2: this worker holds other steps (%3 held)")
            .arg(lemma)
            .arg(after)
            .arg(held.steps.size());
    return std::nullopt;
}

QCborValue holdPayload(const QString &doc, const QString &lemma, int checked, int worker)
{
    QCborMap payload;
    payload.insert(key("op"), QStringLiteral("hold"));
    payload.insert(key("doc"), doc);
    payload.insert(key("lemma"), lemma);
    payload.insert(key("checked"), checked);
    payload.insert(key("worker"), worker);
    return payload;
}

bool isHoldRequest(const QCborValue &payload)
{
    return payload[key("op")].toString() == QLatin1String("hold");
}

QCborValue hold(const QCborValue &request, HeldProof &held, int worker)
{
    const QString doc = request[key("doc")].toString();
    const QString lemma = request[key("lemma")].toString();
    const qint64 checked = request[key("checked")].toInteger();
    QCborMap answer;
    if (!held.holds(doc, lemma) || checked < 1 || checked > held.steps.size()) {
        answer.insert(key("status"), QStringLiteral("released"));
        answer.insert(key("message"), QStringLiteral("this worker does not hold the first %1 steps of %2")
                                          .arg(checked)
                                          .arg(lemma));
        return answer;
    }
    held.steps = held.steps.mid(0, checked);
    answer.insert(key("status"), QStringLiteral("holding"));
    answer.insert(key("doc"), doc);
    answer.insert(key("lemma"), lemma);
    answer.insert(key("checked"), checked);
    answer.insert(key("worker"), worker);
    return answer;
}

} // namespace ProofLang
