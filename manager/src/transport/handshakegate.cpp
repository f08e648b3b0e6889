#include "transport/handshakegate.h"

#include "logging.h"

#include <QtCore/QSocketNotifier>
#include <QtNetwork/QLocalSocket>

#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

using namespace std::chrono_literals;

namespace Drover::Internal {

namespace {
constexpr auto SummaryInterval = 1000ms;

Peer peerOf(int fd)
{
    ucred credentials{};
    socklen_t length = sizeof credentials;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
        return {};
    return {credentials.pid, credentials.uid};
}

QString describe(const Peer &peer)
{
    return QStringLiteral("pid %1, uid %2").arg(peer.pid).arg(peer.uid);
}
} // namespace

struct HandshakeGate::Pending
{
    int fd = -1;
    Peer peer;
    bool expected = false;
    std::unique_ptr<QSocketNotifier> notifier;
    std::unique_ptr<QTimer> timer;
    Wire::FrameReader reader{HandshakeGate::HelloLimit};
};

HandshakeGate::HandshakeGate(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Peer>();
    m_summary.setSingleShot(true);
    connect(&m_summary, &QTimer::timeout, this, &HandshakeGate::flushSummary);
}

HandshakeGate::~HandshakeGate()
{
    for (const auto &pending : m_pending)
        ::close(pending->fd);
}

int HandshakeGate::strangerCount() const
{
    return int(std::count_if(m_pending.begin(), m_pending.end(), [](const auto &p) { return !p->expected; }));
}

HandshakeGate::Pending *HandshakeGate::find(int fd) const
{
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [fd](const auto &p) { return p->fd == fd; });
    return it == m_pending.end() ? nullptr : it->get();
}

void HandshakeGate::admit(int fd)
{
    auto pending = std::make_unique<Pending>();
    pending->fd = fd;
    pending->peer = peerOf(fd);
    pending->expected = isExpectedPid && pending->peer.pid > 0 && isExpectedPid(pending->peer.pid);

    // Make room: the same peer's oldest first, then anyone's oldest.
    const auto samePeer = [&](const auto &p) { return p->expected == pending->expected && p->peer.pid == pending->peer.pid; };
    const int limit = pending->expected ? MaxPerExpectedPeer : MaxStrangersPerPeer;
    if (std::count_if(m_pending.begin(), m_pending.end(), samePeer) >= limit) {
        auto oldest = std::find_if(m_pending.begin(), m_pending.end(), samePeer);
        close(oldest->get(), QStringLiteral("more than %1 connections without a hello from one process").arg(limit), true);
    }
    if (!pending->expected && strangerCount() >= MaxStrangers)
        dropOldestStranger(QStringLiteral("more than %1 connections without a hello").arg(MaxStrangers));

    Pending *p = pending.get();
    p->notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    connect(p->notifier.get(), &QSocketNotifier::activated, this, [this, p] { read(p); });
    p->timer = std::make_unique<QTimer>();
    p->timer->setSingleShot(true);
    connect(p->timer.get(), &QTimer::timeout, this, [this, p, fd] {
        read(p); // what arrived while the event loop was busy counts
        if (Pending *still = find(fd))
            close(still, QStringLiteral("no hello within %1 ms").arg(HelloTimeout.count()), true);
    });
    p->timer->start(HelloTimeout);
    m_pending.push_back(std::move(pending));
    read(p);
}

bool HandshakeGate::dropOldestStranger(const QString &why)
{
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [](const auto &p) { return !p->expected; });
    if (it == m_pending.end())
        return false;
    close(it->get(), why, true);
    return true;
}

