#pragma once

#include "statecolors.h"

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtWidgets/QDockWidget>

class QComboBox;
class QListWidget;

namespace Drover { class TaskQueue; }

namespace DroverDemo {
struct LemmaEntry;
class CheckController;
class ProofDocument;
}

namespace DroverIde {

using DroverDemo::LemmaEntry;
using DroverDemo::CheckController;
using DroverDemo::ProofDocument;

//! What the workers said and did, newest last: `say` feedback, outcomes,
//! workers starting, checking, writing to stderr and exiting. Each line is
//! tagged with its lemma (a worker's events with the lemma it was checking),
//! and the filter shows one lemma's lines only.
class FeedbackLog : public QDockWidget
{
    Q_OBJECT
public:
    explicit FeedbackLog(CheckController *controller, QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    QComboBox *filterBox() const { return m_filter; }
    //! The text of the lines the filter lets through, oldest first.
    QStringList visibleLines() const;

    //! Shows only this lemma's lines (empty: everything).
    void setFilter(const QString &lemma);

    //! A line that sets what follows apart from what came before (a newly
    //! opened document, a check of the whole document again).
    void startSection(const QString &title);
    //! Whether the log scrolls to each new line (it is at its end).
    bool isFollowing() const { return m_following; }

    //! A query's answer, or why it has none (no lemma's: shown with all lemmas).
    void addAnswer(int line, const QString &query, const QString &text, bool ok);

private:
    enum class Kind { Say, Worker, Outcome, Problem, Answer, Section };
    void add(Kind kind, const QString &lemma, const QString &text, LemmaState sign = LemmaState::Queued);
    void applyFilter();
    void refreshLemmaNames();
    void logNewParseErrors();
    void logReusedVerdicts(const QList<int> &uids);
    QString lemmaOfTask(quint64 task) const;

    CheckController *m_controller;
    QListWidget *m_list;
    QComboBox *m_filter;
    QHash<int, QString> m_lemmaOfWorker;
    bool m_following = true;
    QSet<QString> m_loggedParseErrors;
};

} // namespace DroverIde
