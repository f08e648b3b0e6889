// The token server's make-style jobserver, offered to the processes that
// tasks start (issue 15, item 2): the real GNU make runs inside tasks of the
// scripted kind ("run"), without -j, and takes its extra jobs from the same
// machine-wide pool as the tasks; the recipes write when they start and end,
// and at no moment do more run than the cap. A worker killed in the middle
// of a build loses no token: the server puts back what its make held once
// no task runs.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scripted.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

using namespace Drover;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {
// Tokens free in the server's fifo, without taking them; -1 without a fifo.
int tokensIn(const QString &fifo)
{
    const int fd = ::open(QFile::encodeName(fifo).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int n = 0;
    const bool ok = ::ioctl(fd, FIONREAD, &n) == 0;
    ::close(fd);
    return ok ? n : -1;
}

// A Makefile of `targets` recipes that each write the time (ns) when they
// start and end, beside it, and sleep `seconds` between.
bool writeMakefile(const QString &dir, int targets, const QString &seconds)
{
    QByteArray text = "all:";
    for (int i = 0; i < targets; ++i)
        text += " t" + QByteArray::number(i);
    text += "\nt%:\n\t@date +%s%N > $@.start; sleep " + seconds.toLatin1() + "; date +%s%N > $@.end\n";
    QFile file(dir + QStringLiteral("/Makefile"));
    return QDir().mkpath(dir) && file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

struct Interval
{
    qint64 start = 0;
    qint64 end = 0;
};

QList<Interval> recipesIn(const QString &dir)
{
    QList<Interval> recipes;
    for (const QString &name : QDir(dir).entryList({QStringLiteral("*.start")})) {
        QFile start(dir + QLatin1Char('/') + name);
        QFile end(dir + QLatin1Char('/') + name.chopped(6) + QStringLiteral(".end"));
        if (start.open(QIODevice::ReadOnly) && end.open(QIODevice::ReadOnly))
            recipes.append({start.readAll().trimmed().toLongLong(), end.readAll().trimmed().toLongLong()});
    }
    return recipes;
}

int mostAtOnce(const QList<Interval> &intervals)
{
    QList<std::pair<qint64, int>> edges;
    for (const Interval &i : intervals)
        edges << std::pair{i.start, 1} << std::pair{i.end, -1};
    std::sort(edges.begin(), edges.end()); // an end before a start at the same instant
    int now = 0, most = 0;
    for (const auto &edge : edges)
        most = std::max(most, now += edge.second);
    return most;
}

Task makeIn(const QString &make, const QString &dir)
{
    return scripted(QStringLiteral("run"), QCborArray{make, QStringLiteral("-s"), QStringLiteral("-C"), dir});
}
} // namespace

class TstChildJobserver : public QObject
{
    Q_OBJECT

    QString m_make;
    QTemporaryDir m_runtime{QStringLiteral("/tmp/cjobs-XXXXXX")}; // short: a socket path has 108 bytes

    QString fifo() const { return m_runtime.filePath(QStringLiteral("drover/jobserver")); }

    std::unique_ptr<Manager> managerWithCap(int cap)
    {
        auto manager = std::make_unique<Manager>();
        manager->addPluginPath(QStringLiteral(SCRIPTED_PLUGIN_DIR));
        if (!manager->setJobsCap(cap)) {
            qWarning() << manager->errorString();
            return nullptr;
        }
        return manager;
    }

private slots:
    void initTestCase()
    {
        m_make = QStandardPaths::findExecutable(QStringLiteral("make"));
        if (m_make.isEmpty())
            QSKIP("GNU make is not installed");
        QVERIFY(m_runtime.isValid());
        // A token server of this test's own, not the user's.
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
        qunsetenv("MAKEFLAGS");
        qunsetenv("DROVER_JOBS");
    }

    void cleanup()
    {
        QTRY_VERIFY_WITH_TIMEOUT(TestSupport::childProcesses().isEmpty(), 30000);
    }

    // One build alone under a cap of 3: its make runs more than one recipe
    // at once (tokens from the fifo; without it make runs one at a time),
    // never more than 3, and the tokens are all back at the end.
    void oneBuildTakesTokensFromTheFifo()
    {
        std::unique_ptr<Manager> manager = managerWithCap(3);
        QVERIFY(manager);
        TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
        QVERIFY(queue);
        const QString dir = m_runtime.filePath(QStringLiteral("one"));
        QVERIFY(writeMakefile(dir, 6, QStringLiteral("1")));
        OutcomeRecorder recorder(queue);
        const TaskId id = queue->enqueue(makeIn(m_make, dir));
        QVERIFY(recorder.waitFor(id, 120000));
        QCOMPARE(recorder.result(id).outcome, Outcome::Done);
        QCOMPARE(recorder.result(id).response.toMap().value(QLatin1String("value")).toInteger(), 0);
        const QList<Interval> recipes = recipesIn(dir);
        QCOMPARE(recipes.size(), 6);
        const int most = mostAtOnce(recipes);
        QVERIFY2(most >= 2 && most <= 3, qPrintable(QStringLiteral("%1 recipes at once under a cap of 3").arg(most)));
        QTRY_COMPARE_WITH_TIMEOUT(tokensIn(fifo()), 3, 10000);
    }

    // Three tasks on three workers, each a make of six recipes, under a cap
    // of 3: the tasks' own slots and their makes' extra jobs come from one
    // pool, so at no moment do more than 3 recipes run across all builds.
    void buildsShareTheCap()
    {
        std::unique_ptr<Manager> manager = managerWithCap(3);
        QVERIFY(manager);
        TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
        QVERIFY(queue);
        queue->setMaxWorkers(3);
        OutcomeRecorder recorder(queue);
        QList<TaskId> ids;
        QStringList dirs;
        for (int i = 0; i < 3; ++i) {
            dirs << m_runtime.filePath(QStringLiteral("share%1").arg(i));
            QVERIFY(writeMakefile(dirs.last(), 6, QStringLiteral("0.3")));
            ids << queue->enqueue(makeIn(m_make, dirs.last()));
        }
        QVERIFY(recorder.waitFor(ids, 120000));
        QList<Interval> all;
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(recorder.result(ids.at(i)).outcome, Outcome::Done);
            QCOMPARE(recorder.result(ids.at(i)).response.toMap().value(QLatin1String("value")).toInteger(), 0);
            const QList<Interval> recipes = recipesIn(dirs.at(i));
            QCOMPARE(recipes.size(), 6);
            all += recipes;
        }
        const int most = mostAtOnce(all);
        QVERIFY2(most <= 3, qPrintable(QStringLiteral("%1 recipes at once under a cap of 3").arg(most)));
        QTRY_COMPARE_WITH_TIMEOUT(tokensIn(fifo()), 3, 10000);
    }

    // A build whose worker is killed (the IDE's Kill) while its make holds
    // two tokens of the fifo and its task the third: all three are free
    // again afterwards, and the next build gets them.
    void killedBuildLosesNoToken()
    {
        std::unique_ptr<Manager> manager = managerWithCap(3);
        QVERIFY(manager);
        TaskQueue *queue = manager->queue(QStringLiteral("scripted"));
        QVERIFY(queue);
        const QString dir = m_runtime.filePath(QStringLiteral("killed"));
        QVERIFY(writeMakefile(dir, 3, QStringLiteral("600")));
        OutcomeRecorder recorder(queue);
        QSignalSpy started(queue, &TaskQueue::taskStarted);
        const TaskId id = queue->enqueue(makeIn(m_make, dir));
        QTRY_COMPARE_WITH_TIMEOUT(QDir(dir).entryList({QStringLiteral("*.start")}).size(), 3, 60000);
        QCOMPARE(tokensIn(fifo()), 0); // one is the task's, two are make's
        QCOMPARE(started.size(), 1);
        QVERIFY(queue->killWorker(started.first().at(1).toInt()));
        QVERIFY(recorder.waitFor(id));
        QCOMPARE(recorder.result(id).outcome, Outcome::WorkerDied);
        QTRY_COMPARE_WITH_TIMEOUT(tokensIn(fifo()), 3, 10000);

        const QString next = m_runtime.filePath(QStringLiteral("next"));
        QVERIFY(writeMakefile(next, 3, QStringLiteral("1")));
        const TaskId again = queue->enqueue(makeIn(m_make, next));
        QVERIFY(recorder.waitFor(again, 120000));
        QCOMPARE(recorder.result(again).outcome, Outcome::Done);
        QCOMPARE(recipesIn(next).size(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(tokensIn(fifo()), 3, 10000);
    }
};

QTEST_MAIN(TstChildJobserver)
#include "tst_childjobserver.moc"
