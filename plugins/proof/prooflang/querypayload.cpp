// The `query` kind's data: a query's task payload, the index broadcast that
// Search reads, and reading the worker's answer. See docs/language.md.

#include "prooflang.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

namespace ProofLang {

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

QueryAnswer unanswered(const QString &message)
{
    QueryAnswer answer;
    answer.message = message;
    return answer;
}
} // namespace

QCborValue queryPayload(const QString &documentId, const Query &query)
{
    QCborMap payload;
    payload.insert(key("doc"), documentId);
    payload.insert(key("line"), query.line);
    payload.insert(key("column"), query.column);
    payload.insert(key("text"), query.text);
    return payload;
}

QCborValue indexBroadcast(const QString &documentId, const Document &document)
{
    QCborArray index;
    for (const Lemma &lemma : document.lemmas) {
        QCborMap entry;
        entry.insert(key("lemma"), lemma.name);
        entry.insert(key("statement"), lemma.statement);
        entry.insert(key("line"), lemma.line);
        index.append(entry);
    }
    QCborMap broadcast;
    broadcast.insert(key("doc"), documentId);
    broadcast.insert(key("index"), index);
    return broadcast;
}

QueryAnswer queryAnswerOf(const QCborValue &response)
{
    const QString status = response[key("status")].toString();
    if (status == QLatin1String("answered") && response[key("answer")].isString()) {
        QueryAnswer answer;
        answer.answered = true;
        answer.answer = response[key("answer")].toString();
        return answer;
    }
    if (status == QLatin1String("error") && response[key("message")].isString())
        return unanswered(response[key("message")].toString());
    if (status == QLatin1String("cancelled"))
        return unanswered(QStringLiteral("cancelled"));
    return unanswered(QStringLiteral("malformed answer from the query worker: %1")
                          .arg(response.toDiagnosticNotation(QCborValue::Compact).left(120)));
}

} // namespace ProofLang
