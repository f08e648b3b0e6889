#pragma once

#include "coqdocplan.h"
#include "coqdocument.h"

#include <drover/task.h>

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <optional>

namespace Drover {
class TaskQueue;
struct TaskResult;
}

namespace DroverDemo {

//! One text of a Coq document checked on a `coqdoc` queue (docs/coq.md,
//! "Interactive documents"), for drover-check --sentences and drover-ide.
//!
//! The proofs Coq could check apart (CoqProof::delegable) are shared out
//! among up to `roles` workers of the document by a hash of their
//! statement, which an edit elsewhere does not change; each worker walks the whole document with the delegable proofs
//! that are not its own admitted, and the main one (role 0) answers for
//! every sentence outside them. Outcomes arrive while the workers run
//! (sentencesChanged); a sentence stays Pending until its worker says.
//!
//! Lives on the queue's thread; check() again cancels what the previous
//! text still runs.
class CoqDocumentCheck : public QObject
{
    Q_OBJECT
public:
    struct Sentence
    {
        bool pending = true;
        CoqLib::CoqSentenceOutcome outcome;
        int worker = -1;
        int role = 0; //!< the worker role that answers for it
    };
    struct Setup
    {
        QString document;      //!< the file's absolute path
        QString root;          //!< coqidetop runs here
        QStringList flags;
        QString coqidetop;     //!< empty: the default
        QStringList proofUsingLibraries;
        int roles = 1;         //!< at most this many workers on this document
        //! The main worker's task has priority + 1, the helpers' priority:
        //! with several documents, helpers get only the workers left over.
        int priority = 0;
        Drover::TaskOptions options;

        //! The setup of the .v file at `file` whose text is `text`: the
        //! flags and root of its development as CoqIDE finds them
        //! (CoqProject::forFile), and the libraries setting Proof Using
        //! that it may import (`coqc -where` is asked once per process).
        //! nullopt, with the reason in *error, when its _CoqProject cannot
        //! be read.
        static std::optional<Setup> forFile(const QString &file, const QByteArray &text, QString *error);
    };

    explicit CoqDocumentCheck(Drover::TaskQueue *queue, QObject *parent = nullptr);
    ~CoqDocumentCheck() override;

    //! Checks `text`; cancels the tasks of an earlier text. The sentences
    //! of an unchanged prefix of the last text keep their outcomes.
    void check(const Setup &setup, const QByteArray &text);
    //! Cancels what runs; every sentence still pending ends NotReached.
    void cancel();

    const QByteArray &text() const { return m_text; }
    const CoqLib::CoqDocPlan &plan() const { return m_plan; }
    const QList<Sentence> &sentences() const { return m_sentences; }
    int roles() const { return m_roles; }
    bool isRunning() const { return !m_tasks.isEmpty(); }
    //! Per role: where its worker resumed and how many sentences it added (last result).
    const QHash<int, CoqLib::CoqDocResult> &results() const { return m_results; }

Q_SIGNALS:
    //! Outcomes came in for these sentences (indices into plan().split.sentences).
    void sentencesChanged(const QList<int> &sentences);
    //! Every task of the text ended.
    void finished();

private:
    void onFeedback(Drover::TaskId id, const QCborValue &value);
    void onFinished(Drover::TaskId id, const Drover::TaskResult &result);
    void apply(int role, int worker, const QList<CoqLib::CoqSentenceOutcome> &outcomes);

    Drover::TaskQueue *m_queue;
    QString m_document;
    QByteArray m_text;
    CoqLib::CoqDocPlan m_plan;
    QList<Sentence> m_sentences;
    int m_roles = 1;
    QHash<Drover::TaskId, int> m_tasks; //!< this text's tasks, by role
    QHash<Drover::TaskId, int> m_workers; //!< the worker running each
    QHash<int, CoqLib::CoqDocResult> m_results;
};

//! The logical names of the libraries that set `Default Proof Using` for
//! whoever imports them (`Export Set`, `Global Set`, `#[export] Set`), as
//! stdpp's options.v does: those under the development's -Q/-R directories,
//! and those of the installed libraries (`coqlib`/user-contrib, from
//! `coqc -where`) that `document` names in a `From X Require`.
QStringList librariesSettingProofUsing(const QStringList &flags, const QString &root, const QByteArray &document,
                                       const QString &coqlib);

} // namespace DroverDemo
