#pragma once

#include "checkoptions.h"
#include "reporter.h"

#include <drover/task.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>

#include <memory>

namespace Drover {
class Manager;
class TaskQueue;
struct TaskResult;
}
namespace ProofLang { struct Document; }
class QueryChecks;

//! One drover-check run: reads and parses the documents, checks their
//! lemmas on a `proof` queue (and has their queries answered on a `query`
//! queue, see QueryChecks), reports each outcome, and says how it ended.
//!
//! It ends in one of two ways: start() returns false (nothing was checked),
//! or finished() fires once, after every lemma has its outcome and the
//! queue has stopped (or a manager fault made waiting pointless).
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

    void connectQueue();
    //! --memory-limit for the workers of a kind.
    void limitMemory(const QString &kind);
    void enqueueDocument(const QString &file, const ProofLang::Document &document);
    void onTaskFinished(Drover::TaskId id, const Drover::TaskResult &result);
    void onDrained();
    void count(const QString &status);
    void internalError(const QString &message);
    bool allIn() const;
    void stopWhenAllIn();
    void finishIfDone();
    void finish();

    CheckOptions m_options;
    std::unique_ptr<Reporter> m_reporter;
    std::unique_ptr<Drover::Manager> m_manager;
    Drover::TaskQueue *m_queue = nullptr;
    QHash<Drover::TaskId, LemmaRef> m_lemmas; //!< every lemma enqueued
    QSet<Drover::TaskId> m_open;              //!< those without an outcome yet
    QHash<Drover::TaskId, qint64> m_startedAt; //!< first start, epoch ms
    std::unique_ptr<QueryChecks> m_queries;   //!< only when a document has queries
    CheckSummary m_summary;
    QHash<int, qint64> m_workerPids;
    QString m_queueError;    //!< the queue's last errorOccurred()
    QString m_internalError; //!< set: the run ends with exit code 3
    QElapsedTimer m_clock;
    QTimer m_stopWatchdog;
    bool m_stopping = false;
    bool m_finished = false;
};
