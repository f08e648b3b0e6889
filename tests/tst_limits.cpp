// The frame limit on every message type (docs/wire.md, "Messages over the
// limit"): whatever does not fit is refused where it is made and its maker is
// told - a return value, errorOccurred() or the task's outcome - never
// dropped in silence.

#include "drover/manager.h"
#include "drover/taskkind.h"
#include "drover/taskqueue.h"
#include "support/processes.h"
#include "support/recorder.h"
#include "support/scriptedqueue.h"
#include "support/scripted.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Drover;
using namespace std::chrono_literals;
using TestSupport::OutcomeRecorder;
using TestSupport::scripted;

namespace {
constexpr qint64 Limit = 64 * 1024;
constexpr qint64 TooLarge = 200 * 1024;
} // namespace

class tst_Limits : public QObject, protected TestSupport::ScriptedQueueFixture
{
    Q_OBJECT

private:

    QCborValue valueOf(TaskId id) const { return m_recorder->result(id).response[QLatin1String("value")]; }

    // The queue goes on: a task after the refusal is done.
    void checkStillWorks()
    {
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo"), 7));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QCOMPARE(valueOf(id).toInteger(), 7);
    }

private slots:
    void init() { openScriptedQueue([](Manager &manager) { manager.setMaxFrameSize(Limit); }); }

    void cleanup() { closeScriptedQueue(); }

    // forwardFeedback(): refused at the call, so no welcome carries it and
    // new workers start as before.
    void forwardedFeedbackTooLarge()
    {
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        QVERIFY(m_queue->forwardFeedback(QStringLiteral("kept")));
        QVERIFY(!m_queue->forwardFeedback(QByteArray(TooLarge, 'x')));
        // Together too large: each fits, the standing sum does not.
        QVERIFY(m_queue->forwardFeedback(QByteArray(Limit / 2, 'a')));
        QVERIFY(!m_queue->forwardFeedback(QByteArray(Limit / 2, 'b')));
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("forwarded")));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QCOMPARE(valueOf(id).toArray(), (QCborArray{QStringLiteral("kept"), QByteArray(Limit / 2, 'a')}));
        m_queue->clearForwardedFeedback();
        QVERIFY(m_queue->forwardFeedback(QByteArray(Limit / 2, 'b'))); // room again
        QCOMPARE(errors.size(), 0);
    }

    // setWorkerEnvironment(): refused, the previous one stays.
    void workerEnvironmentTooLarge()
    {
        QVERIFY(m_queue->setWorkerEnvironment(QStringLiteral("small")));
        QVERIFY(!m_queue->setWorkerEnvironment(QByteArray(TooLarge, 'e')));
        QCOMPARE(m_queue->workerEnvironment(), QCborValue(QStringLiteral("small")));
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("workerenv")));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(valueOf(id), QCborValue(QStringLiteral("small")));
    }

    // What a worker makes during a task: the task ends MarshalError, with
    // the kind's onMarshalError() told, and the worker stays usable.
    void workerValueTooLarge_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("reason");
        QTest::newRow("feedback") << "big-feedback" << "feedback exceeds the frame limit of 65536 bytes";
        QTest::newRow("message") << "big-message" << "a message to the master exceeds the frame limit of 65536 bytes";
        QTest::newRow("response") << "big" << "the response exceeds the frame limit of 65536 bytes";
    }
    void workerValueTooLarge()
    {
        QFETCH(QString, op);
        QFETCH(QString, reason);
        QSignalSpy messages(m_queue, &TaskQueue::taskMessage);
        const TaskId id = m_queue->enqueue(scripted(op, TooLarge));
        QVERIFY(m_recorder->waitFor(id));
        const TaskResult result = m_recorder->result(id);
        QCOMPARE(result.outcome, Outcome::MarshalError);
        QCOMPARE(result.message, reason);
        auto *kind = dynamic_cast<QObject *>(m_queue->taskKind());
        QVERIFY(kind);
        const QStringList marshal = kind->property("marshalLog").toStringList();
        QVERIFY2(marshal.contains(QStringLiteral("%1:%2").arg(id).arg(reason)), qPrintable(marshal.join(u'\n')));
        // What did fit still arrived, before the outcome.
        if (op == QLatin1String("big-feedback"))
            QCOMPARE(m_recorder->feedback.value(id), QList<QCborValue>{QStringLiteral("small")});
        if (op == QLatin1String("big-message"))
            QCOMPARE(messages.size(), 1);
        checkStillWorks();
    }

    // ask(): the worker is told at once, instead of waiting out its timeout.
    void questionTooLarge()
    {
        m_queue->setRequestHandler([](const WorkerRequest &request) { request.answer(QStringLiteral("ok")); });
        Task task = scripted(QStringLiteral("ask"));
        QCborMap payload = task.payload.toMap();
        payload.insert(QLatin1String("bytes"), TooLarge);
        payload.insert(QLatin1String("timeout"), 600000);
        task.payload = payload;
        const TaskId id = m_queue->enqueue(task);
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QCOMPARE(valueOf(id).toString(), QStringLiteral("error: the question exceeds the frame limit of 65536 bytes"));
    }

    // The master's answer to ask(): the worker gets an error in its place.
    void answerTooLarge()
    {
        m_queue->setRequestHandler([](const WorkerRequest &request) { request.answer(QByteArray(TooLarge, 'a')); });
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("ask"), QStringLiteral("?")));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(valueOf(id).toString(), QStringLiteral("error: the answer exceeds the frame limit of 65536 bytes"));
    }

    // TaskQueue::sendMessage() and a hook's TaskContext: false, nothing sent.
    void masterMessageTooLarge()
    {
        TaskHooks hooks;
        bool bigSent = true;
        hooks.onStart = [&](const TaskContext &context) {
            bigSent = context.sendMessage(QByteArray(TooLarge, 'm'));
            context.sendMessage(QStringLiteral("small"));
        };
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("port")), hooks);
        QVERIFY(m_recorder->waitFor(id));
        QVERIFY(!bigSent);
        QCOMPARE(valueOf(id), QCborValue(QStringLiteral("small")));
    }

    // A message outside any task (initWorker()): errorOccurred().
    void workerMessageOutsideTaskTooLarge()
    {
        QCborMap environment;
        environment.insert(QLatin1String("greetBytes"), TooLarge);
        QVERIFY(m_queue->setWorkerEnvironment(environment));
        QSignalSpy errors(m_queue, &TaskQueue::errorOccurred);
        QSignalSpy workerMessages(m_queue, &TaskQueue::workerMessage);
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo"), 1));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::Done);
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 30000);
        QCOMPARE(errors.at(0).at(1).value<TaskQueue::Error>(), TaskQueue::Error::MessageTooLarge);
        QVERIFY2(errors.at(0).at(0).toString().endsWith(
                     QLatin1String("a message to the master exceeds the frame limit of 65536 bytes")),
                 qPrintable(errors.at(0).at(0).toString()));
        QCOMPARE(workerMessages.size(), 0);
    }

    // A request that does not fit: MarshalError, as before.
    void requestTooLarge()
    {
        const TaskId id = m_queue->enqueue(scripted(QStringLiteral("echo"), QByteArray(TooLarge, 'r')));
        QVERIFY(m_recorder->waitFor(id));
        QCOMPARE(m_recorder->result(id).outcome, Outcome::MarshalError);
        QVERIFY(m_recorder->result(id).message.startsWith(QLatin1String("the request exceeds the frame limit")));
        checkStillWorks();
    }
};

QTEST_GUILESS_MAIN(tst_Limits)
#include "tst_limits.moc"
