#pragma once

#include "coqfilereport.h"
#include "coqgraph.h"
#include "coqhistory.h"
#include "coqproject.h"
#include "coqtask.h"

#include <drover/task.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <optional>

namespace Drover {
class TaskQueue;
struct TaskResult;
}

namespace DroverDemo {

//! A build of a Coq development on a `coq` queue (docs/coq.md), what
//! drover-check prints and drover-ide shows: reads the _CoqProject, asks
//! coqdep for the graph, and compiles each file as soon as what it needs is
//! built, the longest remaining chain first. A file whose dependency did not
//! build is skipped, naming it; a file whose .vo is newer than its source and
//! than every .vo it needs is not rebuilt. The files' times are kept for the
//! next build's ranks (CoqHistory). Nothing is printed here.
//!
//! Every file gets exactly one fileFinished(); finished() fires once, after
//! the last. The queue is the caller's (its size, limits and stop()); the
//! build only enqueues, cancels and reprioritises its own tasks. Main thread.
class CoqDevelopmentBuild : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool quick = false;           //!< each file as -vos, then -vok
        Drover::TaskOptions taskOptions; //!< every coqc task's time limits and retries
    };

    explicit CoqDevelopmentBuild(Options options, QObject *parent = nullptr);

    //! Reads the development `arguments` name (a directory with a
    //! _CoqProject, a _CoqProject, or .v files), finds coqc and coqdep
    //! ($COQBIN, else PATH) and asks coqdep for the graph. False, with a
    //! one-line reason in *error, when any of that fails; nothing has run.
    bool load(const QStringList &arguments, QString *error);

    const CoqLib::CoqProject &project() const { return m_project; }
    //! The files, relative to the root, in the _CoqProject's order.
    QStringList files() const;
    QString absolutePath(const QString &file) const;
    //! What coqdep warned about (a library it cannot find); coqc will fail on it.
    QString coqdepWarnings() const { return m_coqdepWarnings; }
    //! Set when the files' times could not be kept at the end.
    QString historyError() const { return m_historyError; }
    bool isFinished() const { return m_finished; }

    //! Starts building on `queue` from the event loop: the first signals
    //! (up-to-date files, the first fileQueued()) come after start() returns.
    void start(Drover::TaskQueue *queue);
    //! Cancels one file: it ends `cancelled` (at once when it waits, when its
    //! coqc stops when it runs) and the files that need it are skipped.
    void cancel(const QString &file);
    //! Cancels what runs and what waits (`why` is the message of the files
    //! that had not started); finished() still comes.
    void cancelAll(const QString &why);

Q_SIGNALS:
    void fileQueued(const QString &file);
    //! The first of its tasks was taken by a worker.
    void fileStarted(const QString &file, int workerId);
    void fileFinished(const DroverDemo::FileReport &report);
    void finished();

private:
    enum class State { Waiting, Queued, Done, Failed };

    bool runCoqdep(QString *error);
    void enqueueReady();
    bool upToDate(int node) const;
    void enqueue(int node, CoqLib::CoqRequest::Mode mode);
    void onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result);
    //! --quick: one of a file's two tasks ended; the file is reported once both have.
    void onQuickPhase(int node, CoqLib::CoqRequest::Mode mode, FileReport phase);
    //! The file's dependents may build on it (ok) or not, and it is reported.
    void settle(int node, FileReport report);
    void report(int node, FileReport report);
    void skipDependents(int node);
    //! A file's real time came in: it weighs that now, and every queued
    //! file's rank (its priority) follows.
    void reweigh(int node, qint64 ms);
    void finishIfDone();
    QString relative(int node) const;

    Options m_options;
    CoqLib::CoqProject m_project;
    std::optional<CoqLib::CoqGraph> m_graph;
    std::optional<CoqLib::CoqHistory> m_history;
    QString m_coqc;
    QString m_coqdep;
    QString m_coqdepWarnings;
    QString m_historyError;
    Drover::TaskQueue *m_queue = nullptr;
    QList<State> m_states;
    struct Job
    {
        int node;
        CoqLib::CoqRequest::Mode mode;
    };
    QHash<Drover::TaskId, Job> m_tasks;
    QHash<int, FileReport> m_firstPhase; //!< --quick: the phase of a file that ended first
    QHash<Drover::TaskId, qint64> m_started; //!< ms since the start, by task
    QSet<int> m_startedNodes; //!< files one of whose tasks a worker took
    QList<bool> m_reported;
    int m_done = 0;
    bool m_cancelledAll = false;
    bool m_finished = false;
    QElapsedTimer m_clock;
    qint64 m_epochAtStart = 0; // m_clock's start, epoch ms
};

} // namespace DroverDemo
