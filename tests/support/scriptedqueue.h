#pragma once

// What most suites set up before each test function: a fresh Manager with
// the scripted test kind's queue (tests/scripted/) and a recorder of its
// outcomes; and what they check after it: no outcome reported twice, and no
// process left behind once the manager is gone.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"

#include <QtTest/QTest>

#include <chrono>
#include <functional>
#include <memory>

namespace TestSupport {

class ScriptedQueueFixture
{
protected:
    std::unique_ptr<Drover::Manager> m_manager;
    Drover::TaskQueue *m_queue = nullptr;
    std::unique_ptr<OutcomeRecorder> m_recorder;

    //! Replaces any manager made before. `configure` sees the new manager
    //! before the queue is made (a frame limit, a worker program, …).
    //! Fails the current test if the scripted kind does not load.
    void openScriptedQueue(const std::function<void(Drover::Manager &)> &configure = {})
    {
        m_recorder.reset();
        m_queue = nullptr;
        m_manager = std::make_unique<Drover::Manager>();
        m_manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        if (configure)
            configure(*m_manager);
        m_queue = m_manager->queue(QStringLiteral("scripted"));
        QVERIFY2(m_queue, qPrintable(m_manager->errorString()));
        m_recorder = std::make_unique<OutcomeRecorder>(m_queue);
    }

    //! Ends the manager, then waits up to `reap` for its processes to be
    //! gone (zero: they must be gone at once, as the destructor promises).
    void closeScriptedQueue(std::chrono::milliseconds reap = std::chrono::milliseconds(0))
    {
        if (m_recorder)
            QVERIFY2(m_recorder->duplicates.isEmpty(), "an outcome was reported twice");
        m_recorder.reset();
        m_queue = nullptr;
        m_manager.reset();
        // isEmpty(), not == {}: UBSan flags memcmp of an empty list with a null one.
        if (reap.count() > 0)
            QTRY_VERIFY2_WITH_TIMEOUT(childProcesses().isEmpty(), describeProcesses(childProcesses()).constData(), reap.count());
        else
            QVERIFY2(childProcesses().isEmpty(), describeProcesses(childProcesses()).constData());
    }
};

} // namespace TestSupport
