#include "queue/deadlines.h"

#include "queue/taskbook.h"

using namespace std::chrono_literals;

namespace Drover::Internal {

void Deadlines::armRunLimits(TaskRecord &record, int workerId)
{
    const TaskOptions &options = record.task.options;
    // The kill timer follows the term timer when both are set (the queue
    // arms it when the term timer expires).
    if (options.termTimeout > 0ms)
        arm(record, Kind::Term, options.termTimeout, workerId);
    else if (options.killTimeout > 0ms)
        arm(record, Kind::Kill, options.killTimeout, workerId);
}

void Deadlines::arm(TaskRecord &record, Kind kind, std::chrono::milliseconds after, int workerId)
{
    auto timer = std::make_unique<QTimer>();
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
    const TaskId task = record.task.id;
    connect(timer.get(), &QTimer::timeout, this, [this, task, workerId, kind] { emit expired(task, workerId, kind); });
    timer->start(after);
    switch (kind) {
    case Kind::Term:
        record.termTimer = std::move(timer);
        break;
    case Kind::Kill:
        record.killTimer = std::move(timer);
        break;
    case Kind::Grace:
        record.graceTimer = std::move(timer);
        break;
    }
}

void Deadlines::disarm(TaskRecord &record)
{
    record.termTimer.reset();
    record.killTimer.reset();
    record.graceTimer.reset();
}

} // namespace Drover::Internal
