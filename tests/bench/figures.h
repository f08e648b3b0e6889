#pragma once

#include "table.h"

#include <QtCore/QList>

//! How big each measurement is: the full run, or a smoke run.
struct Sizes
{
    bool quick = false;
    int scale(int full, int small) const { return quick ? small : full; }
};

// Each appends its figures (with baselines measured in the same run).
void roundTripFigures(const Sizes &sizes, QList<Figure> *figures, double *roundTripUs);
void throughputFigures(const Sizes &sizes, QList<Figure> *figures);
void freshWorkerFigures(const Sizes &sizes, double roundTripUs, QList<Figure> *figures, double *spawnToReadyMs);
void faultFigures(const Sizes &sizes, double roundTripUs, double spawnToReadyMs, QList<Figure> *figures);
void memoryFigures(const Sizes &sizes, QList<Figure> *figures);
void scalingFigures(const Sizes &sizes, QList<Figure> *figures);
