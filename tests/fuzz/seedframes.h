#pragma once

// The frames of fuzz_frames' seed corpus, for make_corpus.cpp: one of every
// message type as the project writes it, hand-made bad frames for each
// refusal of FrameReader::next() (docs/wire.md, "Frames"), and the inputs
// of issues the target found once (replayed by run.sh).

#include "wire/wire.h"

#include <QtCore/QList>

#include <utility>

namespace SeedFrames {

namespace Wire = Drover::Internal::Wire;

QByteArray prefix(quint32 length);
//! A frame around any body, so that it can hold what the encoders never write.
QByteArray raw(const QByteArray &body);
QByteArray frame(const QCborMap &message);
QByteArray envelope(Wire::Type type, qint64 task, const QCborValue &body);

//! One frame of every message type (of some, several), in the order of
//! docs/wire.md's table; the first is a hello, the third a request.
QList<QByteArray> everyMessage();
//! Named bad frames, and the odd layouts that send next() past its fast
//! type check to the decoded map.
QList<std::pair<QString, QByteArray>> badFrames();
//! Named frames that once reproduced an issue the target found (now fixed).
QList<std::pair<QString, QByteArray>> knownIssueFrames();
//! Three frames of some 1.2 KiB each.
QByteArray largeStream();
//! A frame that re-encodes larger than it came.
QByteArray expandingFrame();

} // namespace SeedFrames
