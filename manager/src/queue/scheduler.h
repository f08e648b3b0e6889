#pragma once

#include "drover/task.h"
#include "drover/taskkind.h"

#include <optional>

namespace Drover::Internal {

class TaskBook;

//! The queue's choices, as functions of what it knows: no processes,
//! timers or signals, so each can be tested on its own (tst_scheduler).
namespace Scheduler {

//! How many tasks past the first match an Old worker looks at for a better
//! affinity (a window, so a long queue costs nothing extra).
inline constexpr int AffinityWindow = 64;

//! The queued task a worker in this state takes: the first it matches in
//! queued order, or for an Old worker the one of highest affinity among
//! the first AffinityWindow it matches at the top priority it matches.
//! nullopt when it matches none. A task pinned to a worker
//! (Task::pinnedWorker) goes to that worker, `workerId`, in queued order
//! whatever taskMatch() says, and to no other.
std::optional<TaskId> chooseTask(const TaskBook &book, TaskKind &kind, const WorkerStatus &status, int workerId = 0);

//! The pool as dispatch sees it once idle workers have taken what they can.
struct PoolCounts
{
    int maxWorkers = 1;      //!< the pool size
    int spareTarget = 0;     //!< warm spares wanted now
    int live = 0;            //!< started and not told to quit
    int starting = 0;        //!< of those, not connected yet
    int busy = 0;            //!< of those, running a task
    int freshIdle = 0;       //!< of those, idle and fresh
    int oldIdle = 0;         //!< of those, idle and Old
    qsizetype queued = 0;    //!< tasks waiting that any worker may take (not pinned to one)
    bool backingOff = false; //!< workers are dying young: start none now
    bool topUpDue = false;   //!< the spare top-up delay has passed
};

//! What dispatch does with the pool.
struct PoolPlan
{
    int spawnForTasks = 0;     //!< workers to start for queued tasks
    int spawnSpares = 0;       //!< warm spares to start now
    bool delayTopUp = false;   //!< spares are missing: top up a moment later
    bool retireOldIdle = false; //!< the pool is full of Old workers that match nothing queued
    int shrinkBy = 0;          //!< idle workers beyond capacity to retire
};

//! How many workers may live: the pool size plus the warm spares wanted.
inline int capacity(const PoolCounts &c) { return c.maxWorkers + c.spareTarget; }

PoolPlan planPool(const PoolCounts &counts);

} // namespace Scheduler
} // namespace Drover::Internal
