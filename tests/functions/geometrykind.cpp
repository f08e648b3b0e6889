#include "geometrykind.h"

#include "geometry.h"

#include <chrono>
#include <thread>

using namespace Geometry;

GeometryKind::GeometryKind()
{
    m_functions.implement(area, [](const Rect &r, Drover::WorkerContext &) { return r.width * r.height; });
    m_functions.implement(square, [](const Rect &r, Drover::WorkerContext &) {
        const double side = std::max(r.width, r.height);
        return Rect{side, side};
    });
    m_functions.implement(wait, [](int ms, Drover::WorkerContext &context) {
        for (int waited = 0; waited < ms && !context.isCancelled(); waited += 10)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return ms;
    });
    m_functions.implement(checked, [](int n, Drover::WorkerContext &) {
        if (n < 0)
            throw Drover::TaskFailure("negative");
        return n;
    });
}

Drover::Decision GeometryKind::useResponse(const Drover::WorkerStatus &, const Drover::Task &, const QCborValue &)
{
    return Drover::Decision::keep({});
}

QCborValue GeometryKind::perform(const QCborValue &request, Drover::WorkerContext &context)
{
    return m_functions.perform(request, context);
}
