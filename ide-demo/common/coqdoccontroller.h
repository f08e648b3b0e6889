#pragma once

#include "coqdocumentcheck.h"
#include "coqtextpositions.h"
#include "lemmastate.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <optional>

namespace Drover {
class Manager;
class TaskQueue;
}

namespace DroverDemo {

//! Drives one .v document edited in drover-ide (or drover-lsp) on the manager's `coqdoc`
//! queue (CoqDocumentCheck, as drover-check --sentences does): checks it
//! when it opens and again when typing pauses, with the text as it is then;
//! the workers resume after the sentences they hold unchanged. Between an
//! edit and its check, the sentences before the first changed byte keep
//! their outcomes and those after it have none (edited). Closing the
//! document cancels its check and retires its workers, coqidetop with them.
class CoqDocController : public QObject
{
    Q_OBJECT
public:
    //! A sentence as the editor shows it, in UTF-16 places of the text.
    struct Mark
    {
        int sentence = -1;  //!< index in the check's plan; -1: the text's parse error
        CoqLib::CoqTextPositions::Place start, end;
        LemmaState state = LemmaState::Queued;
        QString message;    //!< Coq's error, or why it was not reached
        //! Coq's error range, when it gave one (else the whole sentence).
        std::optional<std::pair<CoqLib::CoqTextPositions::Place, CoqLib::CoqTextPositions::Place>> error;
        int worker = -1;
    };

    explicit CoqDocController(Drover::Manager *manager, QObject *parent = nullptr);
    ~CoqDocController() override;

    //! Opens `path` with its UTF-8 `text` and starts checking it; an open
    //! document is closed first. False, with a one-line reason in *error,
    //! when its _CoqProject cannot be read or the `coqdoc` plugin does not
    //! load.
    bool open(const QString &path, const QString &text, QString *error);
    //! Cancels the check and retires the document's workers.
    void close();
    //! The text changed: outcomes after the change are dropped at once and
    //! the text is checked again once typing pauses.
    void edit(const QString &text);
    //! At most this many workers check the document (CoqDocumentCheck's roles).
    void setRoles(int roles) { m_roles = std::max(1, roles); }
    //! How long typing must pause before the text is checked again (500 ms).
    void setEditPause(std::chrono::milliseconds pause) { m_pause.setInterval(pause); }

    bool isOpen() const { return !m_path.isEmpty(); }
    QString path() const { return m_path; }
    //! The `coqdoc` queue, once a document was opened (nullptr before).
    Drover::TaskQueue *queue() const { return m_queue; }
    CoqDocumentCheck *check() const { return m_check; }
    //! The sentences to show for the text last given (open() or edit()).
    QList<Mark> marks() const;
    //! How many sentences of the running (or last) check have an outcome.
    int decidedCount() const;
    //! Open, no edit waiting, and every sentence has its outcome.
    bool isSettled() const;
    //! "120 checked, 1 error, 3 pending" for the status bar.
    QString summary() const;

Q_SIGNALS:
    //! The queue was made (the first time a .v opens).
    void queueCreated(Drover::TaskQueue *queue);
    //! What marks() gives changed.
    void marksChanged();
    //! The check ended (every sentence has an outcome), or an edit came.
    void progressed();

private:
    void startCheck();
    void retireWhenIdle();

    Drover::Manager *m_manager;
    Drover::TaskQueue *m_queue = nullptr;
    CoqDocumentCheck *m_check = nullptr;
    std::optional<CoqDocumentCheck::Setup> m_setup;
    QString m_path;
    QByteArray m_text;            //!< the editor's text, UTF-8
    qsizetype m_unchanged = 0;    //!< bytes the check's text and m_text share
    std::optional<CoqLib::CoqTextPositions> m_positions; //!< of the check's text
    //! Outcomes of the previous text's sentences that the new one keeps, by
    //! byte range, until the workers say them again.
    QHash<std::pair<qsizetype, qsizetype>, CoqDocumentCheck::Sentence> m_kept;
    QTimer m_pause;
    int m_roles = 1;
    bool m_closing = false;
};

} // namespace DroverDemo
