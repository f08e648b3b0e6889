#pragma once

#include "statecolors.h"

#include <QtCore/QHash>
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

    //! A query's answer, or why it has none (no lemma's: shown with all lemmas).
    void addAnswer(int line, const QString &query, const QString &text, bool ok);

private:
    enum class Kind { Say, Worker, Outcome, Problem, Answer };
    void add(Kind kind, const QString &lemma, const QString &text, LemmaState sign = LemmaState::Queued);
    void applyFilter();
    void refreshLemmaNames();
    QString lemmaOfTask(quint64 task) const;

    CheckController *m_controller;
    QListWidget *m_list;
    QComboBox *m_filter;
    QHash<int, QString> m_lemmaOfWorker;
};

} // namespace DroverIde
