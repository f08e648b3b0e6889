#pragma once

// The functions of the `geometry` test kind, as a kind's author declares
// them: one header that the plugin and its master both include.

#include <drover/function.h>

#include <QtCore/QCborArray>

namespace Geometry {

struct Rect
{
    double width = 0;
    double height = 0;
};

//! The area of a rectangle.
inline constexpr Drover::Function<Rect, double> area{"area"};
//! The smallest square that holds a rectangle.
inline constexpr Drover::Function<Rect, Rect> square{"square"};
//! Waits `ms` milliseconds (stopping early when cancelled), then answers them.
inline constexpr Drover::Function<int, int> wait{"wait"};
//! Fails with TaskFailure("negative") for a negative number.
inline constexpr Drover::Function<int, int> checked{"checked"};
//! Declared, and on purpose implemented by no worker.
inline constexpr Drover::Function<Rect, double> perimeter{"perimeter"};

} // namespace Geometry

template<>
struct Drover::Codec<Geometry::Rect>
{
    static constexpr const char *name = "Rect";
    static QCborValue encode(const Geometry::Rect &r) { return QCborArray{r.width, r.height}; }
    static std::optional<Geometry::Rect> decode(const QCborValue &v)
    {
        const QCborArray a = v.toArray();
        if (!v.isArray() || a.size() != 2 || !(a[0].isDouble() || a[0].isInteger()) || !(a[1].isDouble() || a[1].isInteger()))
            return std::nullopt;
        return Geometry::Rect{a[0].toDouble(), a[1].toDouble()};
    }
};
