#pragma once

#include "drover/task.h"
#include "drover/workercontext.h"

#include <QtCore/QList>
#include <QtCore/QMutex>

#include <atomic>
#include <functional>

//! The worker's WorkerContext: what perform() sees of its task and master.
//! The main thread updates it (cancel, broadcasts); the compute thread reads
//! it. Feedback is handed to the main thread through the given function.
class WorkerState : public Drover::WorkerContext
{
public:
    using FeedbackSink = std::function<void(Drover::TaskId task, const QCborValue &value)>;

    WorkerState(int workerId, FeedbackSink sink);

    void sendFeedback(const QCborValue &value) override;
    bool isCancelled() const override;
    QList<QCborValue> forwardedFeedback() const override;
    int workerId() const override { return m_workerId; }

    // main thread
    void beginTask(Drover::TaskId task);
    void cancel(Drover::TaskId task);
    void addForwarded(const QCborValue &value);
    void clearForwarded();

private:
    const int m_workerId;
    FeedbackSink m_sink;
    std::atomic<Drover::TaskId> m_task{0};
    std::atomic<bool> m_cancelled{false};
    mutable QMutex m_mutex;
    QList<QCborValue> m_forwarded;
};
