#include "feedbacklog.h"

#include "checkcontroller.h"
#include "proofdocument.h"
#include "stateicon.h"

#include <drover/taskqueue.h>

#include <QtCore/QSet>
#include <QtCore/QTime>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QVBoxLayout>

namespace DroverIde {

namespace {
constexpr int maxLines = 5000;
constexpr int lemmaRole = Qt::UserRole + 1;
}

FeedbackLog::FeedbackLog(CheckController *controller, QWidget *parent)
    : QDockWidget(tr("Feedback"), parent)
    , m_controller(controller)
    , m_list(new QListWidget)
    , m_filter(new QComboBox)
{
    setObjectName(QStringLiteral("feedbackLog"));
    m_list->setWordWrap(true);
    m_list->setIconSize(QSize(12, 12));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_filter->addItem(tr("All lemmas"), QString());
    m_filter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *clear = new QPushButton(tr("Clear"));
    connect(clear, &QPushButton::clicked, m_list, &QListWidget::clear);
    connect(m_filter, &QComboBox::currentIndexChanged, this, &FeedbackLog::applyFilter);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("&Show:"));
    label->setBuddy(m_filter);
    bar->addWidget(label);
    bar->addWidget(m_filter);
    bar->addStretch(1);
    bar->addWidget(clear);
    auto *body = new QWidget;
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_list);
    setWidget(body);

    // The log follows new lines while it is scrolled to its end; scrolling
    // up stops that, scrolling back to the end starts it again. The maximum
    // grows only when the view lays the new lines out, after add() returned:
    // so it is followed there, not read in add().
    QScrollBar *scroll = m_list->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this, [this, scroll](int value) { m_following = value >= scroll->maximum(); });
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int maximum) {
        if (m_following)
            scroll->setValue(maximum);
    });

    Drover::TaskQueue *queue = controller->queue();
    connect(queue, &Drover::TaskQueue::taskFeedback, this, [this](Drover::TaskId id, const QCborValue &value) {
        QString lemma = value[QLatin1String("lemma")].toString();
        if (lemma.isEmpty())
            lemma = lemmaOfTask(id);
        const qint64 step = value[QLatin1String("step")].toInteger();
        const QString text = value.isMap() ? value[QLatin1String("text")].toString()
                                           : value.toDiagnosticNotation(QCborValue::Compact);
        add(Kind::Say, lemma, step > 0 ? tr("%1, step %2: %3").arg(lemma).arg(step).arg(text) : tr("%1: %2").arg(lemma, text));
    });
    connect(queue, &Drover::TaskQueue::workerStarted, this, [this](int worker, qint64 pid) {
        add(Kind::Worker, {}, tr("worker %1 started (pid %2)").arg(worker).arg(pid));
    });
    connect(queue, &Drover::TaskQueue::workerBusy, this, [this](int worker, Drover::TaskId task) {
        const QString lemma = lemmaOfTask(task);
        m_lemmaOfWorker.insert(worker, lemma);
        add(Kind::Worker, lemma, tr("worker %1 checks %2").arg(worker).arg(lemma));
    });
    connect(queue, &Drover::TaskQueue::workerOutput, this,
            [this](int worker, const QString &line, Drover::TaskQueue::OutputChannel channel) {
                const bool error = channel == Drover::TaskQueue::OutputChannel::StandardError;
                add(Kind::Worker, m_lemmaOfWorker.value(worker),
                    (error ? tr("worker %1 (stderr): %2") : tr("worker %1: %2")).arg(worker).arg(line));
            });
    connect(queue, &Drover::TaskQueue::workerExited, this, [this](int worker, const QString &status) {
        const bool clean = status.contains(QLatin1String("code 0"));
        add(clean ? Kind::Worker : Kind::Problem, m_lemmaOfWorker.take(worker),
            tr("worker %1 %2").arg(worker).arg(status), clean ? LemmaState::Queued : LemmaState::Crashed);
    });
    connect(queue, &Drover::TaskQueue::errorOccurred, this, [this](const QString &message) {
        add(Kind::Problem, {}, message, LemmaState::Error);
    });
    connect(controller, &CheckController::lemmaFinished, this,
            [this](const QString &lemma, LemmaState state, const QString &message) {
                const QString text = message.isEmpty() || state == LemmaState::Cancelled
                                         ? tr("%1: %2").arg(lemma, stateName(state))
                                         : tr("%1: %2: %3").arg(lemma, stateName(state), message);
                add(Kind::Outcome, lemma, text, state);
            });
    connect(controller, &CheckController::verdictsReused, this, &FeedbackLog::logReusedVerdicts);
    connect(controller, &CheckController::cancelling, this, [this](const QList<Drover::TaskId> &tasks) {
        const qint64 grace = std::chrono::duration_cast<std::chrono::milliseconds>(m_controller->queue()->cancelGrace()).count();
        for (Drover::TaskId id : tasks) {
            const QString lemma = lemmaOfTask(id);
            add(Kind::Outcome, lemma, tr("%1: cancelling… (its worker is killed if it has not stopped in %2 s)")
                                          .arg(lemma).arg(double(grace) / 1000), LemmaState::Cancelled);
        }
    });
    connect(controller->document(), &ProofDocument::lemmasChanged, this, &FeedbackLog::refreshLemmaNames);
    connect(controller->document(), &ProofDocument::lemmasChanged, this, &FeedbackLog::logNewParseErrors);
}

