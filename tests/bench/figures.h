#pragma once

// The figures, one function per --only name, and the measurements several
// of them share as a baseline (taken once per run, on first use).

#include "table.h"

#include <QtCore/QList>

#include <optional>

class Context
{
public:
    explicit Context(bool quick) : quick(quick) {}

    const bool quick;
    int scale(int full, int small) const { return quick ? small : full; }

    struct RoundTrip { QList<double> droverUs, floorUs; };
    struct FreshWorker { QList<double> readyMs, cycleMs; };

    //! Trivial tasks on a persistent worker, and the socketpair ping-pong.
    const RoundTrip &roundTrip();
    double roundTripMedianUs();
    //! Fresh workers: spawn to ready, and whole fresh task cycles.
    const FreshWorker &freshWorker();
    double spawnToReadyMedianMs();

private:
    std::optional<RoundTrip> m_roundTrip;
    std::optional<FreshWorker> m_freshWorker;
};

// Measurements behind the shared baselines (roundtrip.cpp, fresh.cpp).
Context::RoundTrip measureRoundTrip(const Context &context);
Context::FreshWorker measureFreshWorker(const Context &context);

using FigureFunction = void (*)(Context &, QList<Figure> *);

void roundTripFigures(Context &, QList<Figure> *);
void throughputFigures(Context &, QList<Figure> *);
void mapFigures(Context &, QList<Figure> *);
void freshWorkerFigures(Context &, QList<Figure> *);
void warmSpareFigures(Context &, QList<Figure> *);
void killFigures(Context &, QList<Figure> *);
void cancelFigures(Context &, QList<Figure> *);
void idleRssFigures(Context &, QList<Figure> *);
void queuedMemoryFigures(Context &, QList<Figure> *);
void dispatchScalingFigures(Context &, QList<Figure> *);
void speedUpFigures(Context &, QList<Figure> *);
void proofSpeedUpFigures(Context &, QList<Figure> *);
void mainJobFigures(Context &, QList<Figure> *);
