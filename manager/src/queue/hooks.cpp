#include "drover/hooks.h"

#include "drover/taskqueue.h"

namespace Drover {

TaskContext::TaskContext(TaskQueue *queue, TaskId task, int workerId)
    : m_queue(queue)
    , m_task(task)
    , m_workerId(workerId)
{
}

bool TaskContext::sendMessage(const QCborValue &value) const
{
    return m_queue && m_queue->sendMessage(m_task, value);
}

WorkerRequest::WorkerRequest(QCborValue question, TaskId task, int workerId, Reply reply)
    : m_question(std::move(question))
    , m_task(task)
    , m_workerId(workerId)
    , m_reply(std::move(reply))
    , m_answered(std::make_shared<bool>(false))
{
}

void WorkerRequest::answer(const QCborValue &value) const
{
    if (std::exchange(*m_answered, true))
        return;
    m_reply(value, {});
}

void WorkerRequest::fail(const QString &error) const
{
    if (std::exchange(*m_answered, true))
        return;
    m_reply({}, error.isEmpty() ? QStringLiteral("the master could not answer") : error);
}

} // namespace Drover
