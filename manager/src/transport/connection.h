#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QObject>

#include <functional>

class QIODevice;

namespace Drover::Internal::Connection {

// What a worker's connection is once admitted: a QLocalSocket for a local
// worker, a QSslSocket for a remote one. These few calls are what the pool
// needs of either, so that it never asks which.

bool isConnected(const QIODevice *socket);
void abort(QIODevice *socket);
//! Writes a whole frame now, not on the event loop's next pass: straight to
//! the kernel when a local socket has nothing queued, else through the
//! device's own buffer, flushed. A peer found gone here is reported
//! synchronously (disconnected): callers must not use the socket after it.
void write(QIODevice *socket, QByteArrayView frame);
//! Calls `slot` on `context` when the peer has gone.
void onDisconnected(QIODevice *socket, QObject *context, const std::function<void()> &slot);

} // namespace Drover::Internal::Connection
