#pragma once

#include <QtCore/QList>

#include <algorithm>

//! Order statistics of samples, in whatever unit they were taken.
struct Stats
{
    static double percentile(QList<double> samples, double p)
    {
        if (samples.isEmpty())
            return 0;
        std::sort(samples.begin(), samples.end());
        const qsizetype index = std::min<qsizetype>(samples.size() - 1, qsizetype(p / 100.0 * double(samples.size())));
        return samples.at(index);
    }
    static double median(const QList<double> &samples) { return percentile(samples, 50); }
};
