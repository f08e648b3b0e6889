#pragma once

#include "drover/global.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>

namespace Drover {

class TaskQueue;
namespace Internal { class ManagerPrivate; class TaskQueuePrivate; }

//! A plugin file that could not be used, and why.
struct PluginError
{
    QString file;
    QString reason;
};

//! Owns the task-kind plugins, one TaskQueue per kind, and the local socket
//! (abstract: no file) that its workers connect back to.
//!
//! Single-threaded: create and use it on one thread with an event loop.
//! Creating the first Manager raises the process's soft limit of open
//! files to its hard limit, as servers do: each worker holds a socket.
//! Destroying it kills every worker it started and reaps them, also in the
//! middle of a run.
class DROVER_EXPORT Manager : public QObject
{
    Q_OBJECT
public:
    explicit Manager(QObject *parent = nullptr);
    ~Manager() override;

    //! Plugin directories, searched first to last: those added here, then
    //! $DROVER_PLUGIN_PATH (colon-separated, read when the Manager is
    //! created), then the directory installed (or built) beside the Drover
    //! library.
    void addPluginPath(const QString &directory);
    QStringList pluginPaths() const;

    //! The kinds that the plugin paths offer, by name (reads metadata only).
    QStringList availableKinds() const;
    //! Every plugin file found that cannot be used, with the reason.
    QList<PluginError> pluginErrors() const;

    //! The queue of a kind, loading its plugin on first use. Returns nullptr
    //! when the kind is unknown or its plugin fails to load; errorString()
    //! then names the file and the reason.
    TaskQueue *queue(const QString &kind);
    QString errorString() const;

    //! The drover-worker executable. Default: $DROVER_WORKER, else the one
    //! installed (or built) beside the Drover library.
    void setWorkerProgram(const QString &program);
    QString workerProgram() const;

    //! The largest frame accepted or sent on the wire (default 64 MiB).
    void setMaxFrameSize(qint64 bytes);
    qint64 maxFrameSize() const;

    //! Job slots shared with other processes (docs/jobserver.md). A Manager
    //! created in a recipe of GNU make marked '+' (MAKEFLAGS names make's
    //! jobserver) takes one of make's tokens for each task it runs beyond
    //! its first and gives it back when that task ends, however it ends.
    //! setJobsCap(n), or $DROVER_JOBS=n when MAKEFLAGS names no usable
    //! jobserver, instead shares n slots (1 to 4096) with every Drover
    //! process of this user that has a cap, through a token server
    //! (libexec/drover-slots) that the first one starts and that ends with
    //! the last; the slots of a process that dies, even by SIGKILL, go back
    //! at once. setJobsCap(0) turns both off. Each queue's maxWorkers()
    //! holds as well; a task waiting for a slot stays queued, and waiting
    //! never blocks the event loop. Returns false, with errorString() set,
    //! when the token server cannot be reached (the cap is then off).
    bool setJobsCap(int cap);
    //! Workers on other hosts (docs/remote.md): from now on every worker is
    //! started through `launcher`, a command template in which {worker}
    //! becomes drover-worker and {args} its arguments ("srun --nodes=1
    //! --ntasks=1 {worker} {args}", "ssh -o BatchMode=yes HOST {worker}
    //! {args}"), and connects back over TCP to `listen`, "HOST:PORT" (port
    //! 0: any free one). `connectAddress`, "HOST" or "HOST:PORT", is what
    //! workers are told to reach (default: the listen address; set it when
    //! that is 0.0.0.0, or behind a forwarded port). Paths (drover-worker,
    //! plugins) must be the same on every host; a worker or plugin of
    //! another build is refused. Listens at once: false, with errorString()
    //! set, when it cannot or the template has no {worker}. Called again, it
    //! changes the launcher and connect address for workers started from
    //! then on; the listener stays where it first opened.
    bool setRemoteWorkers(const QString &listen, const QString &launcher, const QString &connectAddress = {});
    //! Remote workers talk TLS when `listen` is not a loopback address;
    //! on loopback (127.0.0.0/8, ::1: only this host can connect, and the
    //! handshake's challenge-response proves both ends all the same) only
    //! if this was set before setRemoteWorkers(). Off by default.
    void setTlsOnLoopback(bool on);
    //! Whether remote workers' connections are encrypted (false before
    //! setRemoteWorkers()).
    bool isRemoteEncrypted() const;
    //! What remote workers connect to, "HOST:PORT"; empty before
    //! setRemoteWorkers().
    QString remoteAddress() const;

    //! Stops every queue (see TaskQueue::stop()).
    void stop();

Q_SIGNALS:
    //! A connection was refused or closed for breaking the protocol, with
    //! the peer's pid and uid. Emitted on the manager's thread; for
    //! connections from processes that are not this manager's workers at
    //! most once a second, then as a count of the others.
    void protocolError(const QString &reason);
    //! The manager's socket met trouble it handled (out of file descriptors,
    //! a failed socket listening again): the text says what happened.
    void errorOccurred(const QString &message);

private:
    friend class TaskQueue;
    friend class Internal::ManagerPrivate;
    friend class Internal::TaskQueuePrivate;
    std::unique_ptr<Internal::ManagerPrivate> d;
};

} // namespace Drover
