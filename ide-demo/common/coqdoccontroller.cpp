#include "coqdoccontroller.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QMap>
#include <QtCore/QSet>

using namespace std::chrono_literals;
using CoqLib::CoqSentenceOutcome;
using Sentence = DroverDemo::CoqDocumentCheck::Sentence;

namespace DroverDemo {

namespace {
LemmaState stateOf(CoqSentenceOutcome::Status status)
{
    switch (status) {
    case CoqSentenceOutcome::Status::Checked: return LemmaState::Ok;
    case CoqSentenceOutcome::Status::Error: return LemmaState::Error;
    // Given up after an error earlier in its proof: not checked, like a
    // file whose dependency failed.
    case CoqSentenceOutcome::Status::Admitted: return LemmaState::Skipped;
    case CoqSentenceOutcome::Status::NotReached: return LemmaState::Cancelled;
    }
    return LemmaState::Queued;
}
} // namespace

CoqDocController::CoqDocController(Drover::Manager *manager, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
{
    // As a proof document's edits wait for a pause in typing.
    m_pause.setInterval(500ms);
    m_pause.setSingleShot(true);
    connect(&m_pause, &QTimer::timeout, this, &CoqDocController::startCheck);
}

CoqDocController::~CoqDocController()
{
    delete m_check; // cancels what it runs
}

bool CoqDocController::open(const QString &path, const QString &text, QString *error)
{
    const QByteArray utf8 = text.toUtf8();
    std::optional<CoqDocumentCheck::Setup> setup = CoqDocumentCheck::Setup::forFile(path, utf8, error);
    if (!setup)
        return false;
    if (!m_queue) {
        m_queue = m_manager->queue(QStringLiteral("coqdoc"));
        if (!m_queue) {
            *error = m_manager->errorString();
            return false;
        }
        m_check = new CoqDocumentCheck(m_queue, this);
        connect(m_check, &CoqDocumentCheck::sentencesChanged, this, &CoqDocController::marksChanged);
        connect(m_check, &CoqDocumentCheck::finished, this, [this] {
            if (m_closing)
                retireWhenIdle();
            emit marksChanged();
            emit progressed();
        });
        emit queueCreated(m_queue);
    }
    m_closing = false;
    m_setup = std::move(setup);
    m_path = m_setup->document;
    m_text = utf8;
    m_kept.clear();
    m_pause.stop();
    startCheck();
    return true;
}

void CoqDocController::close()
{
    if (!isOpen())
        return;
    m_pause.stop();
    m_path.clear();
    m_text.clear();
    m_kept.clear();
    m_closing = true;
    if (m_check->isRunning())
        m_check->cancel(); // retired once its tasks end
    else
        retireWhenIdle();
    emit marksChanged();
}

void CoqDocController::retireWhenIdle()
{
    m_closing = false;
    m_queue->retireIdleWorkers();
}

void CoqDocController::edit(const QString &text)
{
    if (!isOpen())
        return;
    m_text = text.toUtf8();
    const QByteArray &checked = m_check->text();
    const qsizetype common = std::min(checked.size(), m_text.size());
    m_unchanged = std::mismatch(checked.cbegin(), checked.cbegin() + common, m_text.cbegin()).first - checked.cbegin();
    m_pause.start();
    emit marksChanged();
    emit progressed();
}

void CoqDocController::startCheck()
{
    // What the new text keeps of the old one stays shown until its worker
    // says it again (at once: it holds those sentences).
    QHash<std::pair<qsizetype, qsizetype>, Sentence> kept;
    if (m_check->text().size() > 0) {
        for (const Mark &mark : marks()) {
            if (mark.sentence < 0)
                continue;
            const CoqLib::CoqSentence &s = m_check->plan().split.sentences.at(mark.sentence);
            const Sentence &shown = m_check->sentences().at(mark.sentence);
            if (!shown.pending)
                kept.insert({s.start, s.end}, shown);
            else if (const auto it = m_kept.constFind({s.start, s.end}); it != m_kept.cend())
                kept.insert(it.key(), *it);
        }
    }
    m_kept = kept;
    m_setup->roles = m_roles;
    m_check->check(*m_setup, m_text);
    m_positions.emplace(m_text);
    m_unchanged = m_text.size();
    emit marksChanged();
    emit progressed();
}

QList<CoqDocController::Mark> CoqDocController::marks() const
{
    QList<Mark> marks;
    if (!isOpen() || !m_positions)
        return marks;
    const CoqLib::CoqSentenceSplit &split = m_check->plan().split;
    QSet<int> rolesAtWork; // the first pending sentence of each role is the one being checked
    for (int i = 0; i < split.sentences.size(); ++i) {
        const CoqLib::CoqSentence &sentence = split.sentences.at(i);
        if (sentence.end > m_unchanged)
            break;
        Sentence shown = m_check->sentences().at(i);
        if (shown.pending)
            shown = m_kept.value({sentence.start, sentence.end}, shown);
        Mark mark;
        mark.sentence = i;
        mark.start = m_positions->utf16Place(sentence.start);
        mark.end = m_positions->utf16Place(sentence.end);
        mark.worker = shown.worker;
        if (shown.pending) {
            const bool first = !rolesAtWork.contains(shown.role);
            rolesAtWork.insert(shown.role);
            mark.state = first && m_check->isRunning() ? LemmaState::Checking : LemmaState::Queued;
        } else {
            mark.state = stateOf(shown.outcome.status);
            mark.message = shown.outcome.message;
            if (shown.outcome.byteStart >= 0 && shown.outcome.byteEnd <= m_unchanged)
                mark.error = {m_positions->utf16Place(shown.outcome.byteStart), m_positions->utf16Place(shown.outcome.byteEnd)};
        }
        marks << mark;
    }
    if (split.error != CoqLib::CoqSentenceSplit::Error::None && split.errorOffset < m_unchanged) {
        Mark mark;
        mark.start = mark.end = m_positions->utf16Place(split.errorOffset);
        mark.state = LemmaState::Error;
        mark.message = split.errorString();
        marks << mark;
    }
    return marks;
}

int CoqDocController::decidedCount() const
{
    int decided = 0;
    if (m_check) {
        for (const Sentence &s : m_check->sentences())
            decided += s.pending ? 0 : 1;
    }
    return decided;
}

bool CoqDocController::isSettled() const
{
    return isOpen() && !m_pause.isActive() && !m_check->isRunning()
           && decidedCount() == m_check->sentences().size();
}

QString CoqDocController::summary() const
{
    if (!isOpen())
        return {};
    QMap<LemmaState, int> counts;
    const QList<Mark> shown = marks();
    for (const Mark &mark : shown)
        ++counts[mark.state];
    const int edited = int(m_check->plan().split.sentences.size()) - int(shown.size());
    QStringList parts;
    for (LemmaState state : {LemmaState::Ok, LemmaState::Error, LemmaState::Skipped, LemmaState::Cancelled,
                             LemmaState::Checking, LemmaState::Queued}) {
        if (counts.value(state) > 0) {
            const QString name = state == LemmaState::Skipped     ? tr("admitted")
                                 : state == LemmaState::Cancelled ? tr("not reached")
                                 : state == LemmaState::Ok        ? tr("checked")
                                 : state == LemmaState::Queued    ? tr("pending")
                                                                  : stateName(state);
            parts << QStringLiteral("%1 %2").arg(counts.value(state)).arg(name);
        }
    }
    if (m_pause.isActive() && edited > 0)
        parts << tr("%1 edited").arg(edited);
    return tr("%1 sentences: %2").arg(m_check->plan().split.sentences.size()).arg(parts.join(QLatin1String(", ")));
}

} // namespace DroverDemo
