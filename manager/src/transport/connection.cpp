#include "transport/connection.h"

#include <QtNetwork/QAbstractSocket>
#include <QtNetwork/QLocalSocket>

#include <sys/socket.h>

namespace Drover::Internal::Connection {

bool isConnected(const QIODevice *socket)
{
    if (const auto *local = qobject_cast<const QLocalSocket *>(socket))
        return local->state() == QLocalSocket::ConnectedState;
    if (const auto *tcp = qobject_cast<const QAbstractSocket *>(socket))
        return tcp->state() == QAbstractSocket::ConnectedState;
    return false;
}

void abort(QIODevice *socket)
{
    if (auto *local = qobject_cast<QLocalSocket *>(socket))
        local->abort();
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(socket))
        tcp->abort();
}

void write(QIODevice *socket, QByteArrayView frame)
{
    // A TLS socket encrypts: it always takes its own path.
    qsizetype written = 0;
    auto *local = qobject_cast<QLocalSocket *>(socket);
    if (local && local->bytesToWrite() == 0) {
        const ssize_t n = ::send(int(local->socketDescriptor()), frame.data(), size_t(frame.size()),
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
        written = n > 0 ? qsizetype(n) : 0;
    }
    if (written == frame.size())
        return;
    socket->write(frame.data() + written, frame.size() - written);
    if (local)
        local->flush();
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(socket))
        tcp->flush();
}

void onDisconnected(QIODevice *socket, QObject *context, const std::function<void()> &slot)
{
    if (auto *local = qobject_cast<QLocalSocket *>(socket))
        QObject::connect(local, &QLocalSocket::disconnected, context, slot);
    else if (auto *tcp = qobject_cast<QAbstractSocket *>(socket))
        QObject::connect(tcp, &QAbstractSocket::disconnected, context, slot);
}

} // namespace Drover::Internal::Connection
