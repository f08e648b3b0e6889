#pragma once

#include "drover/task.h"

#include <QtCore/QCborValue>
#include <QtCore/QDateTime>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Drover {

//! A snapshot of one worker of a TaskQueue, for monitors and tests.
struct WorkerInfo
{
    enum class State {
        Starting, //!< process started, hello not yet received
        Idle,     //!< connected, waiting for a task
        Busy,     //!< running currentTask
        Stopping, //!< told to quit, killed by Drover or by a kill control; waiting for it to exit
    };

    int id = -1; //!< unique among the workers of its Manager (all queues), never reused
    qint64 pid = 0;
    State state = State::Starting;
    bool fresh = true;          //!< WorkerStatus::fresh
    QCborValue competence;      //!< WorkerStatus::competence when !fresh
    TaskId currentTask = 0;     //!< 0 unless Busy (or Stopping in the middle of its task)
    //! A task sent ahead while it runs currentTask (prefetch,
    //! TaskQueue::setPrefetch()): it starts it next unless it is given back;
    //! 0 when none. Its taskStarted() comes when it starts.
    TaskId heldTask = 0;
    QDateTime startedAt;        //!< when the process was started
    int tasksDone = 0;          //!< responses received from it
    qint64 rssBytes = 0;        //!< resident memory of the worker process when the snapshot was taken
    //! Resident memory of the processes the worker started that still run
    //! (its descendants, e.g. a coqidetop or coqc in a process group of its
    //! own), which rssBytes does not count; 0 when it started none.
    qint64 descendantRssBytes = 0;
    //! Those processes' program names, biggest first.
    QStringList descendantNames;
};

} // namespace Drover
