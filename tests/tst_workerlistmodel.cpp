// The worker table a GUI shows as is: rows follow the pool, a kill shows the
// exit status and the replacement, and the model obeys Qt's model rules
// (QAbstractItemModelTester watches every change).

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "drover/workerlistmodel.h"
#include "support/processes.h"
#include "support/recorder.h"

#include <QtCore/QCborMap>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;

namespace {
Task sleeper(int ms, bool stay)
{
    QCborMap p;
    p.insert(QLatin1String("op"), QStringLiteral("sleep"));
    p.insert(QLatin1String("arg"), ms);
    p.insert(QLatin1String("stay"), stay);
    Task t;
    t.payload = p;
    t.name = QStringLiteral("sleep %1").arg(ms);
    return t;
}

QString cell(const WorkerListModel &model, int row, WorkerListModel::Column column)
{
    return model.data(model.index(row, column)).toString();
}

int rowOfWorker(const WorkerListModel &model, int workerId)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.workerIdOf(row) == workerId)
            return row;
    }
    return -1;
}
} // namespace

class tst_WorkerListModel : public QObject
{
    Q_OBJECT

private slots:
    void followsThePool()
    {
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY(queue);
            queue->setMaxWorkers(2);
            WorkerListModel model;
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            model.addQueue(queue);
            TestSupport::OutcomeRecorder recorder(queue);

            const TaskId a = queue->enqueue(sleeper(600000, true));
            const TaskId b = queue->enqueue(sleeper(600000, true));
            QTRY_COMPARE_WITH_TIMEOUT(queue->runningCount(), 2, 30000);
            QCOMPARE(model.rowCount(), 2);
            QCOMPARE(model.columnCount(), int(WorkerListModel::ColumnCount));
            for (int row = 0; row < 2; ++row) {
                QCOMPARE(cell(model, row, WorkerListModel::KindColumn), QStringLiteral("scripted"));
                QCOMPARE(cell(model, row, WorkerListModel::StateColumn), QStringLiteral("busy"));
                QCOMPARE(cell(model, row, WorkerListModel::TaskColumn), QStringLiteral("sleep 600000"));
                QCOMPARE(cell(model, row, WorkerListModel::ModeColumn), QStringLiteral("fresh"));
                QVERIFY(model.data(model.index(row, WorkerListModel::PidColumn)).toLongLong() > 0);
                QCOMPARE(model.queueOf(row), queue);
            }
            QTRY_VERIFY_WITH_TIMEOUT(!cell(model, 0, WorkerListModel::MemoryColumn).isEmpty(), 10000);
            QCOMPARE(model.headerData(WorkerListModel::StatusColumn, Qt::Horizontal).toString(), QStringLiteral("Exit status"));

            // Kill the first: its row shows how it ended, its task is re-run
            // nowhere (no retries), and the second goes on.
            const int victim = model.workerIdOf(0);
            const TaskId victimTask = model.data(model.index(0, 0), WorkerListModel::TaskIdRole).value<TaskId>();
            QVERIFY(victimTask == a || victimTask == b);
            QVERIFY(queue->killWorker(victim));
            QTRY_COMPARE_WITH_TIMEOUT(cell(model, rowOfWorker(model, victim), WorkerListModel::StateColumn),
                                      QStringLiteral("exited"), 30000);
            const int row = rowOfWorker(model, victim);
            QCOMPARE(cell(model, row, WorkerListModel::StatusColumn), QStringLiteral("was killed by SIGKILL"));
            QCOMPARE(model.data(model.index(row, 0), WorkerListModel::AliveRole).toBool(), false);

            // More work: a replacement appears as a new row.
            queue->enqueue(sleeper(10, true));
            QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, 30000);
            QVERIFY(recorder.waitFor(victimTask));
            queue->cancelAll();

