#pragma once

#include "drover/taskqueue.h"

#include <QtCore/QFile>
#include <QtCore/QString>

#include <memory>

namespace Drover::Internal {

//! Where each channel of a queue's workers' output goes
//! (TaskQueue::setOutputTarget()): the signal, a file, or nowhere. The
//! files are the queue's, shared by all its workers, written a whole line
//! at a time.
class OutputRoutes
{
public:
    using Channel = TaskQueue::OutputChannel;
    using Target = TaskQueue::OutputTarget;

    //! Opens the file of a file target; false with *error when it cannot
    //! (the previous route stays).
    bool set(Channel channel, Target target, const QString &path, QString *error);
    Target target(Channel channel) const { return m_routes[index(channel)].target; }

    //! Takes a line: true when it is for workerOutput(); otherwise it was
    //! written or dropped. A write that fails sets *failure, the first
    //! time for each file.
    bool deliver(Channel channel, const QString &line, QString *failure);

private:
    struct Route
    {
        Target target = Target::Signal;
        std::unique_ptr<QFile> file;
        bool failureReported = false;
    };
    static int index(Channel channel) { return channel == Channel::StandardError ? 1 : 0; }

    Route m_routes[2];
};

} // namespace Drover::Internal
