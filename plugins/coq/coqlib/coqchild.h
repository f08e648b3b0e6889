#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <chrono>
#include <sys/types.h>

namespace CoqLib {

//! One child program in its own process group, with its stdin, stdout and
//! stderr connected to this process, reaped with its peak memory.
//!
//! Why its own group: coqidetop starts proof workers of its own; ending
//! coqidetop alone (SIGTERM, SIGKILL) leaves them orphaned. Ending the
//! group ends them too. (The group is not the worker's: a cancel of the
//! worker's task must reach coqidetop through this object, see end().)
//! The program gets SIGKILL when the thread that started it dies
//! (PR_SET_PDEATHSIG): a worker killed outright takes its coqidetop along.
//!
//! Thread: one thread uses it, except signalProgram(), which any thread may
//! call while the object lives.
class CoqChild
{
public:
    CoqChild() = default;
    //! Ends the group and reaps the program if that was not done.
    ~CoqChild();
    CoqChild(const CoqChild &) = delete;
    CoqChild &operator=(const CoqChild &) = delete;

    //! Starts `program` (a path, or a name looked up on PATH). Its stdin is
    //! a socket (written with MSG_NOSIGNAL: a dead reader is an error, not
    //! a SIGPIPE in this process); stdout and stderr are pipes. All three are
    //! non-blocking here. SIGINT, SIGTERM and SIGPIPE are at their defaults
    //! in the child, whatever this process ignores.
    bool start(const QString &program, const QStringList &arguments, const QString &workingDirectory, QString *error);

    bool isRunning() const { return m_pid > 0 && !m_reaped; }
    pid_t pid() const { return m_pid; }
    int stdinFd() const { return m_in; }
    int stdoutFd() const { return m_out; }
    int stderrFd() const { return m_err; }
    void closeStdin();

    //! Sends `signal` to the program only (not its group); false if it has ended.
    bool signalProgram(int signal);
    //! Whether the program has ended (it is left unreaped, a zombie, so
    //! that its group id cannot be reused before end() kills the group).
    bool hasEnded();
    //! Waits up to `timeout` for the program to end by itself; true if it did.
    bool waitForEnd(std::chrono::milliseconds timeout);
    //! SIGTERM to the group, up to `grace` for the program to end, SIGKILL to
    //! the group (orphaned proof workers included), reaps the program, and
    //! waits up to `grace` more for the group to be empty. Safe to call
    //! again. Closes the pipes.
    void end(std::chrono::milliseconds grace);

    //! After end(): "exited with code N" or "was killed by SIGNAME".
    QString exitDescription() const;
    bool killedBySignal(int signal) const;
    qint64 peakRssBytes() const { return m_peakRssBytes; }

private:
    pid_t m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    int m_err = -1;
    bool m_reaped = false;
    int m_status = 0;
    qint64 m_peakRssBytes = 0;
};

} // namespace CoqLib
