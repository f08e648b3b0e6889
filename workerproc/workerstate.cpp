#include "workerstate.h"

WorkerState::WorkerState(int workerId, FeedbackSink sink)
    : m_workerId(workerId)
    , m_sink(std::move(sink))
{
}

void WorkerState::sendFeedback(const QCborValue &value)
{
    m_sink(m_task.load(), value);
}

bool WorkerState::isCancelled() const
{
    return m_cancelled.load(std::memory_order_relaxed);
}

QList<QCborValue> WorkerState::forwardedFeedback() const
{
    QMutexLocker lock(&m_mutex);
    return m_forwarded;
}

void WorkerState::beginTask(Drover::TaskId task)
{
    m_cancelled.store(false);
    m_task.store(task);
}

void WorkerState::cancel(Drover::TaskId task)
{
    if (task == m_task.load())
        m_cancelled.store(true);
}

void WorkerState::addForwarded(const QCborValue &value)
{
    QMutexLocker lock(&m_mutex);
    m_forwarded.append(value);
}

void WorkerState::clearForwarded()
{
    QMutexLocker lock(&m_mutex);
    m_forwarded.clear();
}
