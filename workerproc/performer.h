#pragma once

#include "drover/task.h"

#include <QtCore/QByteArray>
#include <QtCore/QCborValue>
#include <QtCore/QObject>

#include <functional>

namespace Drover {
class TaskKind;
}
class WorkerState;

//! Runs the task kind's worker half on the compute thread (it is moved to a
//! QThread) and hands each finished task's answer, already encoded as a
//! frame, to the main thread through the given function.
class Performer : public QObject
{
    Q_OBJECT
public:
    using AnswerSink = std::function<void(const QByteArray &frame)>;

    Performer(Drover::TaskKind *kind, WorkerState *context, AnswerSink sink);

    void setMaxFrameSize(qint64 bytes) { m_maxFrameSize = bytes; }

    // compute thread
    void init();
    //! A batch request (TaskQueue::map) is an array: perform() runs once per
    //! element and the response is the array of their results.
    void perform(Drover::TaskId task, const QCborValue &request, bool batch);

private:
    QByteArray errorFrame(Drover::TaskId task, QLatin1StringView kind, const QString &message) const;

    Drover::TaskKind *m_kind;
    WorkerState *m_context;
    AnswerSink m_sink;
    qint64 m_maxFrameSize;
};
