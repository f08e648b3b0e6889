// The README's examples, compiled so that they stay true to the API. Each
// function is one README section; none is run (the suites test the same
// behaviour), but every one must build.

#include <drover/function.h>
#include <drover/manager.h>
#include <drover/message.h>
#include <drover/processfate.h>
#include <drover/taskqueue.h>

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QFile>
#include <QtCore/QFutureWatcher>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTimer>

#include <csignal>

using namespace std::chrono_literals;

// [hooks]
void hooks(Drover::TaskQueue *queue, quint16 freePort)
{
    Drover::Task task;
    task.payload = QStringLiteral("serve");
    Drover::TaskHooks hooks;
    hooks.onStart = [freePort](const Drover::TaskContext &context) {
        context.sendMessage(freePort);            // known only now, not at enqueue
    };
    hooks.onMessage = [](const Drover::TaskContext &, const QCborValue &message) {
        qInfo() << "worker says" << message;
    };
    hooks.onFinish = [](const Drover::TaskResult &result) {
        qInfo() << Drover::outcomeName(result.outcome) << result.message;
    };
    queue->enqueue(task, hooks);
}
// [hooks]

// [messages]

// [functions]
// A header both halves include: the function, its query and reply types.
struct Rect
{
    double width = 0;
    double height = 0;
};

template<>
struct Drover::Codec<Rect>
{
    static constexpr const char *name = "Rect";
    static QCborValue encode(const Rect &r) { return QCborArray{r.width, r.height}; }
    static std::optional<Rect> decode(const QCborValue &v)
    {
        const QCborArray a = v.toArray();
        if (a.size() != 2 || !a[0].isDouble() || !a[1].isDouble())
            return std::nullopt;
        return Rect{a[0].toDouble(), a[1].toDouble()};
    }
};

inline constexpr Drover::Function<Rect, double> area{"area"};

// The worker half: the kind's constructor fills a table, perform() runs it.
void implementArea(Drover::FunctionTable &functions)
{
    functions.implement(area, [](const Rect &r, Drover::WorkerContext &) { return r.width * r.height; });
    // functions.implement(area, [](const QString &, Drover::WorkerContext &) { return 0.0; });  // does not compile
}

// The master: a future of the reply.
void callArea(Drover::TaskQueue *queue)
{
    QFuture<double> a = Drover::call(queue, area, Rect{3, 4});
    a.then([](double value) { qInfo() << "area" << value; })
        .onFailed([](const Drover::TaskFailure &failure) { qWarning() << failure.what(); });
    // Drover::call(queue, area, QStringLiteral("3x4"));  // does not compile
}
// [functions]
struct Progress
{
    int done = 0;
    int total = 0;
};

template<>
struct Drover::Codec<Progress>
{
    static constexpr const char *name = "Progress";
    static QCborValue encode(const Progress &p) { return QCborArray{p.done, p.total}; }
    static std::optional<Progress> decode(const QCborValue &v)
    {
        const QCborArray a = v.toArray();
        if (a.size() != 2 || !a[0].isInteger() || !a[1].isInteger())
            return std::nullopt;
        return Progress{int(a[0].toInteger()), int(a[1].toInteger())};
    }
};

// In the worker, inside perform():
void reportProgress(Drover::WorkerContext &context, int done, int total)
{
    Drover::Message<Progress>::send(context, {done, total});
    if (std::optional<QString> reply = Drover::Message<QString>::receive(context, 100ms))
        qInfo() << "master replied" << *reply;
}

// In the master:
void followProgress(Drover::TaskQueue *queue)
{
    QObject::connect(queue, &Drover::TaskQueue::taskMessage, queue, [queue](Drover::TaskId id, const QCborValue &value) {
        QString error;
        if (auto progress = Drover::Message<Progress>::tryDecode(value, &error))
            queue->sendMessage(id, QStringLiteral("%1 of %2 seen").arg(progress->done).arg(progress->total));
        else
            qWarning() << error;                  // "expected a message of type Progress, got ..."
    });
}
// [messages]

// [ask]
// Master: answer workers' questions, now or later.
void answerQuestions(Drover::TaskQueue *queue, QHash<QString, QString> *definitions)
{
    queue->setRequestHandler([definitions](const Drover::WorkerRequest &request) {
        const QString name = request.question().toString();
        if (definitions->contains(name))
            request.answer(definitions->value(name));
        else
            request.fail(QStringLiteral("%1 is not defined").arg(name));
    });
}

// Worker, inside perform(): blocks until the answer, or fails after 2 s.
QString definitionOf(Drover::WorkerContext &context, const QString &name)
{
    QString error;
    const std::optional<QCborValue> answer = context.ask(name, 2s, &error);
    if (!answer)
        throw Drover::TaskFailure(error.toStdString());
    return answer->toString();
}
// [ask]

// [environment]
void shareATable(Drover::TaskQueue *queue, const QCborArray &primes)
{
    queue->setWorkerEnvironment(primes);          // sent once to each worker as it starts
}
// ... and every task on that worker reads it: context.workerEnvironment().toArray()

// Or each worker its own, made from its id (rpc_parallel's init_arg per spawn).
void shardPerWorker(Drover::TaskQueue *queue, const QList<QCborArray> &shards)
{
    queue->setPerWorkerEnvironment([shards](int workerId) {
        return QCborValue(shards.at(workerId % shards.size()));
    });
}
// [environment]

