#pragma once

#include "coqchild.h"
#include "coqxml.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

namespace CoqLib {

//! A synchronous client of ONE coqidetop process (Coq 8.16's XML protocol
//! on its stdin/stdout, `-main-channel stdfds`), for a worker's compute
//! thread: every call blocks until coqidetop answers, polling the pipes; no
//! Qt event loop is needed. Feedback that arrives before the answer is
//! handed to Options::onFeedback, in order, from inside the call.
//!
//! What coqidetop 8.16.1 does (measured with this client, see tst_coqidetop):
//! - Add only parses. It answers the new state id (ids grow: Init's root is
//!   1, each Add the next unused number) or, for a syntax error, a failure
//!   with the error's byte range and state id 0. Add parses the FIRST
//!   sentence of its text and silently drops the rest: give it one sentence.
//!   Its answer in 8.16 is (state_id, union) without the message string that
//!   dev/doc/xml-protocol.md shows.
//! - Nothing is executed until Status (or Goal) is called: Status(false)
//!   executes everything added. Each executed state gets a feedback
//!   `processed` (after `processingin` for all of them, newest first). A
//!   state whose sentence fails gets instead a `message` feedback of level
//!   error with the byte range, and the call fails with the same message
//!   and range and the last good state (the one before the failing
//!   sentence) as its state id; nothing after the error is executed.
//!   Status(true) adds nothing under -async-proofs off.
//! - Until Edit_at goes back to the last good state (or before), every
//!   Status or Goal fails again with the same message, WITHOUT a new error
//!   feedback; this client remembers the failing state so that
//!   CoqFailure::failedStateId is filled every time.
//! - -async-proofs is off by default in 8.16.1's coqidetop (no proof worker
//!   starts): an error inside an opaque proof (`reflexivity.` before `Qed.`)
//!   is reported at the failing tactic's state, like any other error; with
//!   -async-proofs on, Status(false) would skip the proof (the Qed state
//!   gets `incomplete`).
//! - Edit_at(s) answers in_l (all states after s are gone: adding to one
//!   of them, or going to one, fails with the anomaly "Stm.Vcs_aux.Expired")
//!   or, when s is inside an already closed proof whose rest is kept
//!   (async proofs), in_r (start, (qed, tip)): only the sentences between
//!   start and qed are to be cleared. New states after Edit_at continue the
//!   numbering (ids are never reused). Add must name the tip as its state:
//!   adding after another state fails ("Stm.add called for a different
//!   state … than the tip").
//! - Byte ranges are bytes of UTF-8, absolute in the document when Add was
//!   given the sentence's byte offset, as coqc's `characters A-B` are bytes
//!   from the start of the line.
//! - SIGINT interrupts the command running: the call fails with
//!   "User interrupt." on the interrupted sentence, and coqidetop goes on
//!   (Edit_at the last good state, then add again). Quirk: a SIGINT that
//!   lands just as a sentence starts (right after the previous one's
//!   `processed`) made, in about half of the runs, the following Edit_at
//!   fail with "User interrupt." too.
//! - A -Q or -R directory that does not exist is only a warning for coqidetop
//!   (stderr); this client refuses it in start(). An option coqidetop does
//!   not know makes it exit with code 1 before it answers; init() then
//!   fails with its stderr ("Unknown option …").
//!
//! Threading: one thread makes the calls; interrupt() may be called from
//! any thread. If a call fails with CoqFailure::processLost (coqidetop died,
//! hung past callTimeout, wrote garbage, or the call was cancelled),
//! coqidetop's process group has been ended and reaped, and every later
//! call fails the same way.
class CoqIdeTop
{
public:
    struct Options
    {
        //! Empty: coqidetop.opt in $COQBIN if set, else on PATH.
        QString program;
        QStringList flags;         //!< the development's -Q/-R/-I…, as arguments
        QString workingDirectory;  //!< empty: this process's
        std::chrono::milliseconds callTimeout{std::chrono::minutes(10)};
        //! Polled while a call waits; once true, coqidetop is interrupted
        //! (SIGINT) and, if it does not answer within 2 s, ended.
        std::function<bool()> cancelled;
        std::function<void(const CoqFeedback &)> onFeedback;
    };

