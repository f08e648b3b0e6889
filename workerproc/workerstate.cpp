#include "workerstate.h"

#include <utility>

using namespace Drover;

WorkerState::WorkerState(int workerId, Outbox outbox)
    : m_workerId(workerId)
    , m_outbox(std::move(outbox))
{
}

void WorkerState::sendFeedback(const QCborValue &value)
{
    const TaskId task = m_performing.load();
    if (const QString why = m_outbox.feedback(task, value); !why.isEmpty())
        noteUnsent(task, why);
}

void WorkerState::noteUnsent(TaskId task, const QString &why)
{
    if (task == 0) {
        m_outbox.unsent(why);
        return;
    }
    std::lock_guard lock(m_mutex);
    if (m_unsent.isEmpty())
        m_unsent = why;
}

QString WorkerState::takeUnsent()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_unsent, QString());
}

bool WorkerState::isCancelled() const
{
    return m_cancelled.load(std::memory_order_relaxed);
}

QList<QCborValue> WorkerState::forwardedFeedback() const
{
    std::lock_guard lock(m_mutex);
    return m_forwarded;
}

QCborValue WorkerState::workerEnvironment() const
{
    std::lock_guard lock(m_mutex);
    return m_environment;
}

void WorkerState::sendMessage(const QCborValue &value)
{
    const TaskId task = m_performing.load();
    if (const QString why = m_outbox.message(task, value); !why.isEmpty())
        noteUnsent(task, why);
}

std::optional<QCborValue> WorkerState::receiveMessage(std::chrono::milliseconds wait)
{
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, wait, [this] { return !m_inbox.empty() || isCancelled(); });
    if (m_inbox.empty() || isCancelled())
        return std::nullopt;
    QCborValue value = std::move(m_inbox.front());
    m_inbox.pop_front();
    return value;
}

std::optional<QCborValue> WorkerState::ask(const QCborValue &question, std::chrono::milliseconds timeout,
                                           QString *error)
{
    quint64 serial = 0;
    {
        std::lock_guard lock(m_mutex);
        serial = m_nextSerial++;
        m_answers.insert(serial, {});
    }
    if (const QString why = m_outbox.ask(m_performing.load(), serial, question); !why.isEmpty()) {
        std::lock_guard lock(m_mutex);
        m_answers.remove(serial);
        if (error)
            *error = why;
        return std::nullopt;
    }
    std::unique_lock lock(m_mutex);
    // A cancelled task stops waiting: its answer would come too late to use.
    const bool withinTask = m_task.load() != 0;
    const bool arrived = m_wake.wait_for(lock, timeout, [&] {
        return m_answers.value(serial).arrived || (withinTask && isCancelled());
    });
    const Answer answer = m_answers.take(serial);
    if (!answer.arrived && withinTask && isCancelled()) {
        if (error)
            *error = QStringLiteral("the task was cancelled while waiting for the answer");
        return std::nullopt;
    }
    if (!arrived) {
        if (error)
            *error = QStringLiteral("the master did not answer within %1 ms").arg(timeout.count());
        return std::nullopt;
    }
    if (!answer.error.isEmpty()) {
        if (error)
            *error = answer.error;
        return std::nullopt;
    }
    return answer.value;
}

void WorkerState::setEnvironment(const QCborValue &environment)
{
    std::lock_guard lock(m_mutex);
    m_environment = environment;
}

WorkerState::Waiting *WorkerState::waiting(TaskId task)
{
    for (Waiting &w : m_waiting) {
        if (w.task == task)
            return &w;
    }
    return nullptr;
}

bool WorkerState::receive(TaskId task)
{
    std::lock_guard lock(m_mutex);
    // The running task's answer leaves after endTask(): once the master can
    // have read it, m_task is 0, so a master that sends the next request as
    // soon as it reads an answer never finds more than two.
    if ((m_task.load() != 0 ? 1 : 0) + m_waiting.size() >= 2)
        return false;
    m_waiting.push_back({task, {}, false});
    return true;
}

void WorkerState::dropWaiting(TaskId task)
{
    std::lock_guard lock(m_mutex);
    for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
        if (it->task == task) {
            m_waiting.erase(it);
            return;
        }
    }
}

bool WorkerState::hasTasks() const
{
    std::lock_guard lock(m_mutex);
    return m_task.load() != 0 || !m_waiting.empty();
}

void WorkerState::beginTask(TaskId task)
{
    std::lock_guard lock(m_mutex);
    m_inbox.clear();
    m_unsent.clear();
    m_cancelled.store(false);
    for (auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
        if (it->task == task) {
            m_inbox = std::move(it->inbox);
            m_cancelled.store(it->cancelled);
            m_waiting.erase(it);
            break;
        }
    }
    m_task.store(task);
}

void WorkerState::endTask()
{
    std::lock_guard lock(m_mutex);
    m_task.store(0);
    m_inbox.clear();
}

void WorkerState::cancel(TaskId task)
{
    {
        std::lock_guard lock(m_mutex);
        if (task != m_task.load()) {
            // Cancelled before it began: it begins cancelled.
            if (Waiting *w = waiting(task))
                w->cancelled = true;
            return;
        }
        m_cancelled.store(true);
    }
    m_wake.notify_all();
}

void WorkerState::addForwarded(const QCborValue &value)
{
    std::lock_guard lock(m_mutex);
    m_forwarded.append(value);
}

void WorkerState::clearForwarded()
{
    std::lock_guard lock(m_mutex);
    m_forwarded.clear();
}

void WorkerState::deliverMessage(TaskId task, const QCborValue &value)
{
    {
        std::lock_guard lock(m_mutex);
        if (task != m_task.load()) {
            // For a task that has not begun: it finds it when it does. For
            // one that ended meanwhile: dropped.
            if (Waiting *w = waiting(task))
                w->inbox.push_back(value);
            return;
        }
        m_inbox.push_back(value);
    }
    m_wake.notify_all();
}

void WorkerState::deliverAnswer(quint64 serial, const QCborValue &answer, const QString &error)
{
    {
        std::lock_guard lock(m_mutex);
        auto it = m_answers.find(serial);
        if (it == m_answers.end())
            return; // the asker gave up
        it->arrived = true;
        it->value = answer;
        it->error = error;
    }
    m_wake.notify_all();
}
