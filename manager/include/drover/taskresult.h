#pragma once

#include "drover/global.h"

#include <QtCore/QCborValue>
#include <QtCore/QMetaType>
#include <QtCore/QString>

#include <chrono>

namespace Drover {

//! How a task ended. Every task reaches exactly one outcome, reported once.
enum class Outcome {
    Done,         //!< the worker answered; the response is in TaskResult::response
    Failed,       //!< perform() threw: TaskResult::message says why
    Cancelled,    //!< TaskQueue::cancel(), or the queue was stopped
    Dropped,      //!< requestOfTask() returned nullopt: the task was obsolete
    TimedOut,     //!< its termTimeout/killTimeout fired
    WorkerDied,   //!< its worker died, retries exhausted; message is the exit status
    MarshalError, //!< request or response could not be encoded, decoded, or it (or the task's feedback or messages) was too large
};

//! The stable lower-case name of an outcome ("done", "worker-died", ...).
DROVER_EXPORT QString outcomeName(Outcome outcome);

struct TaskResult
{
    Outcome outcome = Outcome::Done;
    QCborValue response;                 //!< set for Done
    QString message;                     //!< human-readable reason for every other outcome
    int workerId = -1;                   //!< the last worker that ran it (-1: never ran)
    int attempts = 0;                    //!< how many times it was sent to a worker
    std::chrono::milliseconds elapsed{0}; //!< from the first start to the end (0 if never started)
};

} // namespace Drover

Q_DECLARE_METATYPE(Drover::TaskResult)
