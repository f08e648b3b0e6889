#include "coqdocumentcheck.h"

#include "coqproject.h"
#include "lemmaoutcome.h"

#include <drover/taskqueue.h>
#include <drover/taskresult.h>

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

#include <algorithm>

using namespace Drover;
using CoqLib::CoqSentenceOutcome;

namespace DroverDemo {

namespace {
//! A proof's size in bytes, from its first sentence after the statement to its end.
qsizetype bodyBytes(const CoqLib::CoqDocPlan &plan, const CoqLib::CoqProof &proof)
{
    const QList<CoqLib::CoqSentence> &s = plan.split.sentences;
    const int first = std::min(proof.statement + 1, proof.end);
    return s.at(proof.end).end - s.at(first).start;
}

//! Where Coq's libraries are installed (`coqc -where`); empty without coqc.
QString coqlib()
{
    static const QString where = [] {
        QProcess coqc;
        coqc.start(QStringLiteral("coqc"), {QStringLiteral("-where")});
        if (!coqc.waitForFinished(30000) || coqc.exitCode() != 0)
            return QString();
        return QString::fromLocal8Bit(coqc.readAllStandardOutput()).trimmed();
    }();
    return where;
}
} // namespace

std::optional<CoqDocumentCheck::Setup> CoqDocumentCheck::Setup::forFile(const QString &file, const QByteArray &text,
                                                                        QString *error)
{
    const std::optional<CoqLib::CoqProject> project = CoqLib::CoqProject::forFile(file, error);
    if (!project)
        return std::nullopt;
    Setup setup;
    setup.document = QFileInfo(file).absoluteFilePath();
    setup.root = project->root;
    setup.flags = project->flags;
    setup.proofUsingLibraries = librariesSettingProofUsing(project->flags, project->root, text, coqlib());
    return setup;
}

CoqDocumentCheck::CoqDocumentCheck(TaskQueue *queue, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
{
    connect(m_queue, &TaskQueue::taskFeedback, this, &CoqDocumentCheck::onFeedback);
    connect(m_queue, &TaskQueue::taskFinished, this, &CoqDocumentCheck::onFinished);
    connect(m_queue, &TaskQueue::taskStarted, this, [this](TaskId id, int worker) {
        if (m_tasks.contains(id))
            m_workers.insert(id, worker);
    });
}

CoqDocumentCheck::~CoqDocumentCheck()
{
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it)
        m_queue->cancel(it.key());
}

void CoqDocumentCheck::check(const Setup &setup, const QByteArray &text)
{
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it)
        m_queue->cancel(it.key());
    m_tasks.clear();
    m_workers.clear();
    m_results.clear();
    CoqLib::CoqProofOptions proofOptions;
    proofOptions.librariesSettingProofUsing = setup.proofUsingLibraries;
    CoqLib::CoqDocPlan plan = CoqLib::CoqDocPlan::make(text, {}, proofOptions);
    if (setup.roles > 1) // only to share proofs out
        plan.findProofs(text, proofOptions);
    // The unchanged prefix keeps what was said of it: the workers, which
    // hold it too, do not send it again.
    QList<Sentence> sentences(plan.split.sentences.size());
    int known = 0;
    if (setup.document == m_document) {
        const QList<CoqLib::CoqSentence> &before = m_plan.split.sentences;
        const QList<CoqLib::CoqSentence> &now = plan.split.sentences;
        while (known < now.size() && known < before.size() && !m_sentences.at(known).pending
               && now.at(known).start == before.at(known).start
               && now.at(known).text(text) == before.at(known).text(m_text)) {
            sentences[known] = m_sentences.at(known);
            ++known;
        }
    }
    m_document = setup.document;
    m_text = text;
    m_plan = std::move(plan);
    m_sentences = std::move(sentences);

    // The delegable proofs, each to the role its statement's text hashes
    // to: an edit elsewhere moves no proof to another worker, so each
    // worker keeps its prefix (sharing out by size would balance better and
    // reshuffle on every edit).
    QList<int> delegable;
    qsizetype delegableBytes = 0;
    for (int p = 0; p < m_plan.proofs.size(); ++p) {
        if (m_plan.proofs.at(p).delegable) {
            delegable << p;
            delegableBytes += bodyBytes(m_plan, m_plan.proofs.at(p));
        }
    }
    m_roles = std::clamp(setup.roles, 1, int(delegable.size()) + 1);
    // Every helper walks the whole document: not worth it when the proofs
    // it could take are a small part of it (a tenth of the text).
    if (delegableBytes * 10 < text.size())
        m_roles = 1;
    QHash<int, int> roleOfProof;
    for (int p : std::as_const(delegable)) {
        const QByteArray statement = m_plan.split.sentences.at(m_plan.proofs.at(p).statement).text(text);
        roleOfProof.insert(p, int(qHash(statement, 0) % size_t(m_roles)));
    }
    for (int s = 0; s < m_sentences.size(); ++s) {
        const int p = m_plan.proofOfSentence.at(s);
        m_sentences[s].role = p >= 0 && roleOfProof.contains(p) && s > m_plan.proofs.at(p).statement ? roleOfProof.value(p) : 0;
        m_sentences[s].outcome.sentence = s;
    }
    for (int role = 0; role < m_roles; ++role) {
        CoqLib::CoqDocRequest request;
        request.document = setup.document;
        request.root = setup.root;
        request.flags = setup.flags;
        request.coqidetop = setup.coqidetop;
        request.text = text;
        request.proofUsingLibraries = setup.proofUsingLibraries;
        request.role = role;
        request.known = known;
        for (auto it = roleOfProof.cbegin(); it != roleOfProof.cend(); ++it) {
            if (it.value() != role)
                request.admit << it.key();
        }
        Task task;
        task.payload = request.toCbor();
        task.name = QStringLiteral("%1 (%2)").arg(QFileInfo(setup.document).fileName(),
                                                  role == 0 ? QStringLiteral("main") : QStringLiteral("proofs %1").arg(role));
        task.options = setup.options;
        task.priority = setup.priority + (role == 0 ? 1 : 0);
        m_tasks.insert(m_queue->enqueue(task), role);
    }
}

