#include "upperkind.h"

#include <QtCore/QStringList>

QCborValue UpperKind::perform(const QCborValue &request, Drover::WorkerContext &context)
{
    if (!request.isString())
        throw Drover::TaskFailure("upper wants a string");
    QStringList words;
    for (const QString &word : request.toString().split(QLatin1Char(' '))) {
        if (context.isCancelled())
            break;
        words << word.toUpper();
        context.sendFeedback(words.last());
    }
    return words.join(QLatin1Char(' '));
}
