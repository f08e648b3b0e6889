// Proof repair through the real `proof` plugin and real workers (seed 000):
// a lemma that fails after expensive steps leaves its worker holding them; the
// edited lemma resumes there, after the common prefix; without that worker a
// fresh one checks from the start; a holder nothing can use is retired.

#include "support/processes.h"
#include "support/recorder.h"

#include "prooflang.h"
#include "repair.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Drover;
using TestSupport::OutcomeRecorder;

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

ProofLang::Lemma lemmaOf(const QString &name, const QString &steps)
{
    const ProofLang::Document doc =
        ProofLang::parse(QStringLiteral("Lemma %1: s.\nProof.\n%2\nQed.\n").arg(name, steps));
    if (doc.lemmas.size() != 1)
        qFatal("the test's lemma does not parse: %s", qPrintable(doc.errors.value(0).message));
    return doc.lemmas.first();
}
} // namespace

class tst_Repair : public QObject
{
    Q_OBJECT

    std::unique_ptr<Manager> m_manager;
    TaskQueue *m_queue = nullptr;
    std::unique_ptr<OutcomeRecorder> m_outcomes;
    QList<TaskId> m_holds;  // the follow-up tasks the kind added, in order

    TaskId enqueue(const ProofLang::Lemma &lemma)
    {
        Task task;
        task.payload = ProofLang::lemmaPayload(QStringLiteral("doc"), lemma, false);
        task.name = lemma.name;
        return m_queue->enqueue(task);
    }

    TaskResult resultOf(TaskId id)
    {
        if (!m_outcomes->waitFor({id}))
            qFatal("task %llu got no outcome", id);
        return m_outcomes->results.value(id);
    }

    // The outcome of a lemma, and the hold that followed it when it failed.
    ProofLang::Verdict check(const ProofLang::Lemma &lemma, TaskResult *result = nullptr)
    {
        const TaskResult r = resultOf(enqueue(lemma));
        if (result)
            *result = r;
        return ProofLang::verdictOf(r.response);
    }

    bool waitForHold()
    {
        return QTest::qWaitFor([&] { return !m_holds.isEmpty() && m_outcomes->results.contains(m_holds.last()); },
                               30000);
    }

private Q_SLOTS:
    void init()
    {
        m_manager = std::make_unique<Manager>();
        m_queue = m_manager->queue(QStringLiteral("proof"));
        QVERIFY2(m_queue, qPrintable(m_manager->errorString()));
        m_queue->setMaxWorkers(1);
        m_outcomes = std::make_unique<OutcomeRecorder>(m_queue);
        m_holds.clear();
        connect(m_queue, &TaskQueue::taskQueued, this, [this](TaskId id) {
            if (const std::optional<Task> task = m_queue->task(id); task && ProofLang::isHoldRequest(task->payload))
                m_holds << id;
        });
    }

    void cleanup()
    {
        m_outcomes.reset();
        m_manager.reset();
        QCOMPARE(TestSupport::childProcesses(), QList<qint64>{});
    }

    // The step the repair resumes from is the first one that differs from
    // what held; the expensive steps before it are not run again.
    void resumesAfterTheCommonPrefix_data()
    {
        QTest::addColumn<QString>("edited");
        QTest::addColumn<int>("from");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("checked");
        QTest::newRow("failing step fixed") << "spin 400.\nspin 400.\nprime 7.\nfib 10 = 55." << 3 << true << 4;
        QTest::newRow("failing step removed") << "spin 400.\nspin 400.\nfib 10 = 55." << 3 << true << 3;
        QTest::newRow("still failing") << "spin 400.\nspin 400.\nprime 9.\nfib 10 = 55." << 3 << false << 2;
        QTest::newRow("second step changed") << "spin 400.\nspin 1.\nprime 7." << 2 << true << 3;
    }