QString FeedbackLog::lemmaOfTask(quint64 task) const
{
    const std::optional<Drover::Task> t = m_controller->queue()->task(task);
    return t ? t->name : QString();
}

void FeedbackLog::add(Kind kind, const QString &lemma, const QString &text, LemmaState sign)
{
    auto *item = new QListWidgetItem(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + text);
    item->setToolTip(text);
    item->setData(lemmaRole, lemma);
    switch (kind) {
    case Kind::Say:
    case Kind::Answer:
        item->setForeground(palette().color(QPalette::Text));
        break;
    case Kind::Worker:
        item->setForeground(palette().color(QPalette::PlaceholderText));
        break;
    case Kind::Section: {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        break;
    }
    case Kind::Outcome:
    case Kind::Problem:
        item->setIcon(stateIcon(sign));
        break;
    }
    const QString shown = m_filter->currentData().toString();
    item->setHidden(!shown.isEmpty() && shown != lemma);
    m_list->addItem(item);
    while (m_list->count() > maxLines)
        delete m_list->takeItem(0);
    // Following is kept by the scroll bar's signals (the constructor): its
    // maximum is not known until the view lays the new lines out.
}

void FeedbackLog::startSection(const QString &title)
{
    add(Kind::Section, {}, QStringLiteral("── %1 ──").arg(title));
}

void FeedbackLog::addAnswer(int line, const QString &query, const QString &text, bool ok)
{
    if (ok)
        add(Kind::Answer, {}, tr("line %1: %2 → %3").arg(line).arg(query, text));
    else
        add(Kind::Problem, {}, tr("line %1: %2: no answer: %3").arg(line).arg(query, text), LemmaState::Error);
}

void FeedbackLog::setFilter(const QString &lemma)
{
    const int index = m_filter->findData(lemma);
    if (index >= 0)
        m_filter->setCurrentIndex(index);
}

void FeedbackLog::applyFilter()
{
    const QString shown = m_filter->currentData().toString();
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        item->setHidden(!shown.isEmpty() && item->data(lemmaRole).toString() != shown);
    }
    m_list->scrollToBottom();
}

// An edit undone: the lemmas' results came back without a check; the log
// says so, or the tick that reappears at once would look like a check.
void FeedbackLog::logReusedVerdicts(const QList<int> &uids)
{
    QStringList names;
    QString only;
    LemmaState sign = LemmaState::Ok; // a cross when any of them is an error
    for (int uid : uids) {
        if (const LemmaEntry *entry = m_controller->document()->lemma(uid)) {
            names << tr("%1 (%2)").arg(entry->lemma.name, stateName(entry->state));
            only = entry->lemma.name;
            if (entry->state != LemmaState::Ok)
                sign = entry->state;
        }
    }
    if (names.isEmpty())
        return;
    add(Kind::Outcome, names.size() == 1 ? only : QString(),
        (names.size() == 1 ? tr("reverted: 1 lemma back to text already checked, result reused without a check: %1")
                           : tr("reverted: %1 lemmas back to text already checked, results reused without a check: %2")
                                 .arg(names.size()))
            .arg(names.join(QLatin1String(", "))),
        sign);
}

// A parse error is logged when it appears, once while it stands (typing
// parses the text again at every key).
void FeedbackLog::logNewParseErrors()
{
    QSet<QString> standing;
    for (const ProofLang::ParseError &e : m_controller->document()->parseErrors()) {
        const QString text = tr("line %1:%2: parse error: %3").arg(e.line).arg(e.column).arg(e.message);
        standing.insert(text);
        if (!m_loggedParseErrors.contains(text))
            add(Kind::Problem, {}, text, LemmaState::Error);
    }
    m_loggedParseErrors = standing;
}

void FeedbackLog::refreshLemmaNames()
{
    QStringList names;
    for (const LemmaEntry &entry : m_controller->document()->lemmas())
        names << entry.lemma.name;
    const QString shown = m_filter->currentData().toString();
    if (!shown.isEmpty() && !names.contains(shown))
        names << shown; // being edited, or gone for a moment: keep the choice
    QStringList current;
    for (int i = 1; i < m_filter->count(); ++i)
        current << m_filter->itemData(i).toString();
    if (names == current)
        return;
    const QSignalBlocker blocker(m_filter);
    while (m_filter->count() > 1)
        m_filter->removeItem(1);
    for (const QString &name : std::as_const(names))
        m_filter->addItem(name, name);
    m_filter->setCurrentIndex(std::max(0, int(m_filter->findData(shown))));
}

QStringList FeedbackLog::visibleLines() const
{
    QStringList lines;
    for (int i = 0; i < m_list->count(); ++i) {
        if (!m_list->item(i)->isHidden())
            lines << m_list->item(i)->text().section(QLatin1String("  "), 1);
    }
    return lines;
}

} // namespace DroverIde
