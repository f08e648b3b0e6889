// Figure 2b: trivial inputs per second through TaskQueue::map() with 100
// inputs per request on 2 persistent workers, against Python's pool with
// chunksize 100.

#include "figures.h"
#include "floor.h"
#include "harness.h"

#include <QtCore/QFuture>

void mapFigures(Context &context, QList<Figure> *figures)
{
    const int inputs = context.scale(200000, 5000);
    double perSecond = 0;
    {
        Harness h;
        h.queue->setMaxWorkers(2);
        h.startPersistentWorkers(2);
        QList<QCborValue> values;
        values.reserve(inputs);
        for (int i = 0; i < inputs; ++i)
            values << QCborValue(i);
        Drover::MapOptions options;
        options.granularity = 100;
        QElapsedTimer clock;
        clock.start();
        QFuture<QCborValue> future = h.queue->map(values, options);
        Harness::until("map() to finish", [&] { return future.isFinished(); });
        perSecond = double(inputs) / (double(clock.nsecsElapsed()) / 1e9);
        if (future.isCanceled())
            throw BenchError("map() was cancelled: " + h.queue->failureOf(future).toStdString());
        if (future.resultCount() != inputs)
            throw BenchError("map() returned the wrong number of results");
    }
    const std::optional<double> python = Floor::pythonPool(2, inputs, 100);
    figures->append({.name = QStringLiteral("trivial inputs/s, map() granularity 100 (%1 inputs)").arg(inputs),
                     .unit = QStringLiteral("inputs/s"),
                     .value = perSecond,
                     .baselineName = QStringLiteral("Python ProcessPoolExecutor(2), chunksize 100"),
                     .baseline = python.value_or(0),
                     .goal = Figure::Goal::RatioAtLeast,
                     .target = 2,
                     .baselineNa = python ? QString() : QStringLiteral("n/a: no python3 on PATH")});
}