void HandshakeGate::read(Pending *p)
{
    // Never more than HelloLimit from a connection that has not said hello.
    char buffer[HelloLimit];
    const qint64 room = HelloLimit - p->reader.bufferedBytes();
    if (room > 0) {
        const ssize_t got = ::recv(p->fd, buffer, size_t(room), MSG_DONTWAIT);
        if (got == 0) {
            close(p, QStringLiteral("closed before its hello"), false);
            return;
        }
        if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close(p, QStringLiteral("connection failed before its hello: %1").arg(QString::fromLocal8Bit(::strerror(errno))), false);
            return;
        }
        if (got > 0)
            p->reader.addData(QByteArray::fromRawData(buffer, qsizetype(got)));
    }
    QCborMap hello;
    Wire::Type type = Wire::Type::Unknown;
    switch (p->reader.next(&hello, &type)) {
    case Wire::FrameReader::Status::NeedMore:
        if (p->reader.bufferedBytes() >= HelloLimit)
            close(p, QStringLiteral("sent %1 bytes without a whole hello").arg(HelloLimit), true);
        return;
    case Wire::FrameReader::Status::Error:
        close(p, p->reader.errorString(), true);
        return;
    case Wire::FrameReader::Status::Message:
        break;
    }
    if (type != Wire::Type::Hello) {
        close(p, QStringLiteral("first message is \"%1\", not hello").arg(Wire::typeName(type)), true);
        return;
    }
    p->notifier->setEnabled(false);
    p->timer->stop();
    const int fd = p->fd;
    emit helloArrived(fd, p->peer, hello);
    if (Pending *still = find(fd); still == p) // the receiver must decide
        close(p, QStringLiteral("hello left unanswered"), true);
}

QLocalSocket *HandshakeGate::release(int fd, Wire::FrameReader *rest)
{
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [fd](const auto &p) { return p->fd == fd; });
    if (it == m_pending.end())
        return nullptr;
    std::unique_ptr<Pending> p = std::move(*it);
    m_pending.erase(it);
    discard(*p);
    auto *socket = new QLocalSocket;
    socket->setSocketDescriptor(fd, QLocalSocket::ConnectedState, QIODevice::ReadWrite);
    *rest = std::move(p->reader);
    return socket;
}

void HandshakeGate::refuse(int fd, const QString &reason, Report report)
{
    if (Pending *p = find(fd))
        close(p, reason, report == Loudly);
}

void HandshakeGate::close(Pending *p, const QString &reason, bool log)
{
    if (log)
        report(*p, reason);
    else
        qCDebug(lcWire).noquote() << "connection from" << describe(p->peer) << reason;
    discard(*p);
    ::close(p->fd);
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [p](const auto &q) { return q.get() == p; });
    m_pending.erase(it);
}

void HandshakeGate::discard(Pending &p)
{
    // Destroyed later: this may run from the connection's own notifier or timer.
    p.notifier->setEnabled(false);
    p.notifier->disconnect(this);
    p.notifier.release()->deleteLater();
    p.timer->stop();
    p.timer->disconnect(this);
    p.timer.release()->deleteLater();
}

void HandshakeGate::report(const Pending &p, const QString &reason)
{
    const QString message = QStringLiteral("refused a connection from %1%2: %3")
                                .arg(describe(p.peer), p.expected ? QString() : QStringLiteral(" (not a worker of this manager)"),
                                     reason);
    if (p.expected) {
        qCWarning(lcWire).noquote() << message;
        emit refused(message, true);
        return;
    }
    if (!m_sinceLogged.isValid() || m_sinceLogged.elapsed() >= SummaryInterval.count()) {
        m_sinceLogged.start();
        qCWarning(lcWire).noquote() << message;
        emit refused(message, false);
        return;
    }
    ++m_strangerRefusals;
    m_refusedPids.insert(p.peer.pid);
    if (!m_summary.isActive())
        m_summary.start(SummaryInterval - std::chrono::milliseconds(m_sinceLogged.elapsed()));
}

void HandshakeGate::flushSummary()
{
    if (m_strangerRefusals == 0)
        return;
    QList<qint64> pids = m_refusedPids.values();
    std::sort(pids.begin(), pids.end());
    QStringList names;
    for (qint64 pid : std::as_const(pids).first(std::min<qsizetype>(pids.size(), 8)))
        names << QString::number(pid);
    if (pids.size() > 8)
        names << QStringLiteral("…");
    const QString message = QStringLiteral("refused %1 more connections from processes that are not workers of this "
                                           "manager (pids %2) in the last second")
                                .arg(m_strangerRefusals).arg(names.join(QLatin1String(", ")));
    m_strangerRefusals = 0;
    m_refusedPids.clear();
    m_sinceLogged.start();
    qCWarning(lcWire).noquote() << message;
    emit refused(message, false);
}

} // namespace Drover::Internal
