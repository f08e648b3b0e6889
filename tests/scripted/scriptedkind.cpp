#include "scriptedkind.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QThread>

#include <csignal>
#include <cstdlib>
#include <vector>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Drover;

std::optional<QCborValue> ScriptedKind::requestOfTask(const WorkerStatus &status, const Task &task)
{
    if (task.payload.isArray()) // a map() chunk: the inputs go as they are
        return task.payload;
    const QCborMap payload = task.payload.toMap();
    if (payload.value(QLatin1String("drop")).toBool())
        return std::nullopt;
    QCborMap request;
    request.insert(QLatin1String("payload"), payload);
    request.insert(QLatin1String("fresh"), status.fresh);
    request.insert(QLatin1String("competence"), status.competence);
    return request;
}

bool ScriptedKind::taskMatch(const WorkerStatus &status, const Task &task)
{
    ++m_matchCalls;
    const QCborMap payload = task.payload.toMap();
    if (payload.value(QLatin1String("freshOnly")).toBool())
        return status.fresh;
    const QCborValue needs = payload.value(QLatin1String("needs"));
    if (needs.isUndefined())
        return true;
    return !status.fresh && status.competence == needs;
}

Decision ScriptedKind::useResponse(const WorkerStatus &, const Task &task, const QCborValue &)
{
    if (task.payload.isArray()) // map() chunks run on persistent workers
        return Decision::keep({});
    const QCborMap payload = task.payload.toMap();
    if (!payload.value(QLatin1String("stay")).toBool())
        return Decision::end();
    QList<Task> next;
    for (const QCborValue &p : payload.value(QLatin1String("spawn")).toArray()) {
        Task t;
        t.payload = p;
        t.name = QStringLiteral("spawned");
        next << t;
    }
    return Decision::keep(payload.value(QLatin1String("competence")), next);
}

QStringList ScriptedKind::extraEnvironment() const
{
    return {QStringLiteral("SCRIPTED_MARK=from-extraEnvironment")};
}

void ScriptedKind::onMarshalError(const QString &message, const Task &task)
{
    m_marshal << QStringLiteral("%1:%2").arg(task.id).arg(message);
}

void ScriptedKind::onTaskEnded(const std::optional<Task> &task, EndReason reason)
{
    const QString why = reason == EndReason::Cancelled ? QStringLiteral("cancelled")
                        : reason == EndReason::TimedOut ? QStringLiteral("timed-out")
                                                        : QStringLiteral("worker-died");
    m_ended << why + QLatin1Char(':') + (task ? QString::number(task->id) : QStringLiteral("none"));
}

// ---- worker half -------------------------------------------------------------

void ScriptedKind::initWorker(WorkerContext &context)
{
    if (context.workerEnvironment()[QLatin1String("greet")].toBool())
        context.sendMessage(QStringLiteral("hello from worker %1").arg(context.workerId()));
    if (const qint64 bytes = context.workerEnvironment()[QLatin1String("greetBytes")].toInteger())
        context.sendMessage(QByteArray(qsizetype(bytes), 'g'));
}

