// The queue's choices on their own (manager/src/queue/scheduler.h): which
// queued task a worker takes, and what dispatch does with the pool. No
// processes: a TaskBook and a TaskKind whose match and affinity the rows set.

#include "drover/taskkind.h"
#include "queue/scheduler.h"
#include "queue/taskbook.h"

#include <QtTest/QTest>

using namespace Drover;
using namespace Drover::Internal;

namespace {

// Tasks carry {"match": bool, "affinity": int}; an Old worker's competence
// is ignored. Without "affinity" the kind does not rank (NoAffinity).
class RowKind : public TaskKind
{
public:
    bool taskMatch(const WorkerStatus &, const Task &task) override
    {
        ++matched;
        return task.payload.toMap().value(QLatin1String("match")).toBool(true);
    }
    int taskAffinity(const WorkerStatus &, const Task &task) override
    {
        const QCborValue affinity = task.payload.toMap().value(QLatin1String("affinity"));
        return affinity.isInteger() ? int(affinity.toInteger()) : NoAffinity;
    }
    QCborValue perform(const QCborValue &request, WorkerContext &) override { return request; }
    int matched = 0;
};

struct Spec
{
    Spec(int priority = 0, bool match = true, std::optional<int> affinity = std::nullopt)
        : priority(priority), match(match), affinity(affinity)
    {
    }
    int priority;
    bool match;
    std::optional<int> affinity;
};

void fill(TaskBook &book, const QList<Spec> &specs)
{
    TaskId id = 1;
    for (const Spec &spec : specs) {
        Task task;
        task.id = id++;
        task.priority = spec.priority;
        QCborMap payload;
        payload.insert(QLatin1String("match"), spec.match);
        if (spec.affinity)
            payload.insert(QLatin1String("affinity"), *spec.affinity);
        task.payload = payload;
        book.add(std::move(task), nullptr, false);
    }
}

} // namespace

Q_DECLARE_METATYPE(QList<Spec>)
Q_DECLARE_METATYPE(std::optional<TaskId>)
Q_DECLARE_METATYPE(Scheduler::PoolCounts)

class TestScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chooseTask_data();
    void chooseTask();
    void affinityLooksNoFurtherThanTheWindow();
    void longQueueOfUnrankedTasksCostsOneMatch();
    void planPool_data();
    void planPool();
    void bookKeepsTheQueuedOrder();
};

void TestScheduler::chooseTask_data()
{
    QTest::addColumn<QList<Spec>>("tasks");
    QTest::addColumn<bool>("fresh");
    QTest::addColumn<std::optional<TaskId>>("chosen");

    QTest::newRow("empty queue") << QList<Spec>{} << true << std::optional<TaskId>();
    QTest::newRow("fresh: first in queue order") << QList<Spec>{{}, {}, {}} << true << std::optional<TaskId>(1);
    QTest::newRow("fresh: higher priority first")
        << QList<Spec>{{0}, {5}, {5}} << true << std::optional<TaskId>(2);
    QTest::newRow("fresh: first it matches")
        << QList<Spec>{{0, false}, {0, false}, {0, true}} << true << std::optional<TaskId>(3);
    QTest::newRow("matches none") << QList<Spec>{{0, false}, {0, false}} << false << std::optional<TaskId>();
    QTest::newRow("fresh ignores affinity")
        << QList<Spec>{{0, true, 1}, {0, true, 9}} << true << std::optional<TaskId>(1);
    QTest::newRow("old: unranked kind takes queue order")
        << QList<Spec>{{}, {}} << false << std::optional<TaskId>(1);
    QTest::newRow("old: highest affinity")
        << QList<Spec>{{0, true, 1}, {0, true, 9}, {0, true, 3}} << false << std::optional<TaskId>(2);
    QTest::newRow("old: a tie keeps queue order")
        << QList<Spec>{{0, true, 4}, {0, true, 4}} << false << std::optional<TaskId>(1);
    QTest::newRow("old: affinity never beats priority")
        << QList<Spec>{{5, true, 1}, {0, true, 100}} << false << std::optional<TaskId>(1);
    QTest::newRow("old: affinity among the top priority it matches")
        << QList<Spec>{{9, false, 50}, {5, true, 1}, {5, true, 7}, {0, true, 100}} << false << std::optional<TaskId>(3);
}

void TestScheduler::chooseTask()
{
    QFETCH(QList<Spec>, tasks);
    QFETCH(bool, fresh);
    QFETCH(std::optional<TaskId>, chosen);
    TaskBook book;
    fill(book, tasks);
    RowKind kind;
    const WorkerStatus status = fresh ? WorkerStatus::makeFresh() : WorkerStatus::makeOld(QCborValue(1));
    QCOMPARE(Scheduler::chooseTask(book, kind, status), chosen);
}

void TestScheduler::affinityLooksNoFurtherThanTheWindow()
{
    // The best task sits just past the window: the best inside it wins.
    QList<Spec> specs;
    specs << Spec{0, true, 1};
    for (int i = 0; i < Scheduler::AffinityWindow; ++i)
        specs << Spec{0, true, 2};
    specs << Spec{0, true, 1000};
    TaskBook book;
    fill(book, specs);
    RowKind kind;
    QCOMPARE(Scheduler::chooseTask(book, kind, WorkerStatus::makeOld(QCborValue(1))), std::optional<TaskId>(2));
    QCOMPARE(kind.matched, Scheduler::AffinityWindow + 1);
}

