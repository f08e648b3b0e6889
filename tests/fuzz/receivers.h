#pragma once

// What the two ends of the wire do with a message they have decoded, reduced
// to the reading: the keys of each type (docs/wire.md, "Messages") read with
// the same QCbor accessors as the manager (handshakegate.cpp read() and
// manager.cpp checkHello() for the hello, taskqueue.cpp onMessage() and
// what it calls, workerprocess.cpp readFrames()) and the worker
// (workerproc/workerclient.cpp handle() and welcome()).

#include "wire.h"

namespace FuzzReceivers {

namespace Wire = Drover::Internal::Wire;

//! The manager's side: the handshake for a hello, the queue's routing for
//! the rest. `type` is what FrameReader::next() reported.
void actAsManager(Wire::Type type, const QCborMap &message);

//! The worker's side, WorkerClient::handle(); a ping is answered with a pong
//! that is encoded and decoded again.
void actAsWorker(Wire::Type type, const QCborMap &message);

} // namespace FuzzReceivers
