// Figure 1: a trivial task's round trip (enqueue -> taskFinished) on a
// persistent worker, against a 64-byte socketpair ping-pong. Measured as the
// scheduler places the processes, and again with everything on one CPU.

#include "figures.h"
#include "floor.h"
#include "harness.h"
#include "pin.h"
#include "stats.h"

namespace {
QList<double> droverRoundTrips(int n)
{
    Harness h;
    h.startPersistentWorkers(1);
    h.warmUp(50);
    QList<double> samples;
    samples.reserve(n);
    for (int i = 0; i < n; ++i)
        samples << h.roundTripUs(i);
    h.expectAllDone();
    return samples;
}

Figure row(const QString &name, const QList<double> &drover, const QString &baselineName, const QList<double> &floor,
           double p)
{
    return {.name = name,
            .unit = QStringLiteral("µs"),
            .value = Stats::percentile(drover, p),
            .baselineName = baselineName,
            .baseline = Stats::percentile(floor, p),
            .goal = Figure::Goal::RatioAtMost,
            .target = 3};
}
} // namespace

Context::RoundTrip measureRoundTrip(const Context &context)
{
    Context::RoundTrip result;
    result.droverUs = droverRoundTrips(context.scale(2000, 50));
    result.floorUs = Floor::socketpairRoundTrips(context.scale(20000, 500));
    return result;
}

void roundTripFigures(Context &context, QList<Figure> *figures)
{
    const Context::RoundTrip &rt = context.roundTrip();
    figures->append(row(QStringLiteral("round trip, trivial task, persistent worker (median of %1)").arg(rt.droverUs.size()),
                        rt.droverUs, QStringLiteral("socketpair 64 B ping-pong, median"), rt.floorUs, 50));
    figures->append(row(QStringLiteral("round trip, trivial task, persistent worker (p99)"), rt.droverUs,
                        QStringLiteral("socketpair 64 B ping-pong, p99"), rt.floorUs, 99));

    QList<double> drover, floor;
    {
        PinnedToOneCpu pin;
        if (!pin.pinned())
            throw BenchError("cannot pin the bench to one CPU");
        drover = droverRoundTrips(context.scale(2000, 50));
        floor = Floor::socketpairRoundTrips(context.scale(20000, 500));
    }
    Figure pinned = row(QStringLiteral("round trip as above, every process on one CPU (median)"), drover,
                        QStringLiteral("socketpair ping-pong on one CPU, median"), floor, 50);
    pinned.note = QStringLiteral("one CPU: no cross-CPU wake-ups, so the ratio is the software's own cost; "
                                 "p99 %1 µs against %2 µs")
                      .arg(Stats::percentile(drover, 99), 0, 'f', 1)
                      .arg(Stats::percentile(floor, 99), 0, 'f', 1);
    figures->append(pinned);
}
