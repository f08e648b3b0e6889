#include "proofdocument.h"

#include <QtCore/QMultiHash>

#include <algorithm>

namespace DroverDemo {

namespace {
constexpr QChar fieldSeparator(0x1f);
constexpr qsizetype maxRememberedVerdicts = 2000;

QString optionsSignature(const QList<ProofLang::Option> &options)
{
    QStringList parts;
    for (const ProofLang::Option &option : options)
        parts << option.name + QLatin1Char('=') + option.value;
    return parts.join(fieldSeparator);
}

QString lemmaKey(const QString &options, const ProofLang::Lemma &lemma)
{
    QStringList parts{options, lemma.name, lemma.statement};
    for (const ProofLang::Step &step : lemma.steps)
        parts << step.text;
    return parts.join(fieldSeparator);
}
} // namespace

ProofDocument::ProofDocument(QObject *parent)
    : QObject(parent)
{
}

ProofDocument::Change ProofDocument::setText(const QString &text)
{
    ProofLang::Document parsed = ProofLang::parse(text);
    Change change;
    const QString signature = optionsSignature(parsed.options);
    change.optionsChanged = signature != m_optionsSignature;
    m_optionsSignature = signature;
    m_options = std::move(parsed.options);
    m_errors = std::move(parsed.errors);
    m_queries = std::move(parsed.queries);

    QMultiHash<QString, qsizetype> oldByKey;
    for (qsizetype i = m_lemmas.size() - 1; i >= 0; --i)
        oldByKey.insert(m_lemmas.at(i).key, i); // values() come back last-inserted first
    QList<bool> kept(m_lemmas.size(), false);

    QList<LemmaEntry> next;
    next.reserve(parsed.lemmas.size());
    for (ProofLang::Lemma &lemma : parsed.lemmas) {
        const QString key = lemmaKey(signature, lemma);
        LemmaEntry entry;
        auto it = oldByKey.find(key);
        if (it != oldByKey.end()) {
            kept[it.value()] = true;
            entry = m_lemmas.at(it.value());
            oldByKey.erase(it);
        } else {
            entry.uid = m_nextUid++;
            entry.key = key;
            const auto verdict = m_verdicts.constFind(key);
            if (verdict != m_verdicts.constEnd()) {
                entry.state = verdict->state;
                entry.outcome = *verdict;
                change.reusedVerdicts << entry.uid;
            }
        }
        entry.lemma = std::move(lemma);
        next.append(std::move(entry));
    }
    for (qsizetype i = 0; i < m_lemmas.size(); ++i) {
        if (!kept.at(i) && m_lemmas.at(i).task)
            change.staleTasks << m_lemmas.at(i).task;
    }
    m_lemmas = std::move(next);
    emit lemmasChanged();
    return change;
}

void ProofDocument::reset(LemmaEntry &entry, Change &change)
{
    if (entry.task)
        change.staleTasks << entry.task;
    m_verdicts.remove(entry.key);
    entry.task = 0;
    entry.workerId = -1;
    entry.state = LemmaState::Edited;
    entry.outcome = {};
    emit lemmaStateChanged(entry.uid);
}

ProofDocument::Change ProofDocument::invalidateAll()
{
    Change change;
    for (LemmaEntry &entry : m_lemmas)
        reset(entry, change);
    return change;
}

ProofDocument::Change ProofDocument::invalidate(int uid)
{
    Change change;
    if (LemmaEntry *entry = find(uid))
        reset(*entry, change);
    return change;
}

const LemmaEntry *ProofDocument::lemma(int uid) const
{
    for (const LemmaEntry &entry : m_lemmas) {
        if (entry.uid == uid)
            return &entry;
    }
    return nullptr;
}

LemmaEntry *ProofDocument::find(int uid)
{
    return const_cast<LemmaEntry *>(std::as_const(*this).lemma(uid));
}

const LemmaEntry *ProofDocument::lemmaAtLine(int line) const
{
    for (const LemmaEntry &entry : m_lemmas) {
        if (line >= entry.lemma.line && line <= entry.lemma.endLine)
            return &entry;
    }
    return nullptr;
}

void ProofDocument::setQueued(int uid, Drover::TaskId task)
{
    if (LemmaEntry *entry = find(uid)) {
        entry->task = task;
        entry->workerId = -1;
        entry->state = LemmaState::Queued;
        emit lemmaStateChanged(uid);
    }
}

void ProofDocument::setChecking(int uid, int workerId)
{
    if (LemmaEntry *entry = find(uid)) {
        entry->workerId = workerId;
        entry->state = LemmaState::Checking;
        emit lemmaStateChanged(uid);
    }
}

void ProofDocument::setOutcome(int uid, const LemmaOutcome &outcome)
{
    LemmaEntry *entry = find(uid);
    if (!entry)
        return;
    entry->task = 0;
    entry->workerId = -1;
    entry->state = outcome.state;
    entry->outcome = outcome;
    if (outcome.state == LemmaState::Ok || outcome.state == LemmaState::Error) {
        if (m_verdicts.size() >= maxRememberedVerdicts)
            m_verdicts.clear();
        m_verdicts.insert(entry->key, outcome);
    }
    emit lemmaStateChanged(uid);
}

int ProofDocument::count(LemmaState state) const
{
    return int(std::count_if(m_lemmas.cbegin(), m_lemmas.cend(),
                             [state](const LemmaEntry &entry) { return entry.state == state; }));
}

int ProofDocument::pendingCount() const
{
    return int(std::count_if(m_lemmas.cbegin(), m_lemmas.cend(),
                             [](const LemmaEntry &entry) { return isPending(entry.state); }));
}

} // namespace DroverDemo