void TestScheduler::longQueueOfUnrankedTasksCostsOneMatch()
{
    TaskBook book;
    fill(book, QList<Spec>(10000));
    RowKind kind;
    QCOMPARE(Scheduler::chooseTask(book, kind, WorkerStatus::makeOld(QCborValue(1))), std::optional<TaskId>(1));
    QCOMPARE(kind.matched, 1);
}

void TestScheduler::planPool_data()
{
    QTest::addColumn<Scheduler::PoolCounts>("counts");
    QTest::addColumn<int>("spawnForTasks");
    QTest::addColumn<int>("spawnSpares");
    QTest::addColumn<bool>("delayTopUp");
    QTest::addColumn<bool>("retireOldIdle");
    QTest::addColumn<int>("shrinkBy");

    auto counts = [](auto &&change) {
        Scheduler::PoolCounts c;
        c.maxWorkers = 2;
        change(c);
        return c;
    };
    QTest::newRow("nothing queued, nothing to do") << counts([](auto &) {}) << 0 << 0 << false << false << 0;
    QTest::newRow("queued work starts workers up to the pool size")
        << counts([](auto &c) { c.queued = 5; }) << 2 << 0 << false << false << 0;
    QTest::newRow("workers already starting count")
        << counts([](auto &c) { c.queued = 1; c.live = 1; c.starting = 1; }) << 0 << 0 << false << false << 0;
    QTest::newRow("no start while backing off")
        << counts([](auto &c) { c.queued = 5; c.backingOff = true; }) << 0 << 0 << false << false << 0;
    QTest::newRow("a missing spare waits for the top-up")
        << counts([](auto &c) { c.spareTarget = 1; }) << 0 << 0 << true << false << 0;
    QTest::newRow("the top-up starts the spares")
        << counts([](auto &c) { c.spareTarget = 2; c.topUpDue = true; }) << 0 << 2 << false << false << 0;
    QTest::newRow("spares on top of the tasks' workers, within capacity")
        << counts([](auto &c) { c.queued = 5; c.spareTarget = 1; c.topUpDue = true; }) << 2 << 1 << false << false << 0;
    QTest::newRow("an idle fresh worker is a spare")
        << counts([](auto &c) { c.spareTarget = 1; c.live = 1; c.freshIdle = 1; }) << 0 << 0 << false << false << 0;
    QTest::newRow("no spare while backing off")
        << counts([](auto &c) { c.spareTarget = 1; c.topUpDue = true; c.backingOff = true; }) << 0 << 0 << false << false << 0;
    QTest::newRow("full of Old idle workers that match nothing: one retires")
        << counts([](auto &c) { c.queued = 3; c.live = 2; c.oldIdle = 2; }) << 0 << 0 << false << true << 0;
    QTest::newRow("no retirement while a worker starts")
        << counts([](auto &c) { c.queued = 3; c.live = 2; c.oldIdle = 1; c.starting = 1; }) << 0 << 0 << false << false << 0;
    QTest::newRow("no retirement when all run tasks")
        << counts([](auto &c) { c.queued = 3; c.live = 2; c.busy = 2; }) << 0 << 0 << false << false << 0;
    QTest::newRow("a shrunk pool retires idle workers beyond its size")
        << counts([](auto &c) { c.live = 5; c.freshIdle = 2; c.oldIdle = 1; c.busy = 2; }) << 0 << 0 << false << false << 3;
    QTest::newRow("a shrunk pool does not touch busy workers")
        << counts([](auto &c) { c.live = 5; c.freshIdle = 1; c.busy = 4; }) << 0 << 0 << false << false << 1;
}

void TestScheduler::planPool()
{
    QFETCH(Scheduler::PoolCounts, counts);
    const Scheduler::PoolPlan plan = Scheduler::planPool(counts);
    QTEST(plan.spawnForTasks, "spawnForTasks");
    QTEST(plan.spawnSpares, "spawnSpares");
    QTEST(plan.delayTopUp, "delayTopUp");
    QTEST(plan.retireOldIdle, "retireOldIdle");
    QTEST(plan.shrinkBy, "shrinkBy");
}

void TestScheduler::bookKeepsTheQueuedOrder()
{
    TaskBook book;
    fill(book, {{0}, {3}, {0}, {3}});
    QCOMPARE(book.queuedIds(), (QList<TaskId>{2, 4, 1, 3}));
    QVERIFY(book.setPriority(3, 9));
    QCOMPARE(book.queuedIds(), (QList<TaskId>{3, 2, 4, 1}));
    book.markRunning(*book.find(3), 7);
    QCOMPARE(book.queuedIds(), (QList<TaskId>{2, 4, 1}));
    QVERIFY(!book.setPriority(3, 0)); // running: not queued any more
    QCOMPARE(book.ids(true), (QList<TaskId>{3}));
    book.requeue(*book.find(3));
    QCOMPARE(book.queuedIds(), (QList<TaskId>{3, 2, 4, 1}));
    const auto ended = book.close(3, Outcome::Cancelled, QStringLiteral("gone"), {});
    QVERIFY(ended);
    QCOMPARE(ended->result.attempts, 1);
    QCOMPARE(ended->result.workerId, -1);
    QCOMPARE(book.queuedIds(), (QList<TaskId>{2, 4, 1}));
    QVERIFY(!book.close(3, Outcome::Cancelled, {}, {}));
    QCOMPARE(book.size(), 3);
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
