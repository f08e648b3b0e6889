#pragma once

// Re-encoding a decoded message: Wire::encodeFrame() and both
// Wire::FrameWriter::encode() overloads must give frames that a
// Wire::FrameReader decodes to the same message, and the same bytes wherever
// the two ways of encoding promise the same layout (docs/wire.md, "Writing
// and reading"). Any difference aborts.

#include "wire/wire.h"

#include <QtCore/QCborValue>

namespace FuzzRoundTrip {

namespace Wire = Drover::Internal::Wire;

//! Equality of CBOR values in which a NaN equals a NaN (QCborValue's own
//! comparison does not make it equal to itself, and not symmetrically).
bool same(const QCborValue &a, const QCborValue &b);

//! `type` is what FrameReader::next() reported for `message`; `limit` is the
//! frame limit of the reader that decoded it.
void check(Wire::Type type, const QCborMap &message, qint64 limit);

} // namespace FuzzRoundTrip
