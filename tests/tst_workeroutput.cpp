// workerOutput(): every line a worker writes, with its channel, and the last
// one without a newline (a crash message usually has none).

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"
#include "support/scripted.h"

#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <iterator>
#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

class tst_WorkerOutput : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:

private slots:
    void init() { openScriptedQueue(); }

    void cleanup() { closeScriptedQueue(); }

    // Each line with its channel; the last one without its newline too (a
    // crash message usually has none).
    void workerOutputKeepsEveryLine_data()
    {
        QTest::addColumn<QString>("out");
        QTest::addColumn<QString>("err");
        QTest::addColumn<bool>("crash");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("both channels") << "one\ntwo\n" << "three\n" << false
                                       << QStringList{"out:one", "out:two", "err:three"};
        QTest::newRow("last words without a newline") << "to stdout\n" << "dying words" << true
                                                      << QStringList{"out:to stdout", "err:dying words"};
        QTest::newRow("unfinished lines on both") << "partial out" << "partial err" << true
                                                  << QStringList{"out:partial out", "err:partial err"};
    }
    void workerOutputKeepsEveryLine()
    {
        QFETCH(QString, out);
        QFETCH(QString, err);
        QFETCH(bool, crash);
        QFETCH(QStringList, expected);
        QStringList lines;
        int workerId = -1;
        connect(m_queue, &TaskQueue::workerOutput, this,
                [&](int worker, const QString &line, TaskQueue::OutputChannel channel) {
                    if (worker != workerId)
                        return;
                    lines << (channel == TaskQueue::OutputChannel::StandardError ? QStringLiteral("err:")
                                                                                  : QStringLiteral("out:"))
                            + line;
                });
        connect(m_queue, &TaskQueue::taskStarted, this, [&](TaskId, int worker) { workerId = worker; });
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        QCborMap arg;
        arg.insert(QLatin1String("out"), out);
        arg.insert(QLatin1String("err"), err);
        arg.insert(QLatin1String("crash"), crash);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("say"), arg));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, crash ? Outcome::WorkerDied : Outcome::Done);
        // The worker ends after its task (a fresh-worker kind): all its output is in.
        QTRY_VERIFY_WITH_TIMEOUT(!exited.isEmpty(), 30000);
        // In order on each channel; the two channels arrive as they will.
        for (const QLatin1String channel : {QLatin1String("out:"), QLatin1String("err:")}) {
            const auto onChannel = [&](const QString &line) { return line.startsWith(channel); };
            QStringList got;
            std::copy_if(lines.begin(), lines.end(), std::back_inserter(got),
                         [&](const QString &line) { return onChannel(line) && expected.contains(line); });
            QStringList wanted;
            std::copy_if(expected.begin(), expected.end(), std::back_inserter(wanted), onChannel);
            QCOMPARE(got, wanted);
        }
    }
};

QTEST_GUILESS_MAIN(tst_WorkerOutput)
#include "tst_workeroutput.moc"
