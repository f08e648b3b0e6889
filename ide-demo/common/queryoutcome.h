#pragma once

#include <drover/taskresult.h>

#include <QtCore/QString>

namespace DroverDemo {

//! How one query (`Eval`, `Search`) ended.
struct QueryOutcome
{
    QString status;   //!< answered, error, crashed, timeout or cancelled
    QString answer;   //!< when answered
    QString message;  //!< why not, otherwise
    bool answered() const { return status == QLatin1String("answered"); }
};

//! Reads a `query` task's result: a response is answered or error; a task
//! that ended without one has the word a lemma would (stateWithoutResponse()).
QueryOutcome queryOutcomeOf(const Drover::TaskResult &result);

} // namespace DroverDemo
