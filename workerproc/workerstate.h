#pragma once

#include "drover/task.h"
#include "drover/workercontext.h"

#include <QtCore/QHash>
#include <QtCore/QList>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

//! The worker's WorkerContext: what perform() sees of its task and master.
//! The main thread updates it (cancel, broadcasts, messages, answers); the
//! compute thread reads it and blocks in receiveMessage() and ask(). What
//! goes to the master is sent through an Outbox.
class WorkerState : public Drover::WorkerContext
{
public:
    //! Called on the compute thread; sends the value to the master before
    //! it returns. Each returns why it could not (the frame limit), empty
    //! when it sent. `unsent` tells the master what was not sent outside a
    //! task.
    struct Outbox
    {
        std::function<QString(Drover::TaskId task, const QCborValue &value)> feedback;
        std::function<QString(Drover::TaskId task, const QCborValue &value)> message;
        std::function<QString(Drover::TaskId task, quint64 serial, const QCborValue &question)> ask;
        std::function<void(const QString &why)> unsent;
    };

    WorkerState(int workerId, Outbox outbox);

    // compute thread (WorkerContext)
    void sendFeedback(const QCborValue &value) override;
    bool isCancelled() const override;
    QList<QCborValue> forwardedFeedback() const override;
    int workerId() const override { return m_workerId; }
    QCborValue workerEnvironment() const override;
    void sendMessage(const QCborValue &value) override;
    std::optional<QCborValue> receiveMessage(std::chrono::milliseconds wait) override;
    std::optional<QCborValue> ask(const QCborValue &question, std::chrono::milliseconds timeout,
                                  QString *error) override;

    // compute thread: which task what perform() sends belongs to (0 in initWorker)
    void setPerforming(Drover::TaskId task) { m_performing.store(task); }

    // main thread
    void setEnvironment(const QCborValue &environment);
    //! A request came. It waits until the compute thread begins it; what
    //! the master sends for it meanwhile (messages, cancel) is kept for it.
    //! False when the worker already has two tasks whose answers have not
    //! left (the one it runs and one held: prefetch, docs/wire.md).
    bool receive(Drover::TaskId task);
    //! A held request was given back (Withdraw) before it began.
    void dropWaiting(Drover::TaskId task);
    //! Whether a task runs or waits (its answer has not left yet).
    bool hasTasks() const;
    // compute thread: the task's perform() starts now
    void beginTask(Drover::TaskId task);
    //! The task perform() runs and whose answer has not left yet (0: none).
    Drover::TaskId currentTask() const { return m_task.load(); }
    // compute thread, before the task's answer is sent
    void endTask();
    //! Why feedback or a message of the task was not sent (the first such),
    //! empty if all went: the task then ends MarshalError.
    QString takeUnsent();
    // main thread
    void cancel(Drover::TaskId task);
    void addForwarded(const QCborValue &value);
    void clearForwarded();
    void deliverMessage(Drover::TaskId task, const QCborValue &value);
    void deliverAnswer(quint64 serial, const QCborValue &answer, const QString &error);

private:
    //! A request received and not begun yet, with what came for it.
    struct Waiting
    {
        Drover::TaskId task = 0;
        std::deque<QCborValue> inbox;
        bool cancelled = false;
    };
    Waiting *waiting(Drover::TaskId task); // m_mutex held

    struct Answer
    {
        bool arrived = false;
        QCborValue value;
        QString error;
    };

    //! A value of `task` was not sent: remembered for the task's end, or
    //! reported at once outside a task.
    void noteUnsent(Drover::TaskId task, const QString &why);

    const int m_workerId;
    Outbox m_outbox;
    std::atomic<Drover::TaskId> m_task{0};       // the task begun and not answered yet
    std::atomic<Drover::TaskId> m_performing{0}; // the task perform() runs (compute thread's view)
    std::atomic<bool> m_cancelled{false};

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    QList<QCborValue> m_forwarded;
    QCborValue m_environment;
    std::deque<QCborValue> m_inbox;
    std::deque<Waiting> m_waiting; // received, not begun: at most two
    QHash<quint64, Answer> m_answers;
    QString m_unsent;
    quint64 m_nextSerial = 1;
};
