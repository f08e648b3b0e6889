#pragma once

#include "checkoptions.h"
#include "coqgraph.h"
#include "coqhistory.h"
#include "coqproject.h"
#include "coqreport.h"
#include "coqtask.h"

#include <drover/task.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>

#include <memory>

namespace Drover {
class Manager;
class TaskQueue;
struct TaskResult;
}

//! drover-check on a Coq development (docs/coq.md): reads its _CoqProject,
//! asks coqdep for the graph, and compiles each file on a `coq` queue as
//! soon as what it needs is built, the longest remaining chain first. A file
//! whose dependency failed is skipped, naming it; a file whose .vo is newer
//! than its source and than every .vo it needs is not rebuilt. The files'
//! times are kept for the next build's ranks (CoqHistory).
//!
//! Ends as CheckRun does: start() returns false (nothing was built), or
//! finished() fires once, after every file has its outcome and the workers
//! are gone.
class CoqBuild : public QObject
{
    Q_OBJECT
public:
    explicit CoqBuild(CheckOptions options, QObject *parent = nullptr);
    ~CoqBuild() override;

    //! Reads the development and starts. False, with the exit code, when
    //! nothing can start (bad input, no coqc: 2; no coq plugin: 3); the
    //! error is already printed.
    bool start(int *exitCode);
    //! Ctrl-C: cancels what runs and what waits; the summary still comes.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

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
    //! Counts and prints a file's outcome.
    void report(int node, FileReport report);
    void skipDependents(int node);
    //! A file's real time came in: it weighs that now, and every queued
    //! file's rank (its priority) follows.
    void reweigh(int node, qint64 ms);
    void finishIfDone();

    CheckOptions m_options;
    CoqReport m_report;
    CoqLib::CoqProject m_project;
    std::optional<CoqLib::CoqGraph> m_graph;
    std::optional<CoqLib::CoqHistory> m_history;
    QString m_coqc;
    QString m_coqdep;
    std::unique_ptr<Drover::Manager> m_manager;
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
    BuildSummary m_summary;
    int m_done = 0;
    bool m_interrupted = false;
    bool m_stopping = false;
    QElapsedTimer m_clock;
};
