// Drover::Testing (drover/testing.h): a kind's worker half run in the test's
// own process, with the scripted kind loaded as any plugin is.

#include <drover/taskkind.h>
#include <drover/testing.h>

#include <QtCore/QCborMap>
#include <QtCore/QDir>
#include <QtCore/QPluginLoader>
#include <QtCore/QThread>
#include <QtTest/QTest>

using Drover::Testing::LocalContext;
using Drover::Testing::Performed;

namespace {
QCborValue op(const char *name, const QCborValue &arg = {})
{
    return QCborMap{{QStringLiteral("op"), QString::fromLatin1(name)}, {QStringLiteral("arg"), arg}};
}
} // namespace

class tst_Testing : public QObject
{
    Q_OBJECT

    QPluginLoader m_loader{QDir(QStringLiteral(SCRIPTED_PLUGIN_DIR)).filePath(QStringLiteral("libdrover_scripted.so"))};
    Drover::TaskKind *m_kind = nullptr;

private slots:
    void initTestCase()
    {
        m_kind = qobject_cast<Drover::TaskKind *>(m_loader.instance());
        QVERIFY2(m_kind, qPrintable(m_loader.errorString()));
    }

    // The response, and what perform() sent on the way, in order.
    void responseAndFeedback()
    {
        const Performed run = Drover::Testing::perform(*m_kind, op("feedback", 3));
        QVERIFY2(run.failure.isEmpty(), qPrintable(run.failure));
        QVERIFY(run.response.has_value());
        QCOMPARE(run.response->toMap().value(QStringLiteral("worker")).toInteger(), 1);
        QCOMPARE(run.feedback, (QList<QCborValue>{0, 1, 2}));
    }

    // A TaskFailure is caught, as drover-worker catches it: the task would end Failed.
    void failureIsCaught()
    {
        const Performed run = Drover::Testing::perform(*m_kind, op("fail", QStringLiteral("no such lemma")));
        QVERIFY(!run.response);
        QCOMPARE(run.failure, QStringLiteral("no such lemma"));
    }

    // What the master would have given: the worker environment, forwarded
    // feedback, messages, and answers to ask().
    void whatTheMasterGives_data()
    {
        QTest::addColumn<QCborValue>("request");
        QTest::addColumn<QCborValue>("expected");
        QTest::newRow("worker environment") << op("workerenv") << QCborValue(QStringLiteral("env-value"));
        QTest::newRow("ask answered") << op("ask", QStringLiteral("question")) << QCborValue(QStringLiteral("re: question"));
        QTest::newRow("a message") << op("port") << QCborValue(4711);
    }

    void whatTheMasterGives()
    {
        QFETCH(QCborValue, request);
        QFETCH(QCborValue, expected);
        LocalContext context;
        context.environment = QStringLiteral("env-value");
        context.answer = [](const QCborValue &q) { return std::optional<QCborValue>(QStringLiteral("re: ") + q.toString()); };
        context.post(4711);
        const Performed run = Drover::Testing::perform(*m_kind, request, context);
        QVERIFY2(run.failure.isEmpty(), qPrintable(run.failure));
        QCOMPARE(run.response->toMap().value(QStringLiteral("value")), expected);
    }

    // initWorker() runs once per context, before its first task.
    void initWorkerRunsOnce()
    {
        LocalContext context;
        context.environment = QCborMap{{QStringLiteral("greet"), true}};
        Drover::Testing::perform(*m_kind, op("echo"), context);
        const Performed second = Drover::Testing::perform(*m_kind, op("echo"), context);
        QCOMPARE(second.sentMessages, (QList<QCborValue>{QStringLiteral("hello from worker 1")}));
    }

    // Without a handler, ask() fails saying why.
    void askWithoutHandler()
    {
        const Performed run = Drover::Testing::perform(*m_kind, op("ask", QStringLiteral("q")));
        QVERIFY(run.response->toMap().value(QStringLiteral("value")).toString().contains(QLatin1String("no request handler")));
    }

    // cancel() from another thread reaches a task that waits (a minute,
    // unless the cancellation wakes it), whenever it comes.
    void cancelFromAnotherThread()
    {
        LocalContext context;
        QThread *canceller = QThread::create([&context] { context.cancel(); });
        canceller->start();
        const Performed run = Drover::Testing::perform(*m_kind, op("sleep", 60000), context);
        canceller->wait();
        delete canceller;
        QCOMPARE(run.response->toMap().value(QStringLiteral("value")).toString(), QStringLiteral("cancelled"));
        QVERIFY(context.isCancelled());
    }
};

QTEST_MAIN(tst_Testing)
#include "tst_testing.moc"
