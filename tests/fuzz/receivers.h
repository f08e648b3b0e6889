#pragma once

// What the two ends of the wire do with a message they have decoded, reduced
// to the reading: the typed decoders of wire/messages.h that the manager
// (WorkerAdmission::checkHello() for the hello, TaskQueuePrivate::onMessage()
// for the rest) and the worker (WorkerClient::handle()) call, and the
// encoders of their replies.

#include "wire/wire.h"

namespace FuzzReceivers {

namespace Wire = Drover::Internal::Wire;

//! The manager's side: the handshake for a hello, the queue's routing for
//! the rest. `type` is what FrameReader::next() reported.
void actAsManager(Wire::Type type, const QCborMap &message);

//! The worker's side, WorkerClient::handle(); a ping is answered with a pong
//! that is encoded and decoded again.
void actAsWorker(Wire::Type type, const QCborMap &message);

} // namespace FuzzReceivers
