#pragma once

// The test suites' task kind: each task's payload (a CBOR map) chooses what
// the master half decides and what the worker does, so one plugin can play
// every row of the contract. Keys:
//   op        worker action: "echo" (default), "sleep" (ms, cooperative),
//             "spin" (ms, ignores cancellation), "crash", "exit" (code),
//             "fail" (message), "feedback" (count), "big" (bytes),
//             "big-feedback" / "big-message" (bytes, then a small one),
//             "say" ({out, err}: written as they are to stdout and stderr;
//             with crash: true the worker then exits with code 3; with
//             raise: N it then raises signal N),
//             "alloc" (MiB, touched),
//             "forwarded", "env", "spawn" (forks a sleeping child, sends its
//             pid as feedback, waits for cancellation), "run" ([program,
//             arguments...]: runs it, answers its exit code)
//   drop      requestOfTask returns nullopt
//   stay      useResponse keeps the worker, with competence "competence"
//   spawn     with stay: payloads of new tasks to enqueue
//   needs     taskMatch only on an Old worker with exactly this competence
//   freshOnly taskMatch only on a Fresh worker
// op "env" answers $SCRIPTED_MARK, which extraEnvironment() sets; "port"
// waits for a message from the master and answers it; "chat" (rounds) sends
// messages and collects the master's replies; "ask" asks the master arg
// (with "timeout" ms; with "bytes", a question of that many bytes instead);
// "workerenv" answers the worker environment.
// map() inputs reach perform() as they are (no request per input):
// integers are squared, maps are payloads. With {"greet": true} in the
// worker environment, initWorker() sends the master a message; with
// {"greetBytes": N}, a message of N bytes.
// Every response is a map {pid, worker, fresh, competence, value}.

#include "drover/taskkind.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>

class ScriptedKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "scripted.json")
    Q_INTERFACES(Drover::TaskKind)
    Q_PROPERTY(QStringList endedLog READ endedLog)
    Q_PROPERTY(QStringList marshalLog READ marshalLog)
    Q_PROPERTY(qint64 matchCalls READ matchCalls)
public:
    std::optional<QCborValue> requestOfTask(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    bool taskMatch(const Drover::WorkerStatus &status, const Drover::Task &task) override;
    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    void onMarshalError(const QString &message, const Drover::Task &task) override;
    QStringList extraEnvironment() const override;
    void onTaskEnded(const std::optional<Drover::Task> &task, Drover::EndReason reason) override;
    void initWorker(Drover::WorkerContext &context) override;
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;

    //! "cancelled:ID", "timed-out:ID", "worker-died:ID" or "worker-died:none".
    QStringList endedLog() const { return m_ended; }
    QStringList marshalLog() const { return m_marshal; }
    //! How many times the queue has called taskMatch().
    qint64 matchCalls() const { return m_matchCalls; }

private:
    QStringList m_ended;
    QStringList m_marshal;
    qint64 m_matchCalls = 0;
};
