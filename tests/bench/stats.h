#pragma once

// Order statistics of samples, in whatever unit they were taken.

#include <QtCore/QList>

#include <algorithm>
#include <cmath>

namespace Stats {

//! Nearest-rank percentile (p in 0..100); 0 without samples.
inline double percentile(QList<double> samples, double p)
{
    if (samples.isEmpty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(samples.size())));
    return samples.at(std::clamp<qsizetype>(rank - 1, 0, samples.size() - 1));
}

inline double median(const QList<double> &samples)
{
    return percentile(samples, 50);
}

} // namespace Stats
