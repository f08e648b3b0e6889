#pragma once

// Collects every outcome a TaskQueue reports, so a test can assert that each
// task got exactly one, and wait for them.

#include "drover/taskqueue.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QEventLoop>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>

#include <functional>
#include <QtTest/QTest>

namespace TestSupport {

class OutcomeRecorder : public QObject
{
public:
    explicit OutcomeRecorder(Drover::TaskQueue *queue)
    {
        connect(queue, &Drover::TaskQueue::taskFinished, this,
                [this](Drover::TaskId id, const Drover::TaskResult &result) {
                    if (results.contains(id))
                        duplicates << id;
                    results.insert(id, result);
                    order << id;
                    if (m_onOutcome)
                        m_onOutcome();
                });
        connect(queue, &Drover::TaskQueue::taskFeedback, this,
                [this](Drover::TaskId id, const QCborValue &value) {
                    if (results.contains(id))
                        lateFeedback << id;
                    feedback[id] << value;
                });
    }

    //! Waits (generously) until every one of ids has an outcome. It runs an
    //! event loop that wakes on each outcome (QTest::qWaitFor would sleep
    //! 10 ms between polls and make a volume test measure its own naps).
    bool waitFor(const QList<Drover::TaskId> &ids, int timeoutMs = 60000)
    {
        QSet<Drover::TaskId> missing;
        for (Drover::TaskId id : ids) {
            if (!results.contains(id))
                missing.insert(id);
        }
        if (missing.isEmpty())
            return true;
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        m_onOutcome = [&] {
            if (missing.remove(order.last()) && missing.isEmpty())
                loop.quit();
        };
        deadline.start(timeoutMs);
        loop.exec();
        m_onOutcome = nullptr;
        return missing.isEmpty();
    }
    bool waitFor(Drover::TaskId id, int timeoutMs = 60000) { return waitFor(QList<Drover::TaskId>{id}, timeoutMs); }

    Drover::TaskResult result(Drover::TaskId id) const { return results.value(id); }

    QHash<Drover::TaskId, Drover::TaskResult> results;
    QHash<Drover::TaskId, QList<QCborValue>> feedback;
    QList<Drover::TaskId> order;
    QList<Drover::TaskId> duplicates;
    QList<Drover::TaskId> lateFeedback;

private:
    std::function<void()> m_onOutcome;
};

} // namespace TestSupport