QCborValue ScriptedKind::perform(const QCborValue &request, WorkerContext &context)
{
    if (request.isInteger()) // a map() input: square it
        return request.toInteger() * request.toInteger();
    const QCborMap req = request.toMap();
    // A map() input that is a payload comes unwrapped, without fresh and
    // competence.
    const QCborValue rawPayload = req.contains(QLatin1String("payload")) ? req.value(QLatin1String("payload")) : request;
    const QCborMap payload = rawPayload.toMap();
    const QString op = payload.value(QLatin1String("op")).toString(QStringLiteral("echo"));
    const QCborValue arg = payload.value(QLatin1String("arg"));
    QCborValue value = arg;

    if (op == QLatin1String("sleep")) {
        // receiveMessage() wakes the moment the task is cancelled: no polling.
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < arg.toInteger() && !context.isCancelled())
            context.receiveMessage(std::chrono::milliseconds(arg.toInteger() - clock.elapsed()));
        value = context.isCancelled() ? QCborValue(QStringLiteral("cancelled")) : QCborValue(clock.elapsed());
    } else if (op == QLatin1String("spin")) {
        QElapsedTimer clock;
        clock.start();
        volatile quint64 sink = 0;
        while (clock.elapsed() < arg.toInteger())
            sink = sink + 1;
    } else if (op == QLatin1String("crash")) {
        std::abort();
    } else if (op == QLatin1String("exit")) {
        ::_exit(int(arg.toInteger()));
    } else if (op == QLatin1String("fail")) {
        throw TaskFailure(arg.toString().toStdString());
    } else if (op == QLatin1String("feedback-then-crash")) {
        for (qint64 i = 0; i < arg.toInteger(); ++i)
            context.sendFeedback(i);
        std::abort();
    } else if (op == QLatin1String("feedback")) {
        for (qint64 i = 0; i < arg.toInteger(); ++i)
            context.sendFeedback(i);
    } else if (op == QLatin1String("big-feedback")) {
        context.sendFeedback(QByteArray(qsizetype(arg.toInteger()), 'f'));
        context.sendFeedback(QStringLiteral("small"));
    } else if (op == QLatin1String("big-message")) {
        context.sendMessage(QByteArray(qsizetype(arg.toInteger()), 'm'));
        context.sendMessage(QStringLiteral("small"));
    } else if (op == QLatin1String("say")) {
        // Straight to the descriptors: nothing buffered is lost in a crash.
        const QByteArray out = arg[QLatin1String("out")].toString().toLocal8Bit();
        const QByteArray err = arg[QLatin1String("err")].toString().toLocal8Bit();
        if (::write(STDOUT_FILENO, out.constData(), size_t(out.size())) < 0
            || ::write(STDERR_FILENO, err.constData(), size_t(err.size())) < 0)
            throw TaskFailure("cannot write");
        if (arg[QLatin1String("crash")].toBool())
            ::_exit(3);
        if (const int signal = int(arg[QLatin1String("raise")].toInteger()))
            ::raise(signal); // a crash after its last words
    } else if (op == QLatin1String("big")) {
        value = QByteArray(qsizetype(arg.toInteger()), 'x');
    } else if (op == QLatin1String("alloc")) {
        // arg MiB, touched page by page so it is really resident.
        std::vector<char> block(size_t(arg.toInteger()) << 20);
        for (size_t i = 0; i < block.size(); i += 4096)
            block[i] = char(i);
        value = qint64(block.size());
    } else if (op == QLatin1String("port")) {
        // Waits for the master's message (sent from the onStart hook).
        value = context.receiveMessage(std::chrono::seconds(30)).value_or(QCborValue(QStringLiteral("no message")));
    } else if (op == QLatin1String("chat")) {
        // arg rounds of: message to the master, wait for its reply.
        QCborArray replies;
        for (qint64 i = 0; i < arg.toInteger(); ++i) {
            context.sendMessage(QStringLiteral("ping %1").arg(i));
            replies.append(context.receiveMessage(std::chrono::seconds(30)).value_or(QCborValue(QStringLiteral("none"))));
        }
        value = replies;
    } else if (op == QLatin1String("ask")) {
        QString error;
        const qint64 bytes = payload.value(QLatin1String("bytes")).toInteger();
        const QCborValue question = bytes > 0 ? QCborValue(QByteArray(qsizetype(bytes), 'q')) : arg;
        const std::optional<QCborValue> answer = context.ask(question, std::chrono::milliseconds(
            payload.value(QLatin1String("timeout")).toInteger(5000)), &error);
        value = answer ? *answer : QCborValue(QStringLiteral("error: ") + error);
    } else if (op == QLatin1String("workerenv")) {
        value = context.workerEnvironment();
    } else if (op == QLatin1String("env")) {
        value = qEnvironmentVariable("SCRIPTED_MARK");
    } else if (op == QLatin1String("forwarded")) {
        QCborArray all;
        for (const QCborValue &v : context.forwardedFeedback())
            all.append(v);
        value = all;
    } else if (op == QLatin1String("run")) {
        // A command (arg: [program, arguments...]) as a child of the worker,
        // with its environment (a make there finds the worker's jobserver);
        // the answer is its exit code, -1 if it did not exit. Cancelling
        // the task kills it.
        std::vector<QByteArray> words;
        for (const QCborValue &word : arg.toArray())
            words.push_back(word.toString().toLocal8Bit());
        std::vector<char *> argv;
        for (QByteArray &word : words)
            argv.push_back(word.data());
        argv.push_back(nullptr);
        const pid_t child = words.empty() ? -1 : ::fork();
        if (child == 0) {
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        int status = 0;
        while (child > 0 && ::waitpid(child, &status, WNOHANG) == 0) {
            if (context.isCancelled())
                ::kill(child, SIGKILL);
            QThread::msleep(5);
        }
        value = child > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    } else if (op == QLatin1String("spawn")) {
        // A grandchild that would outlive a careless kill: it must die with
        // its worker's process group.
        const pid_t child = ::fork();
        if (child == 0) {
            ::execl("/bin/sleep", "sleep", "600", static_cast<char *>(nullptr));
            ::_exit(127);
        }
        context.sendFeedback(qint64(child));
        while (!context.isCancelled())
            QThread::msleep(5);
        value = child;
    } else if (op == QLatin1String("children")) {
        // arg children running `sleep 600` (each in a session of its own
        // with "escape": out of the worker's group), their pids as one
        // feedback; then the task returns, or with "then" waits to be
        // cancelled ("wait") or crashes its worker ("crash").
        QCborArray pids;
        const bool escape = payload.value(QLatin1String("escape")).toBool();
        for (qint64 i = 0; i < arg.toInteger(); ++i) {
            const pid_t child = ::fork();
            if (child == 0) {
                if (escape)
                    ::setsid();
                ::execl("/bin/sleep", "sleep", "600", static_cast<char *>(nullptr));
                ::_exit(127);
            }
            pids.append(qint64(child));
        }
        context.sendFeedback(pids);
        const QString then = payload.value(QLatin1String("then")).toString();
        if (then == QLatin1String("wait")) {
            while (!context.isCancelled())
                QThread::msleep(5);
        } else if (then == QLatin1String("crash")) {
            std::abort();
        }
        value = pids;
    } else if (op == QLatin1String("environ")) {
        // What anyone of the same user reads in /proc/PID/environ.
        QFile environ(QStringLiteral("/proc/self/environ"));
        value = environ.open(QIODevice::ReadOnly) ? QCborValue(environ.readAll()) : QCborValue(QStringLiteral("unreadable"));
    }

    QCborMap response;
    response.insert(QLatin1String("pid"), qint64(::getpid()));
    response.insert(QLatin1String("worker"), context.workerId());
    response.insert(QLatin1String("fresh"), req.value(QLatin1String("fresh")));
    response.insert(QLatin1String("competence"), req.value(QLatin1String("competence")));
    response.insert(QLatin1String("value"), value);
    return response;
}
