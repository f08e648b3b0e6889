#pragma once

// Running a kind's worker half in the test's own process: perform() with a
// real WorkerContext that records what it was sent and answers what the
// test sets, with no manager, worker process or socket. A debugger and a
// sanitizer see the kind's code directly; then run it for real through a
// Manager. Header-only, part of Drover::PluginApi.
//
//     MyKind kind;
//     const Drover::Testing::Performed run = Drover::Testing::perform(kind, request);
//     QCOMPARE(run.response, expected);
//     QCOMPARE(run.feedback.size(), 3);

#include "drover/taskkind.h"
#include "drover/workercontext.h"

#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>

namespace Drover::Testing {

//! A WorkerContext for perform() in the test's process. Set what the worker
//! would receive (forwarded feedback, the worker environment, messages from
//! the master, the answer to ask()) before perform(); read what it sent
//! after. cancel() and post() may be called from any thread while perform()
//! runs on another.
class LocalContext : public WorkerContext
{
public:
    //! What forwardedFeedback() returns, oldest first.
    QList<QCborValue> forwarded;
    //! What workerEnvironment() returns.
    QCborValue environment;
    //! What workerId() returns.
    int id = 1;
    //! Answers ask(); unset, ask() fails as it does without a request handler.
    std::function<std::optional<QCborValue>(const QCborValue &question)> answer;

    //! What perform() sent with sendFeedback() and sendMessage(), in order
    //! (read them after perform() returned).
    QList<QCborValue> feedback;
    QList<QCborValue> sentMessages;

    //! Asks the task to stop, as TaskQueue::cancel() does.
    void cancel()
    {
        m_cancelled = true;
        std::lock_guard lock(m_mutex);
        m_wake.notify_all();
    }
    //! A message from the master for receiveMessage(), as TaskQueue::sendMessage().
    void post(const QCborValue &message)
    {
        std::lock_guard lock(m_mutex);
        m_inbox.append(message);
        m_wake.notify_all();
    }

    void sendFeedback(const QCborValue &value) override
    {
        std::lock_guard lock(m_mutex);
        feedback.append(value);
    }
    bool isCancelled() const override { return m_cancelled; }
    QList<QCborValue> forwardedFeedback() const override { return forwarded; }
    int workerId() const override { return id; }
    QCborValue workerEnvironment() const override { return environment; }
    void sendMessage(const QCborValue &value) override
    {
        std::lock_guard lock(m_mutex);
        sentMessages.append(value);
    }
    std::optional<QCborValue> receiveMessage(std::chrono::milliseconds wait) override
    {
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, wait, [this] { return !m_inbox.isEmpty() || m_cancelled; });
        if (m_inbox.isEmpty() || m_cancelled)
            return std::nullopt;
        return m_inbox.takeFirst();
    }
    std::optional<QCborValue> ask(const QCborValue &question, std::chrono::milliseconds, QString *error) override
    {
        if (!answer) {
            if (error)
                *error = QStringLiteral("no request handler is set (LocalContext::answer)");
            return std::nullopt;
        }
        std::optional<QCborValue> reply = answer(question);
        if (!reply && error)
            *error = QStringLiteral("the request handler gave no answer");
        return reply;
    }

    //! initWorker() has run on this context (perform() runs it first).
    bool initialized = false;

private:
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    QList<QCborValue> m_inbox;
};

//! How perform() ended: a response, or the message of the exception it
//! threw (TaskFailure's, as the task would end Failed), and what it sent.
struct Performed
{
    std::optional<QCborValue> response;
    QString failure;
    QList<QCborValue> feedback;
    QList<QCborValue> sentMessages;
};

//! Runs initWorker() (once per context, as a worker does before its first
//! task) and perform() on this thread, catching what it throws as
//! drover-worker does.
inline Performed perform(TaskKind &kind, const QCborValue &request, LocalContext &context)
{
    Performed result;
    try {
        if (!context.initialized) {
            context.initialized = true;
            kind.initWorker(context);
        }
        result.response = kind.perform(request, context);
    } catch (const std::exception &error) {
        result.failure = QString::fromUtf8(error.what());
    } catch (...) {
        result.failure = QStringLiteral("perform() threw something that is not a std::exception");
    }
    result.feedback = context.feedback;
    result.sentMessages = context.sentMessages;
    return result;
}

//! The same with a new context of worker id 1.
inline Performed perform(TaskKind &kind, const QCborValue &request)
{
    LocalContext context;
    return perform(kind, request, context);
}

} // namespace Drover::Testing
