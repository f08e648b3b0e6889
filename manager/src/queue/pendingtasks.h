#pragma once

#include "drover/task.h"

#include <set>

namespace Drover::Internal {

//! The order in which queued tasks are offered to workers: higher priority
//! first, then enqueue order (ids grow). Insert, remove and re-prioritise are
//! O(log n); the first task in order is O(1).
class PendingTasks
{
public:
    struct Key
    {
        int priority;
        TaskId id;
        bool operator<(const Key &other) const
        {
            return priority != other.priority ? priority > other.priority : id < other.id;
        }
    };
    using const_iterator = std::set<Key>::const_iterator;

    void insert(TaskId id, int priority) { m_order.insert({priority, id}); }
    bool remove(TaskId id, int priority) { return m_order.erase({priority, id}) > 0; }

    bool isEmpty() const { return m_order.empty(); }
    qsizetype size() const { return qsizetype(m_order.size()); }
    const_iterator begin() const { return m_order.begin(); }
    const_iterator end() const { return m_order.end(); }

private:
    std::set<Key> m_order;
};

} // namespace Drover::Internal
