#pragma once

#include "drover/task.h"

#include <QtCore/QObject>

#include <chrono>

namespace Drover::Internal {

struct TaskRecord;

//! The timers of running tasks: the run limits a task's options ask for
//! (termTimeout, then killTimeout) and the grace a cancelled task has to
//! stop. They live in the task's record, so they end with it; expired()
//! says which ran out, and the queue decides what that means for the worker.
class Deadlines : public QObject
{
    Q_OBJECT
public:
    enum class Kind {
        Term,  //!< termTimeout passed: send termSignal
        Kill,  //!< killTimeout passed: SIGKILL
        Grace, //!< a cancelled task did not stop within the cancel grace
    };

    using QObject::QObject;

    //! Starts the run limits of a task that just went to worker workerId.
    void armRunLimits(TaskRecord &record, int workerId);
    //! Starts one timer of the record.
    void arm(TaskRecord &record, Kind kind, std::chrono::milliseconds after, int workerId);
    //! Stops every timer of the record.
    static void disarm(TaskRecord &record);

Q_SIGNALS:
    //! A timer of task `task`, armed while it ran on worker `workerId`,
    //! ran out (the task may have moved on since: check).
    void expired(Drover::TaskId task, int workerId, Drover::Internal::Deadlines::Kind kind);
};

} // namespace Drover::Internal
