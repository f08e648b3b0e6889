#pragma once

#include "checkoptions.h"
#include "coqdevelopmentbuild.h"
#include "coqreport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>

#include <memory>

namespace Drover {
class Manager;
class TaskQueue;
}

//! drover-check on a Coq development (docs/coq.md): a CoqDevelopmentBuild
//! (ide-demo/common, what drover-ide shows too) on a `coq` queue of its own,
//! its files' outcomes printed as they come (CoqReport) and counted for the
//! summary.
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
    //! Counts and prints a file's outcome.
    void report(const FileReport &report);

    CheckOptions m_options;
    CoqReport m_report;
    DroverDemo::CoqDevelopmentBuild m_build;
    std::unique_ptr<Drover::Manager> m_manager;
    Drover::TaskQueue *m_queue = nullptr;
    BuildSummary m_summary;
    int m_done = 0;
    QElapsedTimer m_clock;
};
