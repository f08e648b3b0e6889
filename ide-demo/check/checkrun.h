#pragma once

#include "checkoptions.h"
#include "reporter.h"

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

//! One drover-check run: reads and parses the documents, checks their
//! lemmas on a `proof` queue, reports each outcome, and says how it ended.
class CheckRun : public QObject
{
    Q_OBJECT
public:
    explicit CheckRun(CheckOptions options, QObject *parent = nullptr);
    ~CheckRun() override;

    //! Reads and parses every file and starts checking. Returns false, with
    //! the exit code, when nothing can start (unreadable input: 2; no proof
    //! plugin: 3); the error is already printed.
    bool start(int *exitCode);

    //! Ctrl-C: cancels everything; the run still ends with its summary.
    void interrupt();

Q_SIGNALS:
    //! Every lemma has its outcome and the workers are gone.
    void finished(int exitCode);

private:
    struct LemmaRef
    {
        QString file;
        QString name;
        int line = 0;
    };

    void onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result);
    void finishIfDone();

    CheckOptions m_options;
    std::unique_ptr<Reporter> m_reporter;
    std::unique_ptr<Drover::Manager> m_manager;
    Drover::TaskQueue *m_queue = nullptr;
    QHash<Drover::TaskId, LemmaRef> m_lemmas;
    QHash<int, qint64> m_workerPids;
    CheckSummary m_summary;
    int m_done = 0;
    QString m_internalError;
    QElapsedTimer m_clock;
    bool m_finished = false;
};
