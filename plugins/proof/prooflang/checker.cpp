#include "checker.h"

#include "steps.h"

#include <drover/workercontext.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

#include <list>
#include <vector>

namespace ProofLang {

namespace {
QHash<QString, QString> optionsOf(const QString &doc, const Drover::WorkerContext &context)
{
    QHash<QString, QString> options;
    for (const QCborValue &value : context.forwardedFeedback()) {
        if (value[QLatin1String("doc")].toString() == doc)
            options.insert(value[QLatin1String("name")].toString(), value[QLatin1String("value")].toString());
    }
    return options;
}

bool isOn(const QString &value)
{
    return value == QLatin1String("on") || value == QLatin1String("true") || value == QLatin1String("1");
}
} // namespace

QCborValue checkLemma(const QCborValue &request, Drover::WorkerContext &context)
{
    const QString doc = request[QLatin1String("doc")].toString();
    const QString lemma = request[QLatin1String("lemma")].toString();
    const bool verbose = isOn(optionsOf(doc, context).value(QStringLiteral("Verbose")));
    std::list<std::vector<char>> held; // alloc'd memory, freed when the lemma ends

    int currentStep = 0, currentLine = 0;
    auto feedback = [&](const QString &text) {
        QCborMap fb;
        fb.insert(QLatin1String("lemma"), lemma);
        fb.insert(QLatin1String("step"), currentStep);
        fb.insert(QLatin1String("line"), currentLine);
        fb.insert(QLatin1String("text"), text);
        context.sendFeedback(fb);
    };
    StepEnvironment environment;
    environment.cancelled = [&context] { return context.isCancelled(); };
    environment.say = feedback;
    environment.hold = [&held](qint64 megabytes) {
        std::vector<char> block(size_t(megabytes) << 20);
        for (size_t i = 0; i < block.size(); i += 4096)
            block[i] = 1; // touch every page: resident, not just reserved
        held.push_back(std::move(block));
    };

    QCborMap answer;
    const QCborArray steps = request[QLatin1String("steps")].toArray();
    for (const QCborValue &step : steps) {
        currentStep = int(step[QLatin1String("n")].toInteger());
        currentLine = int(step[QLatin1String("line")].toInteger());
        if (context.isCancelled())
            break;
        const std::optional<QString> failure = runStep(step[QLatin1String("text")].toString(), environment);
        if (context.isCancelled())
            break;
        if (failure) {
            answer.insert(QLatin1String("status"), QStringLiteral("error"));
            answer.insert(QLatin1String("step"), currentStep);
            answer.insert(QLatin1String("line"), currentLine);
            answer.insert(QLatin1String("message"), *failure);
            return answer;
        }
        if (verbose)
            feedback(QStringLiteral("step %1 holds").arg(currentStep));
    }
    if (context.isCancelled()) {
        answer.insert(QLatin1String("status"), QStringLiteral("cancelled"));
        answer.insert(QLatin1String("step"), currentStep);
        return answer;
    }
    answer.insert(QLatin1String("status"), QStringLiteral("ok"));
    answer.insert(QLatin1String("steps"), qint64(steps.size()));
    return answer;
}

} // namespace ProofLang