// [pinning]
void askTheSameWorker(Drover::TaskQueue *queue, int workerId)
{
    Drover::Task followUp;
    followUp.payload = QStringLiteral("what do you hold?");
    followUp.pinnedWorker = workerId;             // only that worker runs it; WorkerDied if it goes
    queue->enqueue(followUp);
}
// [pinning]

// [output]
void keepWorkerLogs(Drover::TaskQueue *queue, const QString &logFile)
{
    using Channel = Drover::TaskQueue::OutputChannel;
    using Target = Drover::TaskQueue::OutputTarget;
    QString error;
    if (!queue->setOutputTarget(Channel::StandardError, Target::AppendToFile, logFile, &error))
        qWarning() << error;                      // "cannot open ... for the workers' stderr: ..."
    queue->setOutputTarget(Channel::StandardOutput, Target::Discard);
}
// [output]

// [exits]
void watchCrashes(Drover::TaskQueue *queue)
{
    // Not a quit, an idle reap, a kill control, a timeout or a cancel's grace.
    QObject::connect(queue, &Drover::TaskQueue::workerExitedUnexpectedly, queue,
                     [](int workerId, const QString &status) {
                         qWarning() << "worker" << workerId << status; // "was killed by SIGSEGV"
                     });
    // The same words for a process of your own.
    qInfo() << Drover::exitStatusText(QProcess::CrashExit, SIGSEGV);
}
// [exits]

// [futures]
void futures(Drover::TaskQueue *queue, const QList<QCborValue> &inputs)
{
    Drover::Task task;
    task.payload = QStringLiteral("check");
    auto *watcher = new QFutureWatcher<Drover::TaskResult>(queue);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher] {
        if (!watcher->isCanceled())
            qInfo() << watcher->result().response;
        watcher->deleteLater();
    });
    watcher->setFuture(queue->submit(task)); // watcher->cancel() cancels the task

    Drover::MapOptions options;
    options.granularity = 100;                   // 100 inputs per request
    options.ordered = true;                      // results arrive in input order
    auto *mapping = new QFutureWatcher<QCborValue>(queue);
    QObject::connect(mapping, &QFutureWatcherBase::resultsReadyAt, mapping, [mapping](int begin, int end) {
        for (int i = begin; i < end; ++i)
            qInfo() << i << mapping->resultAt(i);
    });
    mapping->setFuture(queue->map(inputs, options));

    // A stream: inputs pulled as chunks end, at most 4 chunks at once; a
    // failed chunk leaves its inputs undefined and the rest goes on.
    Drover::MapOptions streaming;
    streaming.maxChunksInFlight = 4;
    streaming.onFailure = Drover::MapOptions::OnFailure::Continue;
    QFuture<QCborValue> lines = queue->mapStream(
        [file = std::make_shared<QFile>(QStringLiteral("big.txt"))]() -> std::optional<QCborValue> {
            if (!file->isOpen() && !file->open(QIODevice::ReadOnly))
                return std::nullopt;
            const QByteArray line = file->readLine();
            return line.isEmpty() ? std::nullopt : std::optional<QCborValue>(QString::fromUtf8(line));
        },
        streaming);
    Q_UNUSED(lines);
}
// [futures]

// [scheduler]
void scheduler(Drover::TaskQueue *queue, std::function<std::optional<Drover::Task>()> nextJob)
{
    // Feed work as workers free up (seed 001's on_empty_queue).
    QObject::connect(queue, &Drover::TaskQueue::queueEmptied, queue, [queue, nextJob](int) {
        if (std::optional<Drover::Task> job = nextJob())
            queue->enqueue(*job);
    });
    // A delayed action is a QTimer; Drover has no timer of its own.
    QTimer::singleShot(500ms, queue, [queue] { queue->clear(); });
    // Without an event loop of your own: run one until all is done.
    if (!queue->waitForDrained(60s))
        queue->stop(); // or stopWhenDrained(), terminate(); start() again later
}
// [scheduler]

// [logging]
void quietDrover()
{
    // Drover logs through drover.manager, drover.queue, drover.worker,
    // drover.wire, drover.plugin and drover.slots.
    QLoggingCategory::setFilterRules(QStringLiteral("drover.*.debug=false\ndrover.queue.info=false"));
}

// Logs and WorkerListModel name a request after its task, or as you say.
void nameRequests(Drover::TaskQueue *queue)
{
    queue->setRequestNamer([](const Drover::Task &task, const QCborValue &request) {
        const qsizetype steps = request.toMap()[QLatin1String("steps")].toArray().size();
        return QStringLiteral("%1 (%2 steps to check)").arg(task.name).arg(steps);
    });
}
// [logging]

// [ide]
void runUpper()
{
    Drover::Manager manager;
    Drover::TaskQueue *queue = manager.queue(QStringLiteral("upper")); // nullptr + manager.errorString() if missing
    if (!queue)
        return;
    queue->setMaxWorkers(4);
    QObject::connect(queue, &Drover::TaskQueue::taskFinished, [](Drover::TaskId id, const Drover::TaskResult &r) {
        qInfo() << id << Drover::outcomeName(r.outcome) << r.response;
    });
    Drover::Task task;
    task.payload = QStringLiteral("hello");
    queue->enqueue(task);
    queue->waitForDrained();
}
// [ide]

int main()
{
    return 0;
}
