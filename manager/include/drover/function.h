#pragma once

// Typed functions (rpc_parallel's Make_worker): a kind declares functions
// with a query type and a reply type, in a header both halves include; its
// workers implement them, its master calls them and gets a QFuture of the
// reply. A call with a query of another type, or an implementation of
// another signature, does not compile. Header-only; the types travel with
// their Codec (drover/message.h).
//
//   // geometry.h, included by the plugin and by the IDE:
//   struct Rect { double width, height; };             // with a Codec<Rect>
//   inline constexpr Drover::Function<Rect, double> area{"area"};
//
//   // the plugin's worker half:
//   GeometryKind::GeometryKind()
//   {
//       m_functions.implement(area, [](const Rect &r, Drover::WorkerContext &) { return r.width * r.height; });
//   }
//   QCborValue GeometryKind::perform(const QCborValue &request, Drover::WorkerContext &context)
//   {
//       return m_functions.perform(request, context);
//   }
//
//   // the master:
//   QFuture<double> a = Drover::call(queue, area, Rect{3, 4});

#include "drover/message.h"
#include "drover/taskqueue.h"

#include <QtCore/QCborMap>
#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPromise>
#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <exception>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace Drover {

//! A function of a kind: its name (unique within the kind), the type of its
//! query and of its reply, each with a Codec. A constant both halves see.
template<typename Query, typename Reply>
struct Function
{
    using QueryType = Query;
    using ReplyType = Reply;
    const char *name;
};

namespace FunctionCall {
inline QLatin1String functionKey() { return QLatin1String("function"); }
inline QLatin1String queryKey() { return QLatin1String("query"); }

//! The request of a call: {"function": name, "query": the encoded query}.
inline QCborValue request(const char *name, const QCborValue &query)
{
    return QCborMap{{functionKey(), QString::fromUtf8(name)}, {queryKey(), query}};
}

//! Whether a request is a call (a kind may take other requests too).
inline bool isCall(const QCborValue &request)
{
    return request.isMap() && request[functionKey()].isString() && request.toMap().contains(queryKey());
}
} // namespace FunctionCall

//! The worker half: an implementation per function, run by perform() for
//! the request of a call. Fill it in the kind's constructor; perform() may
//! then run on the worker's compute thread (it is not changed after).
class FunctionTable
{
public:
    //! `implementation` is called as Reply(const Query &, WorkerContext &);
    //! anything else does not compile. It may throw TaskFailure to fail the
    //! call with a message.
    template<typename Query, typename Reply, typename Implementation>
        requires std::is_invocable_r_v<Reply, Implementation &, const Query &, WorkerContext &>
    void implement(const Function<Query, Reply> &function, Implementation implementation)
    {
        m_functions.insert(QString::fromUtf8(function.name),
                           [implementation = std::move(implementation)](const QCborValue &query, WorkerContext &context) mutable {
                               const Query decoded = Message<Query>::decode(query);
                               return Message<Reply>::encode(std::invoke(implementation, decoded, context));
                           });
    }

    //! Runs the function a call names and returns its encoded reply. Throws
    //! TaskFailure (which fails the task with its text) for a request that
    //! is not a call, a function this worker does not implement, or a query
    //! of another type.
    QCborValue perform(const QCborValue &request, WorkerContext &context) const
    {
        if (!FunctionCall::isCall(request))
            throw TaskFailure("the request is not a function call ({\"function\": name, \"query\": value})");
        const QString name = request[FunctionCall::functionKey()].toString();
        const auto it = m_functions.constFind(name);
        if (it == m_functions.constEnd()) {
            QStringList known = m_functions.keys();
            known.sort();
            throw TaskFailure(QStringLiteral("this worker has no implementation of function \"%1\" (it has: %2)")
                                  .arg(name, known.isEmpty() ? QStringLiteral("none") : known.join(QLatin1String(", ")))
                                  .toStdString());
        }
        try {
            return it.value()(request[FunctionCall::queryKey()], context);
        } catch (const TaskFailure &failure) {
            throw TaskFailure(QStringLiteral("function \"%1\": %2").arg(name, QString::fromStdString(failure.what())).toStdString());
        }
    }

private:
    QHash<QString, std::function<QCborValue(const QCborValue &, WorkerContext &)>> m_functions;
};

//! The master half: queues a call of `function` on `queue` as a task
//! (`task`'s options and priority hold; its payload is replaced) and returns
//! the future of the reply. The future holds a TaskFailure when the task
//! does not end Done (its outcome and message) or its reply is not a Reply;
//! it is cancelled when the task ends Cancelled, and cancelling it cancels
//! the task. Call on the queue's thread; the future is fulfilled there.
template<typename Query, typename Reply>
QFuture<Reply> call(TaskQueue *queue, const Function<Query, Reply> &function, const std::type_identity_t<Query> &query,
                    Task task = {})
{
    task.payload = FunctionCall::request(function.name, Message<Query>::encode(query));
    const QString name = QString::fromUtf8(function.name);
    auto promise = std::make_shared<QPromise<Reply>>();
    QFuture<Reply> reply = promise->future();
    promise->start();
    QFuture<TaskResult> submitted = queue->submit(std::move(task));
    // A continuation's cancel does not reach the future it follows: the
    // watcher carries the caller's cancel to the task.
    auto *watcher = new QFutureWatcher<Reply>(queue);
    QObject::connect(watcher, &QFutureWatcherBase::canceled, queue, [submitted]() mutable { submitted.cancel(); });
    watcher->setFuture(reply);
    submitted
        .then(queue,
              [promise, name, watcher](const TaskResult &result) {
                  watcher->deleteLater();
                  if (result.outcome != Outcome::Done) {
                      promise->setException(std::make_exception_ptr(TaskFailure(
                          QStringLiteral("function \"%1\": %2: %3").arg(name, outcomeName(result.outcome), result.message).toStdString())));
                  } else {
                      QString error;
                      std::optional<Reply> decoded = Message<Reply>::tryDecode(result.response, &error);
                      if (decoded)
                          promise->addResult(std::move(*decoded));
                      else
                          promise->setException(std::make_exception_ptr(
                              TaskFailure(QStringLiteral("function \"%1\": the reply: %2").arg(name, error).toStdString())));
                  }
                  promise->finish();
              })
        .onCanceled(queue, [promise, watcher] {
            watcher->deleteLater();
            promise->future().cancel();
            promise->finish();
        });
    return reply;
}

} // namespace Drover
