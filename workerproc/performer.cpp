#include "performer.h"

#include "drover/taskkind.h"
#include "managerlink.h"
#include "wire/wire.h"
#include "workerstate.h"

#include <QtCore/QCborArray>
#include <QtCore/QCoreApplication>

#include <algorithm>
#include <exception>
#include <new>
#include <optional>

using namespace Drover;
namespace Wire = Drover::Internal::Wire;

namespace {
QString describe(std::exception_ptr exception)
{
    try {
        std::rethrow_exception(exception);
    } catch (const std::bad_alloc &) {
        return QStringLiteral("out of memory: an allocation failed (the worker's address-space "
                              "limit, or the machine's memory, is exhausted)");
    } catch (const std::exception &e) {
        return QString::fromLocal8Bit(e.what());
    } catch (...) {
        return QStringLiteral("perform() threw an unknown exception");
    }
}
} // namespace

Performer::Performer(TaskKind *kind, WorkerState *context, ManagerLink *link)
    : m_kind(kind)
    , m_context(context)
    , m_link(link)
{
    setObjectName(QStringLiteral("drover-compute"));
}

Performer::~Performer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    wait();
    // wait() orders the thread's end before what follows through Qt's own
    // (uninstrumented) mutex; taking ours once more makes that ordering
    // visible to ThreadSanitizer, which otherwise reports the delete.
    std::lock_guard lock(m_mutex);
}

void Performer::postInit()
{
    post({});
}

void Performer::postTask(TaskId task, QCborValue request, bool batch)
{
    post({task, std::move(request), batch});
}

bool Performer::withdraw(TaskId task)
{
    std::lock_guard lock(m_mutex);
    const auto it = std::find_if(m_jobs.begin(), m_jobs.end(), [task](const Job &job) { return job.task == task; });
    if (it == m_jobs.end())
        return false;
    m_jobs.erase(it);
    return true;
}

void Performer::post(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void Performer::run()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        if (job.task == 0) {
            m_kind->initWorker(*m_context);
            warmUp();
        } else
            perform(job);
        // What the kind's code posted to this thread (deleteLater(), queued
        // calls) runs between jobs, as it would in an event loop.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
}

// A spare's first task should cost what any other does. While the worker
// waits for it, this thread builds, encodes and decodes a message like a
// task's: its first allocations create its malloc arena, and the code a
// task runs through is paged in.
void Performer::warmUp()
{
    QCborMap body;
    body.insert(QLatin1String("warm"), QCborArray{1, QStringLiteral("up"), true});
    Wire::FrameWriter writer;
    const QByteArrayView frame = Wire::frameOf(writer, Wire::Response{0, body}, Wire::DefaultMaxFrameSize);
    Wire::FrameReader reader;
    reader.addData(frame.toByteArray());
    reader.drain([](const Wire::Received &message) {
        Wire::decode<Wire::Request>(message);
        return true;
    });
}

void Performer::sendError(TaskId task, Wire::Error::Kind kind, const QString &message)
{
    if (m_link->send(Wire::Error{qint64(task), kind, message}))
        return;
    // An exception's text larger than a frame: its start, so the task still ends.
    const qsizetype keep = qsizetype(std::min<qint64>(1024, m_link->maxFrameSize() / 8));
    m_link->send(Wire::Error{qint64(task), kind,
                             message.left(keep) + QStringLiteral("... (cut: the text exceeds the frame limit)")});
}

void Performer::perform(const Job &job)
{
    m_context->beginTask(job.task);
    m_context->setPerforming(job.task);
    QCborValue response;
    std::optional<QString> failure;
    try {
        if (job.batch) {
            QCborArray results;
            const QCborArray items = job.request.toArray(); // not a copy per begin()
            for (const QCborValue &item : items) {
                if (m_context->isCancelled())
                    break;
                results.append(m_kind->perform(item, *m_context));
            }
            response = results;
        } else {
            response = m_kind->perform(job.request, *m_context);
        }
    } catch (...) {
        failure = describe(std::current_exception());
    }
    m_context->setPerforming(0);
    // The task is over before its answer leaves: the manager may send the
    // next request the moment it reads the answer.
    m_context->endTask();
    // Feedback or a message that could not be sent ends the task as a
    // marshal error, as an oversized response does: nothing is lost unsaid.
    if (const QString unsent = m_context->takeUnsent(); !unsent.isEmpty()) {
        if (failure) {
            *failure += QStringLiteral(" (besides, %1)").arg(unsent);
        } else {
            sendError(job.task, Wire::Error::Kind::Marshal, unsent);
            return;
        }
    }
    if (!failure) {
        try {
            if (m_link->send(Wire::Response{qint64(job.task), response}))
                return;
            sendError(job.task, Wire::Error::Kind::Marshal,
                      QStringLiteral("the response exceeds the frame limit of %1 bytes").arg(m_link->maxFrameSize()));
            return;
        } catch (...) {
            failure = describe(std::current_exception());
        }
    }
    sendError(job.task, Wire::Error::Kind::Failed, *failure);
}
