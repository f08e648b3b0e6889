#pragma once

#include "wire/wire.h"

#include <QtCore/QCborMap>
#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

class QLocalSocket;
class QSocketNotifier;

namespace Drover::Internal {

//! Who is at the other end of a connection, as the kernel says (SO_PEERCRED).
struct Peer
{
    qint64 pid = -1;
    qint64 uid = -1;
};

//! Connections that have not said hello yet. Anyone on the machine can
//! connect to the manager's socket, so until a connection has sent a valid
//! hello it costs little and cannot crowd out the workers:
//!
//! - a connection from a process the manager started (isExpectedPid) is
//!   always taken; every other one is a stranger, and strangers are capped
//!   (MaxStrangersPerPeer from one pid, MaxStrangers in all), the oldest
//!   dropped first;
//! - until its hello, a connection may send at most HelloLimit bytes;
//! - it has HelloTimeout to send it.
//!
//! Refusals are logged with the peer's pid and uid, at most one line a
//! second for strangers (the rest are counted in a summary line).
class HandshakeGate : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxStrangers = 32;
    static constexpr int MaxStrangersPerPeer = 4;
    static constexpr int MaxPerExpectedPeer = 2;
    static constexpr qint64 HelloLimit = 4096;
    static constexpr std::chrono::milliseconds HelloTimeout{3000};

    explicit HandshakeGate(QObject *parent = nullptr);
    ~HandshakeGate() override;

    //! Whether a pid is a worker this manager started and waits for.
    std::function<bool(qint64 pid)> isExpectedPid;

    //! Takes a freshly accepted descriptor (the gate owns it from now on).
    void admit(int fd);
    //! Closes the oldest stranger's connection; false when there is none.
    bool dropOldestStranger(const QString &why);

    //! After helloArrived: the connection leaves the gate as a socket (the
    //! caller owns it) and *rest gets whatever came after the hello.
    QLocalSocket *release(int fd, Wire::FrameReader *rest);
    //! After helloArrived: the hello is not accepted; closes the connection,
    //! saying why (Quietly: in the debug log only, for what is no attack).
    enum Report { Loudly, Quietly };
    void refuse(int fd, const QString &reason, Report report = Loudly);

    int pendingCount() const { return int(m_pending.size()); }
    int strangerCount() const;

Q_SIGNALS:
    //! A whole first frame that is a hello arrived; the receiver must call
    //! release() or refuse() for that descriptor before returning.
    void helloArrived(int fd, const Drover::Internal::Peer &peer, const QCborMap &hello);
    //! A connection was refused or dropped; `expected` when it came from a
    //! process the manager started. For strangers, at most once a second,
    //! with a count of the others.
    void refused(const QString &message, bool expected);

private:
    struct Pending;
    Pending *find(int fd) const;
    void read(Pending *pending);
    void close(Pending *pending, const QString &reason, bool log);
    void discard(Pending &pending);
    void report(const Pending &pending, const QString &reason);
    void flushSummary();

    std::vector<std::unique_ptr<Pending>> m_pending; // in order of arrival
    quint64 m_strangerRefusals = 0;  // since the last line logged
    QSet<qint64> m_refusedPids;
    QElapsedTimer m_sinceLogged;
    QTimer m_summary;
};

} // namespace Drover::Internal

Q_DECLARE_METATYPE(Drover::Internal::Peer)
