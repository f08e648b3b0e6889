#include "coqdocsession.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QScopeGuard>

#include <algorithm>

using namespace CoqLib;

namespace {
using Status = CoqSentenceOutcome::Status;

const QString GivenUp = QStringLiteral("not checked: an error before it in this proof; the lemma stands admitted");

CoqSentenceOutcome outcome(int sentence, Status status, const QString &message = {}, qint64 start = -1, qint64 end = -1)
{
    CoqSentenceOutcome o;
    o.sentence = sentence;
    o.status = status;
    o.message = message;
    o.byteStart = start;
    o.byteEnd = end;
    return o;
}

CoqSentenceOutcome errorOf(int sentence, const CoqFailure &failure)
{
    return outcome(sentence, Status::Error, failure.message, failure.locStart.value_or(-1), failure.locStop.value_or(-1));
}

qint64 residentBytes(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (pid <= 0 || !status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}
} // namespace

CoqDocSession::~CoqDocSession()
{
    if (m_top)
        m_top->stop();
}

bool CoqDocSession::restart(const CoqDocRequest &request, QString *error)
{
    if (m_top)
        m_top->stop();
    m_top.reset();
    m_held.clear();
    CoqIdeTop::Options options;
    options.program = request.coqidetop;
    // Everything run in order, and the first error stops a run at its own
    // state, as coqc would: coqidetop's own error resilience goes on past a
    // failing tactic on terms that differ from coqc's.
    options.flags = QStringList{QStringLiteral("-async-proofs"), QStringLiteral("off"),
                                QStringLiteral("-async-proofs-tactic-error-resilience"), QStringLiteral("off"),
                                QStringLiteral("-async-proofs-command-error-resilience"), QStringLiteral("off")}
                    + request.flags;
    options.workingDirectory = request.root;
    options.cancelled = [this] { return m_cancelled && m_cancelled(); };
    options.onFeedback = [this](const CoqFeedback &feedback) {
        if (m_processed && feedback.kind == QLatin1String("processed"))
            m_processed(feedback.stateId);
    };
    auto top = std::make_unique<CoqIdeTop>(std::move(options));
    if (!top->start(error))
        return false;
    const CoqIdeTop::InitReply init = top->init();
    if (!init.ok) {
        *error = QStringLiteral("coqidetop did not start: %1").arg(init.failure.message);
        top->stop();
        return false;
    }
    m_top = std::move(top);
    m_rootState = init.stateId;
    m_document = request.document;
    m_root = request.root;
    m_flags = request.flags;
    m_program = request.coqidetop;
    return true;
}

bool CoqDocSession::keepOnly(qsizetype count)
{
    const int target = count == 0 ? m_rootState : m_held.at(count - 1).stateId;
    if (target != tip()) {
        CoqIdeTop::EditAtReply reply = m_top->editAt(target);
        // A SIGINT that reached coqidetop just as a sentence began is taken
        // by the next call instead: once, then Edit_at goes through.
        if (!reply.ok && !reply.failure.processLost && reply.failure.message == QLatin1String("User interrupt."))
            reply = m_top->editAt(target);
        if (!reply.ok || reply.focused)
            return false;
    }
    m_held.resize(count);
    return true;
}

qsizetype CoqDocSession::heldIndexOf(int stateId) const
{
    for (qsizetype i = m_held.size() - 1; i >= 0; --i) {
        if (m_held.at(i).stateId == stateId)
            return i;
    }
    return -1;
}

CoqDocResult CoqDocSession::check(const CoqDocRequest &request, const Stream &stream,
                                  const std::function<bool()> &cancelled)
{
    QElapsedTimer clock;
    clock.start();
    CoqDocResult result;
    CoqProofOptions proofOptions;
    proofOptions.librariesSettingProofUsing = request.proofUsingLibraries;
    CoqDocPlan plan = CoqDocPlan::make(request.text, request.admit, proofOptions);
    plan.findProofs(request.text, proofOptions); // where proofs end: what runs together

    QHash<int, CoqSentenceOutcome> decided;
    QList<CoqSentenceOutcome> pending;
    QElapsedTimer sinceFlush;
    sinceFlush.start();
    const auto decide = [&](const CoqSentenceOutcome &o) {
        if (o.sentence < 0 || decided.contains(o.sentence))
            return;
        decided.insert(o.sentence, o);
        pending << o;
    };
    const auto flush = [&] {
        if (!pending.isEmpty())
            stream(pending);
        pending.clear();
        sinceFlush.restart();
    };
    // coqidetop's client polls this while it waits: what was decided
    // meanwhile goes out then, not only after a long sentence.
    m_windingUp = false;
    m_cancelled = [&] {
        if (!pending.isEmpty() && sinceFlush.elapsed() >= 30)
            flush();
        return !m_windingUp && cancelled();
    };
    const auto ended = qScopeGuard([this] {
        m_cancelled = nullptr;
        m_processed = nullptr;
    });

    QString stopped; // why the check ended early: coqidetop lost or would not start
    const bool same = m_top && m_top->isRunning() && request.document == m_document && request.root == m_root
                      && request.flags == m_flags && request.coqidetop == m_program;
    bool startFailed = !same && !restart(request, &stopped);
    qsizetype next = 0; // the next piece of the plan to add
    if (m_top) {
        // The longest prefix held: each held piece stands for itself, or an
        // Admitted put in after an error for the rest of that proof.
        qsizetype keep = 0;
        while (keep < m_held.size()) {
            const Held &h = m_held.at(keep);
            const QList<CoqDocPiece> mine = h.standsFor.isEmpty() ? QList<CoqDocPiece>{h.piece} : h.standsFor;
            if (next + mine.size() > plan.pieces.size()
                || !std::equal(mine.cbegin(), mine.cend(), plan.pieces.cbegin() + next))
                break;
            next += mine.size();
            ++keep;
        }
        if (keep < m_held.size() && !keepOnly(keep)) {
            next = 0;
            startFailed = !restart(request, &stopped);
        }
        for (const Held &h : std::as_const(m_held)) {
            for (const CoqSentenceOutcome &o : h.outcomes) {
                if (o.sentence >= request.known) // the master has the others
                    decide(o);
            }
        }
    }
    const qsizetype kept = next; // pieces of the plan that the held prefix covers
    result.resumedAt = next < plan.pieces.size() ? std::max(0, plan.pieces.at(next).sentence) : int(plan.split.sentences.size());
    flush();
    bool interrupted = false;
    bool lost = !m_top;
    // A failure at `piece`: inside an opaque proof the proof is given up
    // (Admitted in its place) and the check goes on after it.
    const auto recover = [&](const CoqDocPiece &failed, const CoqSentenceOutcome &error) {
        plan.findProofs(request.text, proofOptions); // only now that they matter
        if (failed.sentence < 0 || plan.proofOfSentence.at(failed.sentence) < 0)
            return false;
        const CoqDocPiece &piece = plan.pieces.at(plan.pieceAtOrAfter(failed.sentence));
        const CoqProof &proof = plan.proofs.at(piece.proof);
        if (!proof.opaque || proof.end < 0 || piece.sentence <= proof.statement)
            return false;
        const CoqDocPiece admitted = plan.admittedAt(piece.sentence);
        const CoqIdeTop::AddReply added = m_top->add(admitted.text, -1, tip(), admitted.offset, admitted.line, int(admitted.bol));
        if (!added.ok) {
            lost = added.failure.processLost;
            stopped = added.failure.message;
            return false;
        }
        // It stands for the rest of the proof, and says so again when a
        // later text keeps it.
        const qsizetype after = plan.pieceAtOrAfter(proof.end + 1);
        Held held{admitted, added.newStateId, plan.pieces.mid(next, after - next), {error}};
        for (int s = piece.sentence + 1; s <= proof.end; ++s)
            held.outcomes << outcome(s, Status::Admitted, GivenUp);
        for (const CoqSentenceOutcome &o : std::as_const(held.outcomes))
            decide(o);
        m_held.append(held);
        const CoqIdeTop::StatusReply status = m_top->status(false);
        if (!status.ok) {
            lost = true; // nothing left to fall back on
            stopped = QStringLiteral("coqidetop refused Admitted after an error: %1").arg(status.failure.message);
            return false;
        }
        next = after;
        return true;
    };
    // One sentence at a time: added, then run (Status), so that an error
    // is met at its own sentence and nothing runs ahead of it (coqidetop
    // runs some commands, such as a section's End, already when they are
    // added, and recovers from errors in proofs on its own in ways that
    // differ from coqc's).
    // What was added and has run is checked: held pieces up to `upTo`
    // that have no outcome yet.
    const auto settle = [&](qsizetype upTo) {
        for (qsizetype i = 0; i < upTo; ++i) {
            Held &held = m_held[i];
            if (held.outcomes.isEmpty() && held.piece.sentence >= 0) {
                held.outcomes = {outcome(held.piece.sentence, Status::Checked)};
                decide(held.outcomes.first());
            }
        }
    };
    // A sentence coqidetop says it ran holds (the first error stops a run):
    // said at once, so an editor sees a long proof advance.
    m_processed = [&](int stateId) {
        const qsizetype held = heldIndexOf(stateId);
        if (held >= 0 && m_held.at(held).outcomes.isEmpty() && m_held.at(held).piece.sentence >= 0) {
            m_held[held].outcomes = {outcome(m_held.at(held).piece.sentence, Status::Checked)};
            decide(m_held.at(held).outcomes.first());
        }
    };
    while (!lost && next < plan.pieces.size()) {
        if (cancelled()) {
            interrupted = true;
            break;
        }
        const CoqDocPiece &piece = plan.pieces.at(next);
        // Inside a proof, tactics are added and run together at its end:
        // a round trip less for most sentences. With coqidetop's error
        // resilience off, the first error stops the run at its own state.
        const CoqProof *proof = piece.proof >= 0 ? &plan.proofs.at(piece.proof) : nullptr;
        const bool later = proof && proof->end > piece.sentence && piece.sentence > proof->statement;
        const CoqIdeTop::AddReply added = m_top->add(piece.text, -int(next) - 1, tip(), piece.offset, piece.line, int(piece.bol));
        CoqFailure failure = added.failure;
        bool ok = added.ok;
        // An Add may run what came before it (a section's End does): a
        // failure with a state is such a run's, not this sentence's syntax.
        const bool ranBefore = !ok && (failure.failedStateId != 0 || failure.safeStateId != 0);
        if (ok) {
            m_held.append({piece, added.newStateId, {}, {}});
            ++result.added;
        }
        if ((ok && !later) || (!ok && !ranBefore && !failure.processLost && !failure.interrupted)) {
            // Run what waits (and, after a syntax error, what came before it).
            const CoqIdeTop::StatusReply status = m_top->status(false);
            if (!status.ok) {
                ok = false;
                failure = status.failure;
            } else if (!ok) {
                settle(m_held.size());
            }
        }
        if (!ok) {
            lost = failure.processLost;
            interrupted = !lost && (failure.interrupted || cancelled());
            // The held piece that failed (or was interrupted); a syntax
            // error of this sentence, when none did.
            qsizetype failed = heldIndexOf(failure.failedStateId);
            if (failed < 0 && (failure.safeStateId != 0 || added.ok))
                failed = failure.safeStateId == m_rootState ? 0 : heldIndexOf(failure.safeStateId) + 1;
            const bool syntax = failed < 0 || failed >= m_held.size();
            const CoqDocPiece failing = syntax ? piece : m_held.at(failed).piece;
            if (!syntax) {
                settle(failed);
                // Back to before it; a cancel already seen must not
                // interrupt that too.
                m_windingUp = interrupted;
                if (!lost && !keepOnly(failed)) {
                    lost = true;
                    failure.message = QStringLiteral("coqidetop would not go back to the state before the sentence");
                }
            }
            if (lost || interrupted) {
                stopped = failure.message;
                break;
            }
            next = plan.pieceAtOrAfter(failing.sentence);
            const CoqSentenceOutcome error = errorOf(failing.sentence, failure);
            decide(error);
            if (recover(failing, error))
                continue;
            break;
        }
        if (!later)
            settle(m_held.size());
        if (sinceFlush.elapsed() >= 30)
            flush();
        ++next;
    }
    if (lost) {
        if (m_top)
            m_top->stop();
        m_top.reset();
        m_held.clear();
    }
    for (qsizetype i = 0; i < plan.pieces.size(); ++i) {
        const CoqDocPiece &piece = plan.pieces.at(i);
        if (i < kept && piece.sentence < request.known)
            continue; // held, and known to the master
        decide(outcome(piece.sentence, Status::NotReached,
                       interrupted ? QStringLiteral("cancelled")
                       : lost || startFailed ? QStringLiteral("not checked: %1").arg(stopped)
                                             : QStringLiteral("not checked: an error before it ends the check")));
    }
    flush();

    result.outcomes = decided.values();
    std::sort(result.outcomes.begin(), result.outcomes.end(),
              [](const CoqSentenceOutcome &a, const CoqSentenceOutcome &b) { return a.sentence < b.sentence; });
    const bool anyError = std::any_of(result.outcomes.cbegin(), result.outcomes.cend(),
                                      [](const CoqSentenceOutcome &o) { return o.status == Status::Error; });
    result.status = startFailed ? QStringLiteral("failed")
                    : lost      ? QStringLiteral("crashed")
                    : interrupted ? QStringLiteral("cancelled")
                    : anyError ? QStringLiteral("error")
                               : QStringLiteral("ok");
    if (lost)
        result.message = stopped;
    else if (anyError)
        result.message = std::find_if(result.outcomes.cbegin(), result.outcomes.cend(), [](const CoqSentenceOutcome &o) {
                             return o.status == Status::Error;
                         })->message;
    result.ms = clock.elapsed();
    if (m_top) {
        result.coqidetopPid = m_top->pid();
        result.coqidetopRssBytes = residentBytes(result.coqidetopPid);
    }
    return result;
}