            model.setExitedRowsKept(0);
            QTRY_VERIFY_WITH_TIMEOUT(rowOfWorker(model, victim) < 0, 10000);
        }
        QVERIFY(TestSupport::childProcesses().isEmpty());
    }

    // Each row keeps the last stderrLinesKept() lines its worker wrote to
    // stderr (not stdout), also once the worker is gone, and an exited
    // worker's Elapsed cell says how long it lived.
    void keepsTheStderrTailAndTheLifetime_data()
    {
        QTest::addColumn<int>("lines");
        QTest::addColumn<bool>("crash");
        QTest::newRow("a few, then exit 3") << 3 << true;
        QTest::newRow("more than kept, worker stays") << WorkerListModel::stderrLinesKept() + 50 << false;
    }
    void keepsTheStderrTailAndTheLifetime()
    {
        QFETCH(int, lines);
        QFETCH(bool, crash);
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY(queue);
            WorkerListModel model;
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            model.addQueue(queue);
            TestSupport::OutcomeRecorder recorder(queue);

            QString err;
            QStringList written;
            for (int i = 0; i < lines; ++i) {
                written << QStringLiteral("complaint %1").arg(i);
                err += written.last() + QLatin1Char('\n');
            }
            QCborMap arg;
            arg.insert(QLatin1String("out"), QStringLiteral("not on stderr\n"));
            arg.insert(QLatin1String("err"), err);
            arg.insert(QLatin1String("crash"), crash);
            QCborMap payload;
            payload.insert(QLatin1String("op"), QStringLiteral("say"));
            payload.insert(QLatin1String("arg"), arg);
            payload.insert(QLatin1String("stay"), !crash);
            Task task;
            task.payload = payload;
            const TaskId id = queue->enqueue(task);
            QVERIFY(recorder.waitFor(id));
            QCOMPARE(model.rowCount(), 1);
            const QStringList kept = written.mid(std::max<qsizetype>(0, written.size() - WorkerListModel::stderrLinesKept()));
            QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0, WorkerListModel::TaskColumn), WorkerListModel::StandardErrorRole)
                                          .toStringList(), kept, 30000);
            if (crash) {
                QTRY_COMPARE_WITH_TIMEOUT(cell(model, 0, WorkerListModel::StatusColumn), QStringLiteral("exited with code 3"), 30000);
                // How long it lived, as "0.3 s" or "1:05"; and it no longer moves.
                const QString lived = cell(model, 0, WorkerListModel::ElapsedColumn);
                QVERIFY2(lived.endsWith(QLatin1String(" s")) || lived.contains(QLatin1Char(':')), qPrintable(lived));
                QCOMPARE(model.data(model.index(0, 0), WorkerListModel::StandardErrorRole).toStringList(), kept);
            }
        }
        QVERIFY(TestSupport::childProcesses().isEmpty());
    }

    // The task column names the request (TaskQueue::setRequestNamer()):
    // the task's name, "task N" without one, or the namer's words.
    void namesTheRequest_data()
    {
        QTest::addColumn<QString>("taskName");
        QTest::addColumn<bool>("namer");
        QTest::addColumn<QString>("shown");
        QTest::newRow("the task's name") << "lemma foo" << false << "lemma foo";
        QTest::newRow("no name") << QString() << false << "task %1";
        QTest::newRow("the namer's") << "lemma foo" << true << "lemma foo, on a fresh worker";
    }
    void namesTheRequest()
    {
        QFETCH(QString, taskName);
        QFETCH(bool, namer);
        QFETCH(QString, shown);
        {
            Manager manager;
            manager.addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
            TaskQueue *queue = manager.queue(QStringLiteral("scripted"));
            QVERIFY(queue);
            if (namer) {
                // The scripted kind's request says whether its worker is fresh.
                queue->setRequestNamer([](const Task &task, const QCborValue &request) {
                    return QStringLiteral("%1, on a %2 worker")
                        .arg(task.name, request.toMap()[QLatin1String("fresh")].toBool() ? QStringLiteral("fresh")
                                                                                          : QStringLiteral("old"));
                });
            }
            WorkerListModel model;
            model.addQueue(queue);
            TestSupport::OutcomeRecorder recorder(queue);
            Task task = sleeper(600000, false);
            task.name = taskName;
            const TaskId id = queue->enqueue(task);
            QTRY_VERIFY_WITH_TIMEOUT(queue->isRunning(id), 30000);
            const QString expected = shown.contains(QLatin1Char('%')) ? shown.arg(id) : shown;
            QCOMPARE(queue->requestName(id), expected);
            QCOMPARE(model.rowCount(), 1);
            QCOMPARE(cell(model, 0, WorkerListModel::TaskColumn), expected);
            QVERIFY(queue->cancel(id));
            QVERIFY(recorder.waitFor(id));
            QVERIFY(queue->requestName(id).isEmpty());
        }
        QVERIFY(TestSupport::childProcesses().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_WorkerListModel)
#include "tst_workerlistmodel.moc"
