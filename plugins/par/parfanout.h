#pragma once

// The master side of a `par prime A..B` step: a lemma's worker asks the
// master (WorkerContext::ask) to count the primes of a range; ParFanOut cuts
// the range into block tasks of the `par` queue, merges their counts and
// answers. Front ends that check documents (drover-check, drover-ide)
// install one per proof queue.

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Par {

class ParFanOut : public QObject
{
    Q_OBJECT

public:
    //! Answers the questions of askers' workers with par's workers. par may
    //! be null (its plugin is missing): questions then fail with
    //! `unavailable` as the reason. Installs askers' request handler.
    ParFanOut(Drover::TaskQueue *askers, Drover::TaskQueue *par, const QString &unavailable = {},
              QObject *parent = nullptr);
    //! The usual set-up: a fan-out for askers over the manager's `par`
    //! queue, with at most maxWorkers par workers. When the par plugin
    //! cannot be loaded, par steps fail with the manager's reason.
    static ParFanOut *attach(Drover::Manager *manager, Drover::TaskQueue *askers, int maxWorkers,
                             QObject *parent = nullptr);

    //! Cancels the block tasks of questions not answered yet.
    ~ParFanOut() override;

    //! Questions are Par::question() values (primeblocks.h); the answer is
    //! {count, blocks, hits, workers}: the primes of the range, how many
    //! block tasks it took, how many of them a worker had cached, and on how
    //! many workers they ran.

Q_SIGNALS:
    //! A range was cut into `blocks` tasks for the asking task.
    void fannedOut(Drover::TaskId asker, int blocks);
    //! Every block of the asking task's range is in: the merged answer.
    void merged(Drover::TaskId asker, const QCborValue &answer);

private:
    struct Job;
    void onQuestion(const Drover::WorkerRequest &request);
    void onBlockFinished(quint64 job, Drover::TaskId block, const Drover::TaskResult &result);
    void abandon(quint64 job, const QString &why);

    QPointer<Drover::TaskQueue> m_askers;
    QPointer<Drover::TaskQueue> m_par;
    QString m_unavailable;
    QHash<quint64, std::shared_ptr<Job>> m_jobs;        //!< by serial
    QHash<Drover::TaskId, quint64> m_jobOfAsker;
    quint64 m_nextJob = 1;
};

} // namespace Par