void CoqDocumentCheck::cancel()
{
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it)
        m_queue->cancel(it.key());
}

void CoqDocumentCheck::onFeedback(TaskId id, const QCborValue &value)
{
    const auto it = m_tasks.constFind(id);
    if (it != m_tasks.cend())
        apply(*it, m_workers.value(id, -1), CoqLib::outcomesOfFeedback(value));
}

void CoqDocumentCheck::onFinished(TaskId id, const TaskResult &result)
{
    const auto it = m_tasks.constFind(id);
    if (it == m_tasks.cend())
        return;
    const int role = *it;
    m_tasks.erase(it);
    const int worker = result.workerId;
    m_workers.remove(id);
    QList<CoqSentenceOutcome> outcomes;
    QString why;
    if (result.outcome == Outcome::Done) {
        const CoqLib::CoqDocResult doc = CoqLib::CoqDocResult::fromCbor(result.response.toMap());
        m_results.insert(role, doc);
        outcomes = doc.outcomes;
        if (doc.status == QLatin1String("crashed") || doc.status == QLatin1String("failed"))
            why = doc.message;
    } else {
        why = stateName(stateWithoutResponse(result.outcome));
        if (!result.message.isEmpty())
            why += QStringLiteral(": ") + result.message;
    }
    // What its worker never answered for did not get checked.
    for (const Sentence &s : std::as_const(m_sentences)) {
        if (s.pending && s.role == role) {
            CoqSentenceOutcome o;
            o.sentence = s.outcome.sentence;
            o.status = CoqSentenceOutcome::Status::NotReached;
            o.message = why;
            outcomes << o;
        }
    }
    apply(role, worker, outcomes);
    if (m_tasks.isEmpty())
        emit finished();
}

void CoqDocumentCheck::apply(int role, int worker, const QList<CoqSentenceOutcome> &outcomes)
{
    QList<int> changed;
    for (const CoqSentenceOutcome &o : outcomes) {
        if (o.sentence < 0 || o.sentence >= m_sentences.size() || m_sentences.at(o.sentence).role != role)
            continue; // another worker answers for it
        Sentence &s = m_sentences[o.sentence];
        if (!s.pending && s.outcome.status == o.status && s.outcome.message == o.message)
            continue; // said already (a task's answer repeats its feedback)
        s.pending = false;
        s.outcome = o;
        s.worker = worker;
        changed << o.sentence;
    }
    if (!changed.isEmpty())
        emit sentencesChanged(changed);
}

namespace {
//! The libraries under `dir`, named from `logical`, that set Default Proof
//! Using for whoever imports them.
QStringList settingProofUsing(const QDir &dir, const QString &logical)
{
    static const QRegularExpression exported(QStringLiteral(
        R"(^\s*(Export|Global|#\[\s*(export|global)\s*\])\s+Set\s+Default\s+Proof\s+Using\b)"),
        QRegularExpression::MultilineOption);
    QStringList libraries;
    QDirIterator files(dir.path(), {QStringLiteral("*.v")}, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString path = files.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly) || !exported.match(QString::fromUtf8(file.readAll())).hasMatch())
            continue;
        QString name = dir.relativeFilePath(path);
        name.chop(2);
        libraries << logical + QLatin1Char('.') + name.replace(QLatin1Char('/'), QLatin1Char('.'));
    }
    return libraries;
}
} // namespace

QStringList librariesSettingProofUsing(const QStringList &flags, const QString &root, const QByteArray &document,
                                       const QString &coqlib)
{
    QStringList libraries;
    QSet<QString> mapped;
    for (int i = 0; i + 2 < flags.size(); ++i) {
        if (flags.at(i) != QLatin1String("-Q") && flags.at(i) != QLatin1String("-R"))
            continue;
        libraries << settingProofUsing(QDir(QDir(root).absoluteFilePath(flags.at(i + 1))), flags.at(i + 2));
        mapped.insert(flags.at(i + 2));
        i += 2;
    }
    // Installed libraries the document names (`From stdpp Require ...`).
    static const QRegularExpression from(QStringLiteral(R"(\bFrom\s+([A-Za-z_][\w']*)\s+Require\b)"));
    QSet<QString> named;
    for (auto it = from.globalMatch(QString::fromUtf8(document)); it.hasNext();)
        named.insert(it.next().captured(1));
    for (const QString &library : std::as_const(named)) {
        const QDir installed(QDir(coqlib).filePath(QStringLiteral("user-contrib/") + library));
        if (!coqlib.isEmpty() && !mapped.contains(library) && installed.exists())
            libraries << settingProofUsing(installed, library);
    }
    return libraries;
}

} // namespace DroverDemo
