#include "checker.h"

#include "repair.h"
#include "steps.h"

#include <drover/taskkind.h>
#include <drover/workercontext.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QHash>

namespace ProofLang {

namespace {

QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

QHash<QString, QString> optionsOf(const QString &doc, const Drover::WorkerContext &context)
{
    QHash<QString, QString> options;
    for (const QCborValue &value : context.forwardedFeedback()) { // oldest first: the latest wins
        if (value.isMap() && value[key("doc")].toString() == doc)
            options.insert(value[key("name")].toString(), value[key("value")].toString());
    }
    return options;
}

bool isOn(const QString &value)
{
    static const QStringList yes{QStringLiteral("on"), QStringLiteral("true"), QStringLiteral("yes"),
                                 QStringLiteral("1")};
    return yes.contains(value, Qt::CaseInsensitive);
}

// Why a request cannot be checked, or an empty string when it can.
QString requestProblem(const QCborValue &request)
{
    if (!request.isMap())
        return QStringLiteral("the request is not a map");
    if (!request[key("steps")].isArray())
        return QStringLiteral("the request has no array of steps");
    for (const QCborValue &step : request[key("steps")].toArray()) {
        if (!step[key("text")].isString())
            return QStringLiteral("a step of the request has no text");
    }
    return {};
}

QCborMap malformedAnswer(qint64 checked)
{
    const char *status = "error";
    QCborMap map;
    map.insert(key("status"), QString::fromLatin1(status));
    map.insert(key("checked"), checked);
    return map;
}

} // namespace

QCborValue checkLemma(const QCborValue &request, Drover::WorkerContext &context, HeldProof *held)
{
    HeldProof none;
    if (!held)
        held = &none;
    if (const QString problem = requestProblem(request); !problem.isEmpty()) {
        QCborMap error = malformedAnswer(0);
        error.insert(key("step"), 0);
        error.insert(key("line"), 0);
        error.insert(key("message"), QStringLiteral("malformed proof request: %1").arg(problem));
        return error;
    }
    const QString doc = request[key("doc")].toString();
    const QString lemma = request[key("lemma")].toString();
    const bool verbose = isOn(optionsOf(doc, context).value(QStringLiteral("Verbose")));
    if (const std::optional<QString> problem = resumeProblem(request, *held))
        throw Drover::TaskFailure(problem->toStdString());
    // From here on this worker holds the steps of this lemma that held.
    const qint64 after = resumeAfter(request);
    if (!held->holds(doc, lemma) || after == 0)
        *held = HeldProof{doc, lemma, {}};
    held->steps = held->steps.mid(0, after);
    std::vector<std::unique_ptr<char[]>> memory; // what `alloc` took, freed on return

    qint64 step = 0;
    qint64 line = 0;
    auto feedback = [&](const QString &text) {
        QCborMap value;
        value.insert(key("doc"), doc);
        value.insert(key("lemma"), lemma);
        value.insert(key("step"), step);
        value.insert(key("line"), line);
        value.insert(key("text"), text);
        context.sendFeedback(value);
    };
    StepEnvironment environment;
    environment.cancelled = [&context] { return context.isCancelled(); };
    environment.say = feedback;
    environment.memory = &memory;
    environment.ask = [&context](const QCborValue &question, QString *error) {
        return context.ask(question, std::chrono::hours(1), error); // returns early when cancelled
    };

    const QCborArray steps = request[key("steps")].toArray();
    qint64 checked = after;
    if (after > 0) {
        step = after + 1;
        line = steps.isEmpty() ? 0 : steps.first()[key("line")].toInteger();
        feedback(steps.isEmpty() ? QStringLiteral("all %1 steps held before: nothing left to check").arg(after)
                                 : QStringLiteral("resuming from step %1").arg(after + 1));
    }
    auto answer = [&](const char *status) {
        QCborMap map;
        map.insert(key("status"), QString::fromLatin1(status));
        map.insert(key("checked"), checked);
        map.insert(key("from"), after + 1);
        map.insert(key("worker"), context.workerId());
        return map;
    };
    for (const QCborValue &s : steps) {
        step = s[key("number")].isInteger() ? s[key("number")].toInteger() : checked + 1;
        line = s[key("line")].toInteger();
        if (context.isCancelled())
            break;
        const std::optional<QString> failure = runStep(s[key("text")].toString(), environment);
        if (context.isCancelled())
            break;
        if (failure) {
            QCborMap error = answer("error");
            error.insert(key("step"), step);
            error.insert(key("line"), line);
            error.insert(key("column"), s[key("column")].toInteger());
            error.insert(key("message"), *failure);
            return error;
        }
        ++checked;
        held->steps.append(s[key("text")].toString());
        if (verbose)
            feedback(QStringLiteral("step %1 holds").arg(step));
    }
    if (context.isCancelled()) {
        QCborMap cancelled = answer("cancelled");
        cancelled.insert(key("step"), step);
        return cancelled;
    }
    return answer("ok");
}

} // namespace ProofLang
