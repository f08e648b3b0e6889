// setOutputTarget(): each channel of the workers' output to the signal, a
// file (appended to or emptied first) or nowhere, the last line kept on
// every target; paths that cannot serve are refused with the reason.

#include "drover/manager.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scripted.h"
#include "support/scriptedqueue.h"

#include <QtCore/QCborMap>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;
using Channel = TaskQueue::OutputChannel;
using Target = TaskQueue::OutputTarget;

namespace {
QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(file.readAll()) : QStringLiteral("<unreadable>");
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}
} // namespace

class tst_OutputTargets : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    // Runs one "say" task and waits until its worker is gone, so that all
    // its output is in.
    TaskResult say(const QString &out, const QString &err, bool crash)
    {
        QSignalSpy exited(m_queue, &TaskQueue::workerExited);
        QCborMap arg;
        arg.insert(QLatin1String("out"), out);
        arg.insert(QLatin1String("err"), err);
        arg.insert(QLatin1String("crash"), crash);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("say"), arg));
        if (!m_recorder->waitFor(id))
            return {};
        if (!QTest::qWaitFor([&] { return !exited.isEmpty(); }, 30000))
            return {};
        return m_recorder->result(id);
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        openScriptedQueue();
    }

    void cleanup()
    {
        closeScriptedQueue();
        m_dir.reset();
    }

    // Each channel where it was sent; "before\n" was in the files already.
    void eachChannelToItsTarget_data()
    {
        QTest::addColumn<Target>("outTarget");
        QTest::addColumn<Target>("errTarget");
        QTest::addColumn<bool>("sameFile");
        QTest::addColumn<QStringList>("signalled");
        QTest::addColumn<QString>("outFile");
        QTest::addColumn<QString>("errFile");
        QTest::newRow("stdout appended, stderr signalled")
            << Target::AppendToFile << Target::Signal << false << QStringList{"err:e1", "err:last err"}
            << "before\no1\no2\nlast out\n" << "before\n";
        QTest::newRow("stdout emptied first, stderr nowhere")
            << Target::TruncateFile << Target::Discard << false << QStringList{} << "o1\no2\nlast out\n"
            << "before\n";
        QTest::newRow("stderr emptied first, stdout signalled")
            << Target::Signal << Target::TruncateFile << false << QStringList{"out:o1", "out:o2", "out:last out"}
            << "before\n" << "e1\nlast err\n";
        QTest::newRow("both nowhere") << Target::Discard << Target::Discard << false << QStringList{} << "before\n"
                                      << "before\n";
        QTest::newRow("both appended to one file")
            << Target::AppendToFile << Target::AppendToFile << true << QStringList{} << QString() << QString();
    }
    void eachChannelToItsTarget()
    {
        QFETCH(Target, outTarget);
        QFETCH(Target, errTarget);
        QFETCH(bool, sameFile);
        QFETCH(QStringList, signalled);
        QFETCH(QString, outFile);
        QFETCH(QString, errFile);
        const QString outPath = m_dir->filePath(QStringLiteral("out.log"));
        const QString errPath = sameFile ? outPath : m_dir->filePath(QStringLiteral("err.log"));
        QVERIFY(writeFile(outPath, "before\n"));
        QVERIFY(writeFile(errPath, "before\n"));
        const auto isFile = [](Target t) { return t == Target::AppendToFile || t == Target::TruncateFile; };
        QString error;
        QVERIFY2(m_queue->setOutputTarget(Channel::StandardOutput, outTarget, isFile(outTarget) ? outPath : QString(),
                                          &error),
                 qPrintable(error));
        QVERIFY2(m_queue->setOutputTarget(Channel::StandardError, errTarget, isFile(errTarget) ? errPath : QString(),
                                          &error),
                 qPrintable(error));
        QCOMPARE(m_queue->outputTarget(Channel::StandardOutput), outTarget);
        QCOMPARE(m_queue->outputTarget(Channel::StandardError), errTarget);

        QStringList lines;
        connect(m_queue, &TaskQueue::workerOutput, this, [&](int, const QString &line, Channel channel) {
            lines << (channel == Channel::StandardError ? QStringLiteral("err:") : QStringLiteral("out:")) + line;
        });
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        // The last line of each channel has no newline: it comes at the end.
        const TaskResult result = say(QStringLiteral("o1\no2\nlast out"), QStringLiteral("e1\nlast err"), true);
        QCOMPARE(result.outcome, Outcome::WorkerDied);
        // Wherever stderr went, the crash's last words are in the outcome.
        QCOMPARE(result.message, QStringLiteral("exited with code 3; its last words on stderr: e1 | last err"));
        QVERIFY(errors.isEmpty());

        lines.sort();
        signalled.sort();
        QCOMPARE(lines, signalled);
        if (sameFile) {
            // Whole lines of both channels, each channel's in order.
            QStringList got = readAll(outPath).split(QLatin1Char('\n'));
            QCOMPARE(got.takeFirst(), QStringLiteral("before"));
            QCOMPARE(got.takeLast(), QString()); // the file ends with a newline
            const QStringList out = got.filter(QStringLiteral("o"));
            QCOMPARE(out, (QStringList{"o1", "o2", "last out"}));
            got.removeIf([](const QString &line) { return line.contains(QLatin1Char('o')); });
            QCOMPARE(got, (QStringList{"e1", "last err"}));
        } else {
            QCOMPARE(readAll(outPath), outFile);
            QCOMPARE(readAll(errPath), errFile);
        }
    }

    // Every worker of the queue appends to the same file.
    void workersShareTheFile()
    {
        const QString path = m_dir->filePath(QStringLiteral("shared.log"));
        QVERIFY(m_queue->setOutputTarget(Channel::StandardOutput, Target::TruncateFile, path));
        QCOMPARE(say(QStringLiteral("first worker\n"), {}, false).outcome, Outcome::Done);
        QCOMPARE(say(QStringLiteral("second worker\n"), {}, false).outcome, Outcome::Done);
        QCOMPARE(readAll(path), QStringLiteral("first worker\nsecond worker\n"));
        // Back to the signal: the file is left alone.
        QVERIFY(m_queue->setOutputTarget(Channel::StandardOutput, Target::Signal));
        QSignalSpy output(m_queue, &TaskQueue::workerOutput);
        QCOMPARE(say(QStringLiteral("third\n"), {}, false).outcome, Outcome::Done);
        QCOMPARE(output.size(), 1);
        QCOMPARE(output.first().at(1).toString(), QStringLiteral("third"));
        QCOMPARE(readAll(path), QStringLiteral("first worker\nsecond worker\n"));
    }

    // A target that cannot serve is refused with the reason, and the
    // previous one stays.
    void badTargetsAreRefused_data()
    {
        QTest::addColumn<Target>("target");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        QTest::newRow("a file without a path") << Target::AppendToFile << QString()
                                               << "the workers' stderr cannot go to a file without a path";
        QTest::newRow("a path for the signal") << Target::Signal << "out.log"
                                               << "a path (out.log) is only for a file target";
        QTest::newRow("a path for nowhere") << Target::Discard << "out.log"
                                            << "a path (out.log) is only for a file target";
        QTest::newRow("no such directory") << Target::TruncateFile << "missing/out.log"
                                           << "cannot open missing/out.log for the workers' stderr: ";
        QTest::newRow("a directory") << Target::AppendToFile << "." << "cannot open . for the workers' stderr: ";
    }
    void badTargetsAreRefused()
    {
        QFETCH(Target, target);
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const QString kept = m_dir->filePath(QStringLiteral("kept.log"));
        QVERIFY(m_queue->setOutputTarget(Channel::StandardError, Target::AppendToFile, kept));
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_dir->path()));
        QString error;
        const bool set = m_queue->setOutputTarget(Channel::StandardError, target, path, &error);
        QVERIFY(QDir::setCurrent(previous));
        QVERIFY(!set);
        QVERIFY2(error.startsWith(reason), qPrintable(error));
        QCOMPARE(m_queue->outputTarget(Channel::StandardError), Target::AppendToFile);
        QCOMPARE(say({}, QStringLiteral("still here\n"), false).outcome, Outcome::Done);
        QCOMPARE(readAll(kept), QStringLiteral("still here\n"));
    }

    // A file that cannot take a line: errorOccurred() once, with the file.
    void failedWritesAreReported()
    {
        if (!QFile::exists(QStringLiteral("/dev/full")))
            QSKIP("no /dev/full here");
        QVERIFY(m_queue->setOutputTarget(Channel::StandardOutput, Target::AppendToFile, QStringLiteral("/dev/full")));
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        QCOMPARE(say(QStringLiteral("a\nb\nc\n"), {}, false).outcome, Outcome::Done);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().at(0).toString().startsWith(QLatin1String("cannot write the workers' stdout to /dev/full: ")),
                 qPrintable(errors.first().at(0).toString()));
        QCOMPARE(errors.first().at(1).value<TaskQueue::Error>(), TaskQueue::Error::OutputNotWritten);
    }
};

QTEST_GUILESS_MAIN(tst_OutputTargets)
#include "tst_outputtargets.moc"
