// Round trip and throughput against raw socketpairs and Python's pool.

#include "figures.h"
#include "floor.h"
#include "harness.h"
#include "stats.h"

using namespace Drover;

void roundTripFigures(const Sizes &sizes, QList<Figure> *figures, double *roundTripUs)
{
    const int n = sizes.scale(3000, 100);
    Harness h;
    for (int i = 0; i < 50; ++i)
        h.queue->enqueue(Harness::task(QStringLiteral("echo")));
    Harness::until([&] { return h.finished == 50; });
    QList<double> samples;
    QElapsedTimer clock;
    for (int i = 0; i < n; ++i) {
        const qint64 before = h.finished;
        clock.start();
        h.queue->enqueue(Harness::task(QStringLiteral("echo"), i));
        Harness::until([&] { return h.finished > before; });
        samples << double(clock.nsecsElapsed()) / 1000.0;
    }
    const QList<double> floor = Floor::socketpairRoundTrips(sizes.scale(20000, 500));
    *roundTripUs = Stats::median(samples);
    figures->append({QStringLiteral("round trip, trivial task, persistent worker (median)"), QStringLiteral("µs"),
                     Stats::median(samples), QStringLiteral("socketpair 64 B ping-pong"), Stats::median(floor),
                     Figure::Goal::RatioAtMost, 3});
    figures->append({QStringLiteral("round trip, trivial task, persistent worker (p99)"), QStringLiteral("µs"),
                     Stats::percentile(samples, 99), QStringLiteral("socketpair p99"), Stats::percentile(floor, 99),
                     Figure::Goal::RatioAtMost, 3});
}

void throughputFigures(const Sizes &sizes, QList<Figure> *figures)
{
    const int n = sizes.scale(40000, 1000);
    double perSecond = 0;
    {
        Harness h;
        h.queue->setMaxWorkers(2);
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < n; ++i)
            h.queue->enqueue(Harness::task(QStringLiteral("echo"), i));
        Harness::until([&] { return h.finished == n; });
        perSecond = double(n) / (double(clock.nsecsElapsed()) / 1e9);
    }
    const double floor = Floor::socketpairThroughput(2, sizes.scale(400000, 10000));
    const double python = Floor::pythonPool(2, sizes.scale(20000, 500), 1);
    figures->append({QStringLiteral("trivial tasks/s, 2 persistent workers"), QStringLiteral("tasks/s"), perSecond,
                     QStringLiteral("socketpair, 2 C workers"), floor, Figure::Goal::None, 0,
                     QStringLiteral("the floor's rate divided by ours: %1x (goal <= 3x)").arg(floor / perSecond, 0, 'f', 1)});
    figures->append({QStringLiteral("trivial tasks/s, 2 persistent workers vs Python"), QStringLiteral("tasks/s"), perSecond,
                     QStringLiteral("ProcessPoolExecutor(2), chunksize 1"), python, Figure::Goal::RatioAtLeast, 5,
                     python > 0 ? QString() : QStringLiteral("n/a: no python3")});

    // map() with granularity 100.
    const int inputs = sizes.scale(400000, 10000);
    double mapped = 0;
    {
        Harness h;
        h.queue->setMaxWorkers(2);
        QList<QCborValue> values;
        values.reserve(inputs);
        for (int i = 0; i < inputs; ++i)
            values << QCborValue(i);
        MapOptions options;
        options.granularity = 100;
        QElapsedTimer clock;
        clock.start();
        QFuture<QCborValue> future = h.queue->map(values, options);
        Harness::until([&] { return future.isFinished(); });
        mapped = double(inputs) / (double(clock.nsecsElapsed()) / 1e9);
    }
    const double pythonChunked = Floor::pythonPool(2, sizes.scale(400000, 10000), 100);
    figures->append({QStringLiteral("trivial inputs/s, map() granularity 100"), QStringLiteral("inputs/s"), mapped,
                     QStringLiteral("ProcessPoolExecutor(2), chunksize 100"), pythonChunked, Figure::Goal::RatioAtLeast, 2,
                     pythonChunked > 0 ? QString() : QStringLiteral("n/a: no python3")});
}
