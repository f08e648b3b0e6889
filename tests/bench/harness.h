#pragma once

// A manager with one queue of the scripted test kind, and ways to wait for
// what it reports without sleeping.

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include "support/scripted.h"

#include <QtCore/QCborMap>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>

#include <functional>
#include <memory>

struct Harness
{
    explicit Harness(const QString &kind = QStringLiteral("scripted"))
        : manager(std::make_unique<Drover::Manager>())
    {
        manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        queue = manager->queue(kind);
        if (!queue)
            qFatal("drover-bench: %s", qPrintable(manager->errorString()));
        QObject::connect(queue, &Drover::TaskQueue::taskFinished,
                         [this](Drover::TaskId, const Drover::TaskResult &) { ++finished; });
    }

    //! Runs the event loop until done() or the deadline; never sleeps.
    static bool until(const std::function<bool()> &done, int timeoutMs = 120000)
    {
        QElapsedTimer clock;
        clock.start();
        while (!done()) {
            if (clock.elapsed() > timeoutMs)
                return false;
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
        return true;
    }

    static Drover::Task task(const QString &op, const QCborValue &arg = {}, bool stay = true)
    {
        return TestSupport::scripted(op, arg, stay);
    }

    std::unique_ptr<Drover::Manager> manager;
    Drover::TaskQueue *queue = nullptr;
    qint64 finished = 0;
};