    struct InitReply
    {
        bool ok = false;
        int stateId = 0; //!< the root state, to add the first sentence to
        CoqFailure failure;
    };
    struct AddReply
    {
        bool ok = false;
        int newStateId = 0;
        //! Set when the sentence closed a proof focused by an earlier Edit_at:
        //! the already executed state that becomes the tip.
        std::optional<int> nextTip;
        CoqFailure failure;
    };
    struct StatusReply
    {
        bool ok = false;
        QStringList path;      //!< the module path, ["Top"]
        QString proofName;     //!< the proof open at the tip, if any
        QStringList allProofs;
        CoqFailure failure;
    };
    struct EditAtReply
    {
        bool ok = false;
        bool focused = false;  //!< in_r: the fields below are set
        int focusStart = 0;
        int focusQed = 0;
        int oldTip = 0;
        CoqFailure failure;
    };
    struct GoalReply
    {
        bool ok = false;
        bool inProof = false;
        QStringList goals;     //!< each: hypotheses, a bar, the conclusion
        CoqFailure failure;
    };

    explicit CoqIdeTop(Options options);
    //! stop().
    ~CoqIdeTop();
    CoqIdeTop(const CoqIdeTop &) = delete;
    CoqIdeTop &operator=(const CoqIdeTop &) = delete;

    //! The program start() runs for an empty Options::program; empty if none.
    static QString defaultProgram();

    //! Checks the flags' directories and starts coqidetop in its own process
    //! group. A refused option shows at init(), coqidetop's first answer.
    bool start(QString *error);
    InitReply init();
    //! Adds one sentence after `stateId` (which must be the tip).
    //! `byteOffset` is the sentence's first byte in the document, `line` its
    //! line (1-based) and `bolPos` the byte offset of that line's start:
    //! ranges in the answers and feedback are then absolute.
    AddReply add(const QByteArray &sentenceUtf8, int editId, int stateId, qint64 byteOffset, int line, int bolPos);
    //! Executes everything added (see the class comment).
    StatusReply status(bool force);
    EditAtReply editAt(int stateId);
    GoalReply goal();

    //! SIGINT to coqidetop only: interrupts the command running. Any thread.
    void interrupt();
    //! Quit, then the end of the process group (SIGTERM, SIGKILL) and the
    //! reaping of coqidetop. Safe to call twice.
    void stop();

    bool isRunning() const { return m_child.isRunning() && !m_lost; }
    pid_t pid() const { return m_child.pid(); }
    //! coqidetop's peak resident memory, known once it is reaped.
    qint64 peakRssBytes() const { return m_child.peakRssBytes(); }
    //! What coqidetop wrote on stderr (the last 64 KiB): warnings such as
    //! "Cannot open …" go there.
    QString standardError() const { return QString::fromUtf8(m_stderr); }

private:
    std::optional<CoqXml::Value> exchange(const char *name, const QByteArray &call, CoqFailure *failure);
    std::nullopt_t lose(CoqFailure *failure, const QString &why);
    std::nullopt_t loseToDeath(CoqFailure *failure, const char *name);
    bool readStderr();
    void note(const CoqFeedback &feedback);
    void attributeFailure(CoqFailure *failure) const;

    Options m_options;
    CoqChild m_child;
    CoqXmlReader m_reader;
    QByteArray m_stderr;
    bool m_lost = false;
    QString m_lostMessage;
    std::optional<CoqFeedback> m_lastError; //!< until an Edit_at
    std::mutex m_signalMutex;               //!< interrupt() against stop()'s reaping
    pid_t m_signalPid = -1;
    std::atomic<bool> m_interrupted{false};
};

} // namespace CoqLib
