#include "queue/scheduler.h"

#include "queue/taskbook.h"

#include <algorithm>

namespace Drover::Internal::Scheduler {

std::optional<TaskId> chooseTask(const TaskBook &book, TaskKind &kind, const WorkerStatus &status, int workerId)
{
    std::optional<TaskId> best;
    int bestAffinity = 0;
    int bestPriority = 0;
    int scanned = 0;
    const PendingTasks &pending = book.pending();
    for (auto it = pending.begin(); it != pending.end(); ++it) {
        if (best && (it->priority < bestPriority || ++scanned > AffinityWindow))
            break;
        const Task &task = book.task(it->id);
        if (task.pinnedWorker != 0) {
            if (task.pinnedWorker == workerId)
                return it->id; // the caller chose this worker
            continue;
        }
        if (!kind.taskMatch(status, task))
            continue;
        if (status.fresh)
            return it->id;
        const int affinity = kind.taskAffinity(status, task);
        if (!best && affinity == NoAffinity)
            return it->id; // the kind does not rank tasks: queue order, and no further look
        if (!best || affinity > bestAffinity) {
            best = it->id;
            bestAffinity = affinity;
            bestPriority = it->priority;
        }
    }
    return best;
}

PoolPlan planPool(const PoolCounts &c)
{
    PoolPlan plan;
    const int cap = capacity(c);
    int live = c.live;
    int starting = c.starting;

    // Workers for what is queued, up to the pool size; none while backing
    // off from workers that die young.
    while (!c.backingOff && live < c.maxWorkers && c.queued > starting) {
        ++plan.spawnForTasks;
        ++live;
        ++starting;
    }

    // Warm spares: fresh workers started, connected and idle ahead of need,
    // beyond those the queued tasks will take. They are topped up a moment
    // later, not at once: starting a process blocks the thread for a few
    // milliseconds, which would delay the answer of the task that just took
    // the last spare.
    int uncommitted = c.freshIdle + starting - int(std::min<qsizetype>(c.queued, starting));
    if (uncommitted < c.spareTarget && live < cap && !c.backingOff) {
        if (c.topUpDue) {
            while (uncommitted < c.spareTarget && live < cap) {
                ++plan.spawnSpares;
                ++live;
                ++uncommitted;
            }
        } else {
            plan.delayTopUp = true;
        }
    }

    // Full of idle Old workers that match nothing queued: retire one, so
    // that a fresh worker can take the work (no task starves).
    int idle = c.freshIdle + c.oldIdle;
    if (c.queued > 0 && live >= cap && starting == 0 && c.busy < c.maxWorkers && c.oldIdle > 0) {
        plan.retireOldIdle = true;
        --live;
        --idle;
    }

    // A shrunk pool: idle workers beyond the capacity go.
    plan.shrinkBy = std::clamp(live - cap, 0, idle);
    return plan;
}

} // namespace Drover::Internal::Scheduler