    void resumesAfterTheCommonPrefix()
    {
        QFETCH(QString, edited);
        QFETCH(int, from);
        QFETCH(bool, ok);
        QFETCH(int, checked);

        TaskResult scratch;
        const ProofLang::Verdict broken =
            check(lemmaOf(QStringLiteral("l"), QStringLiteral("spin 400.\nspin 400.\nfail broken.\nfib 10 = 55.")),
                  &scratch);
        QCOMPARE(broken.status, QStringLiteral("error"));
        QCOMPARE(broken.step, 3);
        QCOMPARE(broken.checked, 2);
        QVERIFY(waitForHold());
        const TaskResult held = m_outcomes->results.value(m_holds.last());
        QCOMPARE(held.response[key("status")].toString(), QStringLiteral("holding"));
        QCOMPARE(held.workerId, scratch.workerId);

        const TaskId id = enqueue(lemmaOf(QStringLiteral("l"), edited));
        const TaskResult repaired = resultOf(id);
        const ProofLang::Verdict verdict = ProofLang::verdictOf(repaired.response);
        QCOMPARE(verdict.ok, ok);
        QCOMPARE(verdict.from, from);
        QCOMPARE(verdict.checked, checked);
        QCOMPARE(repaired.workerId, scratch.workerId); // the worker that held the prefix
        const QList<QCborValue> feedback = m_outcomes->feedback.value(id);
        QVERIFY(!feedback.isEmpty());
        QCOMPARE(feedback.first()[key("text")].toString(), QStringLiteral("resuming from step %1").arg(from));
        // Skipping steps worth 800 ms (or 400 ms) of CPU shows on any machine.
        QVERIFY2(repaired.elapsed < scratch.elapsed,
                 qPrintable(QStringLiteral("repair %1 ms, from scratch %2 ms")
                                .arg(repaired.elapsed.count())
                                .arg(scratch.elapsed.count())));
    }

    // A lemma whose first step fails leaves nothing to hold.
    void nothingHeldAfterAFirstStepFailure()
    {
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        QCOMPARE(check(lemmaOf(QStringLiteral("l"), QStringLiteral("prime 4.\nprime 7."))).step, 1);
        QTRY_VERIFY_WITH_TIMEOUT(!exited.isEmpty(), 30000); // a fresh worker per lemma
        QVERIFY(m_holds.isEmpty());
        const ProofLang::Verdict again = check(lemmaOf(QStringLiteral("l"), QStringLiteral("prime 5.\nprime 7.")));
        QVERIFY(again.ok);
        QCOMPARE(again.from, 1);
    }

    // The holder was killed meanwhile: a fresh worker checks from the start.
    void freshWorkerWhenTheHolderIsGone()
    {
        TaskResult first;
        QCOMPARE(check(lemmaOf(QStringLiteral("l"), QStringLiteral("prime 3.\nfail no.")), &first).step, 2);
        QVERIFY(waitForHold());
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        QVERIFY(m_queue->killWorker(first.workerId));
        QVERIFY(exited.wait(30000));
        QCOMPARE(exited.first().at(0).toInt(), first.workerId);

        TaskResult again;
        const ProofLang::Verdict verdict = check(lemmaOf(QStringLiteral("l"), QStringLiteral("prime 3.\nprime 5.")), &again);
        QVERIFY2(verdict.ok, qPrintable(verdict.message));
        QCOMPARE(verdict.from, 1);
        QVERIFY(again.workerId != first.workerId);
    }

    // Killed before it confirmed the hold: the hold task is dropped as
    // obsolete by a fresh worker, and the edit still gets checked.
    void holdOfADeadWorkerIsDropped()
    {
        m_queue->setMaxWorkers(2);
        m_queue->setWarmSpares(1);
        TaskResult first;
        QCOMPARE(check(lemmaOf(QStringLiteral("l"), QStringLiteral("prime 3.\nfail no.")), &first).step, 2);
        QVERIFY(waitForHold());
        // Forge the situation: a hold for a worker that never existed.
        Task orphan;
        orphan.payload = ProofLang::holdPayload(QStringLiteral("doc"), QStringLiteral("l"), 1, 9999);
        const TaskId id = m_queue->enqueue(orphan);
        QCOMPARE(resultOf(id).outcome, Outcome::Dropped);
    }

    // A holder of one lemma is retired when the full pool has other work.
    void holderRetiredWhenNothingCanUseIt()
    {
        TaskResult first;
        QCOMPARE(check(lemmaOf(QStringLiteral("a"), QStringLiteral("prime 3.\nfail no.")), &first).step, 2);
        QVERIFY(waitForHold());
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        TaskResult other;
        QVERIFY(check(lemmaOf(QStringLiteral("b"), QStringLiteral("prime 3.")), &other).ok);
        QVERIFY(other.workerId != first.workerId);
        QTRY_VERIFY_WITH_TIMEOUT(!exited.isEmpty(), 30000);
        QCOMPARE(exited.first().at(0).toInt(), first.workerId);
    }
};

QTEST_MAIN(tst_Repair)
#include "tst_repair.moc"
