#pragma once

#include "documentsession.h"

#include <drover/task.h>

#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <memory>

namespace Drover { class Manager; class TaskQueue; }
namespace DroverDemo { class CheckController; class ProofDocument; }

namespace DroverLsp {

//! A document of the demo proof language, checked as drover-ide checks it:
//! a ProofDocument driven by a CheckController on a `proof` queue of its
//! own Manager (so its option broadcasts stand for it alone), `par` steps
//! fanned out, proof repair by the kind. Diagnostics are published as each
//! lemma ends, coalesced within one turn of the event loop.
class ProofSession : public DocumentSession
{
    Q_OBJECT
public:
    //! nullptr with *error when the proof plugin cannot be loaded.
    static ProofSession *create(const QString &documentId, const SessionSettings &settings, QString *error,
                                QObject *parent = nullptr);
    ~ProofSession() override;

    bool open(const QString &text, QString *error) override;
    void change(const QString &text, int firstChangedLine) override;
    QJsonArray diagnostics() const override;
    QString hover(TextPosition position) const override;
    int cancel(std::optional<int> line) override;
    int kill(std::optional<int> line) override;
    bool isSettled() const override;
    int doneCount() const override;
    int totalCount() const override;
    QJsonObject counts() const override;

private:
    ProofSession(std::unique_ptr<Drover::Manager> manager, Drover::TaskQueue *queue, const QString &documentId,
                 const SessionSettings &settings, QObject *parent);
    void onFeedback(Drover::TaskId id, const QCborValue &value);
    int uidOfTask(Drover::TaskId id) const;

    std::unique_ptr<Drover::Manager> m_manager;
    Drover::TaskQueue *m_queue;
    DroverDemo::ProofDocument *m_document;
    DroverDemo::CheckController *m_controller;
    QString m_text;
    QHash<int, QStringList> m_feedback; //!< by lemma uid: the latest check's `say` lines
};

} // namespace DroverLsp
