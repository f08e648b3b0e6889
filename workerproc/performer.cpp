#include "performer.h"

#include "drover/taskkind.h"
#include "wire.h"
#include "workerstate.h"

#include <QtCore/QCborArray>

#include <exception>
#include <new>

using namespace Drover;
namespace Wire = Drover::Internal::Wire;

Performer::Performer(TaskKind *kind, WorkerState *context, AnswerSink sink)
    : m_kind(kind)
    , m_context(context)
    , m_sink(std::move(sink))
    , m_maxFrameSize(Wire::DefaultMaxFrameSize)
{
}

void Performer::init()
{
    m_kind->initWorker(*m_context);
}

QByteArray Performer::errorFrame(TaskId task, QLatin1StringView kind, const QString &message) const
{
    QCborMap error = Wire::message(Wire::Type::Error);
    error.insert(Wire::Key::Task, qint64(task));
    error.insert(Wire::Key::ErrorKind, kind);
    error.insert(Wire::Key::Message, message);
    return Wire::encodeFrame(error, m_maxFrameSize);
}

void Performer::perform(TaskId task, const QCborValue &request, bool batch)
{
    m_context->setPerforming(task);
    QByteArray frame;
    try {
        QCborValue response;
        if (batch) {
            QCborArray results;
            for (const QCborValue &item : request.toArray()) {
                if (m_context->isCancelled())
                    break;
                results.append(m_kind->perform(item, *m_context));
            }
            response = results;
        } else {
            response = m_kind->perform(request, *m_context);
        }
        QCborMap answer = Wire::message(Wire::Type::Response);
        answer.insert(Wire::Key::Task, qint64(task));
        answer.insert(Wire::Key::Body, std::move(response));
        frame = Wire::encodeFrame(answer, m_maxFrameSize);
        if (frame.isEmpty()) {
            frame = errorFrame(task, Wire::ErrorMarshal,
                               QStringLiteral("the response exceeds the frame limit of %1 bytes").arg(m_maxFrameSize));
        }
    } catch (const std::bad_alloc &) {
        frame = errorFrame(task, Wire::ErrorFailed,
                           QStringLiteral("out of memory: an allocation failed (the worker's address-space "
                                          "limit, or the machine's memory, is exhausted)"));
    } catch (const std::exception &e) {
        frame = errorFrame(task, Wire::ErrorFailed, QString::fromLocal8Bit(e.what()));
    } catch (...) {
        frame = errorFrame(task, Wire::ErrorFailed, QStringLiteral("perform() threw an unknown exception"));
    }
    m_context->setPerforming(0);
    m_sink(frame);
}
