#include "queue/taskbook.h"

#include <algorithm>

namespace Drover::Internal {

TaskRecord &TaskBook::add(Task task, std::unique_ptr<TaskHooks> hooks, bool batch)
{
    const TaskId id = task.id;
    const int priority = task.priority;
    TaskRecord &record = m_records[id];
    record.task = std::move(task);
    record.hooks = std::move(hooks);
    record.batch = batch;
    m_pending.insert(id, priority);
    if (record.task.pinnedWorker != 0)
        ++m_pinnedQueued;
    return record;
}

TaskRecord *TaskBook::find(TaskId id)
{
    auto it = m_records.find(id);
    return it == m_records.end() ? nullptr : &it->second;
}

const TaskRecord *TaskBook::find(TaskId id) const
{
    auto it = m_records.find(id);
    return it == m_records.end() ? nullptr : &it->second;
}

void TaskBook::markRunning(TaskRecord &record, int workerId)
{
    unqueue(record);
    record.state = TaskRecord::State::Running;
    record.workerId = workerId;
    ++record.attempts;
    if (!record.clock.isValid())
        record.clock.start();
}

void TaskBook::markHeld(TaskRecord &record, int workerId)
{
    unqueue(record);
    record.state = TaskRecord::State::Held;
    record.workerId = workerId;
    record.stale = false;
}

void TaskBook::requeue(TaskRecord &record)
{
    record.state = TaskRecord::State::Queued;
    record.workerId = -1;
    record.stale = false;
    m_pending.insert(record.task.id, record.task.priority);
    if (record.task.pinnedWorker != 0)
        ++m_pinnedQueued;
}

bool TaskBook::setPriority(TaskId id, int priority)
{
    TaskRecord *record = find(id);
    if (!record || record->state != TaskRecord::State::Queued)
        return false;
    m_pending.remove(id, record->task.priority);
    record->task.priority = priority;
    m_pending.insert(id, priority);
    return true;
}

std::optional<TaskBook::Ended> TaskBook::close(TaskId id, Outcome outcome, const QString &message,
                                               const QCborValue &response)
{
    auto it = m_records.find(id);
    if (it == m_records.end())
        return std::nullopt;
    Ended ended{std::move(it->second), {}};
    m_records.erase(it);
    TaskRecord &record = ended.record;
    if (record.state == TaskRecord::State::Queued)
        unqueue(record);
    TaskResult &result = ended.result;
    result.outcome = outcome;
    result.response = response;
    result.message = message;
    result.workerId = record.workerId;
    result.attempts = record.attempts;
    if (record.clock.isValid())
        result.elapsed = std::chrono::milliseconds(record.clock.elapsed());
    return ended;
}

QList<TaskId> TaskBook::queuedIds() const
{
    QList<TaskId> ids;
    ids.reserve(m_pending.size());
    for (const auto &key : m_pending)
        ids << key.id;
    return ids;
}

QList<TaskId> TaskBook::ids(bool runningOnly) const
{
    QList<TaskId> ids;
    ids.reserve(qsizetype(m_records.size()));
    for (const auto &[id, record] : m_records) {
        if (!runningOnly || record.state == TaskRecord::State::Running)
            ids << id;
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace Drover::Internal
