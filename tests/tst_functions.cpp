// Typed functions (drover/function.h; rpc_parallel's Make_worker): what
// must not compile, checked here by concepts at compile time; and calls run
// by real workers of the `geometry` test kind (tests/functions/): replies,
// a function no worker implements, a query of another type, a failure in
// the implementation, the task's outcome, and cancelling both ways.

#include "functions/geometry.h"
#include "support/processes.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCborMap>
#include <QtCore/QFutureWatcher>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace Geometry;

namespace {

// ---- what does not compile ----------------------------------------------

template<typename F, typename Q>
concept Callable = requires(TaskQueue *queue, F function, Q query) { Drover::call(queue, function, query); };

template<typename F, typename I>
concept Implementable = requires(FunctionTable table, F function, I implementation) { table.implement(function, implementation); };

struct NotAQuery
{
};

using AreaFunction = std::remove_cvref_t<decltype(area)>;
static_assert(Callable<AreaFunction, Rect>);
static_assert(!Callable<AreaFunction, QString>, "a query of another type must not compile");
static_assert(!Callable<AreaFunction, NotAQuery>, "a query of another type must not compile");
static_assert(!Callable<std::remove_cvref_t<decltype(wait)>, Rect>, "a query of another type must not compile");

using RightSignature = double (*)(const Rect &, WorkerContext &);
using WrongQuery = double (*)(const QString &, WorkerContext &);
using WrongReply = NotAQuery (*)(const Rect &, WorkerContext &);
using NoContext = double (*)(const Rect &);
static_assert(Implementable<AreaFunction, RightSignature>);
static_assert(!Implementable<AreaFunction, WrongQuery>, "an implementation of another signature must not compile");
static_assert(!Implementable<AreaFunction, WrongReply>, "an implementation of another signature must not compile");
static_assert(!Implementable<AreaFunction, NoContext>, "an implementation of another signature must not compile");

//! Waits for a future on the event loop; false if it does not finish.
template<typename T>
bool waitFor(const QFuture<T> &future, int ms = 60000)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, ms);
}

//! The TaskFailure a finished future holds, or empty.
template<typename T>
QString failureOf(QFuture<T> future)
{
    try {
        future.waitForFinished();
        (void)future.result();
    } catch (const TaskFailure &failure) {
        return QString::fromStdString(failure.what());
    } catch (...) {
        return QStringLiteral("(another exception)");
    }
    return {};
}

} // namespace

class tst_Functions : public QObject
{
    Q_OBJECT

    std::unique_ptr<Manager> m_manager;
    TaskQueue *m_queue = nullptr;

private slots:
    void init()
    {
        m_manager = std::make_unique<Manager>();
        m_manager->addPluginPath(QStringLiteral(GEOMETRY_PLUGIN_DIR));
        m_queue = m_manager->queue(QStringLiteral("geometry"));
        QVERIFY2(m_queue, qPrintable(m_manager->errorString()));
        m_queue->setMaxWorkers(2);
    }

    void cleanup()
    {
        m_queue = nullptr;
        m_manager.reset();
        QVERIFY2(TestSupport::childProcesses().isEmpty(), TestSupport::describeProcesses(TestSupport::childProcesses()).constData());
    }

    void repliesOfEveryType()
    {
        QList<QFuture<double>> areas;
        for (int i = 1; i <= 20; ++i)
            areas << call(m_queue, area, Rect{double(i), 2.5});
        const QFuture<Rect> squared = call(m_queue, square, Rect{3, 7});
        const QFuture<int> waited = call(m_queue, wait, 20);
        for (int i = 0; i < areas.size(); ++i) {
            QVERIFY(waitFor(areas[i]));
            QCOMPARE(areas[i].result(), (i + 1) * 2.5);
        }
        QVERIFY(waitFor(squared));
        QCOMPARE(squared.result().width, 7.0);
        QCOMPARE(squared.result().height, 7.0);
        QVERIFY(waitFor(waited));
        QCOMPARE(waited.result(), 20);
    }

    void failures_data()
    {
        QTest::addColumn<QCborValue>("request");
        QTest::addColumn<QString>("message");
        QTest::newRow("a function no worker implements")
            << FunctionCall::request(perimeter.name, Message<Rect>::encode({1, 2}))
            << QStringLiteral("this worker has no implementation of function \"perimeter\" (it has: area, checked, square, wait)");
        QTest::newRow("a query of another type")
            << FunctionCall::request(area.name, QStringLiteral("wide"))
            << QStringLiteral("function \"area\": expected a message of type Rect, got \"wide\"");
        QTest::newRow("the implementation fails") << FunctionCall::request(checked.name, -1)
                                                  << QStringLiteral("function \"checked\": negative");
        QTest::newRow("not a call") << QCborValue(QStringLiteral("area please"))
                                    << QStringLiteral("the request is not a function call");
    }
    // A request made by hand, past the types: the worker answers each
    // mistake with its reason, and the call's future holds it.
    void failures()
    {
        QFETCH(QCborValue, request);
        QFETCH(QString, message);
        Task task;
        task.payload = request;
        const QFuture<TaskResult> result = m_queue->submit(task);
        QVERIFY(waitFor(result));
        QCOMPARE(result.result().outcome, Outcome::Failed);
        QVERIFY2(result.result().message.contains(message), qPrintable(result.result().message));
    }

    // Through call(): the future holds a TaskFailure that says which
    // function, the outcome and why.
    void failedCallHoldsTheReason()
    {
        const QFuture<double> missing = call(m_queue, perimeter, Rect{1, 2});
        const QFuture<int> failed = call(m_queue, checked, -5);
        QVERIFY(waitFor(missing));
        QVERIFY(waitFor(failed));
        const QString whyMissing = failureOf(missing);
        QVERIFY2(whyMissing.startsWith(QLatin1String("function \"perimeter\": failed: ")) && whyMissing.contains(QLatin1String("no implementation")),
                 qPrintable(whyMissing));
        QCOMPARE(failureOf(failed), QStringLiteral("function \"checked\": failed: function \"checked\": negative"));
        // The worker is still there for the next call.
        const QFuture<int> next = call(m_queue, checked, 5);
        QVERIFY(waitFor(next));
        QCOMPARE(next.result(), 5);
    }

    // Cancelling the future cancels the task; a task cancelled at the queue
    // cancels the future.
    void cancelBothWays()
    {
        QSignalSpy finished(m_queue, &TaskQueue::taskFinished);
        QFuture<int> long1 = call(m_queue, wait, 600000);
        QSignalSpy started(m_queue, &TaskQueue::taskStarted);
        QVERIFY(started.wait(60000));
        long1.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QCOMPARE(finished.at(0).at(1).value<TaskResult>().outcome, Outcome::Cancelled);
        QVERIFY(long1.isCanceled());

        const QFuture<int> long2 = call(m_queue, wait, 600000);
        QVERIFY(started.wait(60000));
        m_queue->cancel(started.last().at(0).value<TaskId>());
        QVERIFY(waitFor(long2));
        QVERIFY(long2.isCanceled());
    }
};

QTEST_MAIN(tst_Functions)
#include "tst_functions.moc"
