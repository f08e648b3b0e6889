#pragma once

// A manager with one queue (the scripted test kind unless told otherwise),
// what it reports counted as it happens, and waits that run the event loop
// without ever sleeping. A wait that times out throws BenchError: the
// figure is reported as failed and the Manager is destroyed on the way out,
// so no worker outlives the failure.

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include "support/scripted.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSet>

#include <functional>
#include <memory>
#include <stdexcept>

struct BenchError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

struct Harness
{
    //! With a launcher, every worker is remote: started through it and
    //! connected over TCP to 127.0.0.1 (docs/remote.md), with TLS unless
    //! `tls` is false.
    explicit Harness(const QString &kind = QStringLiteral("scripted"), const QString &launcher = {}, bool tls = true)
        : manager(std::make_unique<Drover::Manager>()), guard(std::make_unique<QObject>())
    {
        manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        manager->setTlsOnLoopback(tls);
        if (!launcher.isEmpty() && !manager->setRemoteWorkers(QStringLiteral("127.0.0.1:0"), launcher))
            throw BenchError("no remote workers: " + manager->errorString().toStdString());
        queue = manager->queue(kind);
        if (!queue)
            throw BenchError("no queue for kind " + kind.toStdString() + ": " + manager->errorString().toStdString());
        using Q = Drover::TaskQueue;
        on(&Q::taskFinished, [this](Drover::TaskId, const Drover::TaskResult &result) {
            ++finished;
            if (result.outcome != Drover::Outcome::Done)
                ++notDone;
            last = result;
        });
        on(&Q::workerStarted, [this](int id, qint64) { live.insert(id); });
        on(&Q::workerReady, [this](int id) { idle.insert(id); });
        on(&Q::workerIdle, [this](int id) { idle.insert(id); });
        on(&Q::workerBusy, [this](int id, Drover::TaskId) { idle.remove(id); });
        on(&Q::workerExited, [this](int id, const QString &) {
            live.remove(id);
            idle.remove(id);
        });
    }

    //! Destroying the manager reports Cancelled for what is left and exits
    //! its workers: nobody listens any more by then (what the callbacks
    //! touch may be gone).
    ~Harness()
    {
        guard.reset();
        manager.reset();
    }
    Harness(const Harness &) = delete;
    Harness &operator=(const Harness &) = delete;

    //! Connects a queue signal to a callback, for the Harness's lifetime.
    template <typename Signal, typename Callback>
    void on(Signal signal, Callback callback)
    {
        QObject::connect(queue, signal, guard.get(), std::move(callback));
    }

    //! Runs the event loop until done() holds; throws after the deadline.
    static void until(const char *what, const std::function<bool()> &done, int timeoutMs = 120000)
    {
        QElapsedTimer clock;
        clock.start();
        while (!done()) {
            if (clock.elapsed() > timeoutMs)
                throw BenchError(std::string("timed out waiting for ") + what);
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
    }

    //! Waits until `target` outcomes have been counted in all.
    void awaitFinished(qint64 target) const
    {
        until("task outcomes", [&] { return finished >= target; });
    }

    //! Starts `count` persistent workers (each runs one trivial task and
    //! stays) and waits until all of them are idle.
    void startPersistentWorkers(int count)
    {
        const qint64 target = finished + count;
        for (int i = 0; i < count; ++i)
            queue->enqueue(task(QStringLiteral("echo"), {}, true));
        awaitFinished(target);
        until("idle persistent workers", [&] { return live.size() == count && idle.size() == count; });
        expectAllDone();
    }

    //! Enqueues n trivial tasks for persistent workers at once (built
    //! before the clock starts) and waits for their outcomes; returns the
    //! seconds from the first enqueue to the last outcome.
    double drainTrivialTasks(int n)
    {
        QList<Drover::Task> tasks;
        tasks.reserve(n);
        for (int i = 0; i < n; ++i)
            tasks << task(QStringLiteral("echo"), i, true);
        const qint64 target = finished + n;
        QElapsedTimer clock;
        clock.start();
        for (Drover::Task &t : tasks)
            queue->enqueue(std::move(t));
        awaitFinished(target);
        return double(clock.nsecsElapsed()) / 1e9;
    }

    //! Runs n trivial tasks (persistent worker), so that the paths (first
    //! frames, allocator) are warm before a clock starts.
    void warmUp(int n)
    {
        const qint64 target = finished + n;
        for (int i = 0; i < n; ++i)
            queue->enqueue(task(QStringLiteral("echo"), i, true));
        awaitFinished(target);
    }

    //! One trivial task for a persistent worker, enqueue to outcome, in µs.
    double roundTripUs(int i)
    {
        const Drover::Task t = task(QStringLiteral("echo"), i, true);
        const qint64 target = finished + 1;
        QElapsedTimer clock;
        clock.start();
        queue->enqueue(t);
        awaitFinished(target);
        return double(clock.nsecsElapsed()) / 1000.0;
    }

    //! drover-bench's programs log only Drover's errors, unless told otherwise.
    static void quietLogs()
    {
        if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
            QLoggingCategory::setFilterRules(QStringLiteral("drover.*.info=false\ndrover.*.warning=false"));
    }

    void expectAllDone() const
    {
        if (notDone > 0)
            throw BenchError(std::to_string(notDone) + " tasks did not end done; the last: " +
                             Drover::outcomeName(last.outcome).toStdString() + " " + last.message.toStdString());
    }

    static Drover::Task task(const QString &op, const QCborValue &arg = {}, bool stay = false)
    {
        return TestSupport::scripted(op, arg, stay);
    }

    std::unique_ptr<Drover::Manager> manager;
    std::unique_ptr<QObject> guard; //!< the context of every connection
    Drover::TaskQueue *queue = nullptr;
    qint64 finished = 0;
    qint64 notDone = 0;
    Drover::TaskResult last;
    QSet<int> live;  //!< started and not yet exited
    QSet<int> idle;  //!< connected and without a task
};
