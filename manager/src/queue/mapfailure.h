#pragma once

#include "drover/taskkind.h"

namespace Drover {
class TaskQueue;

namespace Internal {

//! What a map() future holds when one of its chunks did not end Done (and
//! its options say CancelAll). It names its queue, so that
//! TaskQueue::failureOf() speaks only of its own futures.
class MapFailure : public TaskFailure
{
public:
    MapFailure(const TaskQueue *queue, const QString &why)
        : TaskFailure(why.toStdString())
        , m_queue(queue)
    {
    }
    const TaskQueue *queue() const { return m_queue; }

private:
    const TaskQueue *m_queue;
};

} // namespace Internal
} // namespace Drover
