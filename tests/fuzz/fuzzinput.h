#pragma once

// The layout of one fuzz input, shared by the fuzz target (fuzz_frames.cpp)
// and the seed generator (make_corpus.cpp), so that seeds say exactly how
// they are to be fed. Three header bytes, then the byte stream itself:
//
//   byte 0  bits 0-1: how the stream reaches the reader: 0 and 3 addData(),
//                     1 readFrom(QIODevice *), 2 readFrom(int fd) from a
//                     socketpair;
//           bits 2-7: chunking c: 0 the stream in one piece, 1 byte by byte,
//                     otherwise pseudo-random pieces of 1..4c bytes; for
//                     the socket 16 times as large (each costs a send()
//                     and a recv(), and a reader splits what it reads from
//                     a socket just as what it is given), for a repeated
//                     stream as many times larger as it repeats.
//   byte 1  the frame limit: bits 0-1 select 0 the default (64 MiB),
//           1 v, 2 v * 64, 3 v * 4096 bytes, where v is bits 2-7.
//   byte 2  for b >= 0xf0: the stream repeated 32 * (b - 0xef) times (up
//           to 512, so that the reader's buffer passes the sizes where it
//           compacts and gives memory back). Otherwise once, and bits 0-1
//           change the limit after the first message, as the manager
//           raises it once a hello is accepted: 0 kept, 1 the default,
//           2 halved, 3 doubled.
// The rest is the byte stream. Chunker below turns byte 0 into the sizes
// of the pieces.

#include <QtCore/QtGlobal>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "wire/wire.h"

namespace FuzzInput {

inline constexpr std::size_t HeaderSize = 3;

enum class Feed : std::uint8_t { AddData = 0, Device = 1, Socket = 2 };
enum class Limit : std::uint8_t { Default = 0, Bytes = 1, Times64 = 2, Times4096 = 3 };
enum class Change : std::uint8_t { Kept = 0, ToDefault = 1, Halved = 2, Doubled = 3 };

inline constexpr unsigned Whole = 0;
inline constexpr unsigned ByteByByte = 1;
inline constexpr unsigned MaxChunking = 63;

struct Header
{
    Feed feed = Feed::AddData;
    unsigned chunking = Whole;
    qint64 maxFrameSize = Drover::Internal::Wire::DefaultMaxFrameSize;
    int repeat = 1;
    qint64 maxFrameSizeAfterFirst = Drover::Internal::Wire::DefaultMaxFrameSize;
};

inline Header parse(const std::uint8_t *bytes)
{
    Header h;
    const unsigned feed = bytes[0] & 3u;
    h.feed = feed == 3 ? Feed::AddData : Feed(feed);
    h.chunking = bytes[0] >> 2;
    const qint64 v = bytes[1] >> 2;
    switch (Limit(bytes[1] & 3u)) {
    case Limit::Default: h.maxFrameSize = Drover::Internal::Wire::DefaultMaxFrameSize; break;
    case Limit::Bytes: h.maxFrameSize = v; break;
    case Limit::Times64: h.maxFrameSize = v * 64; break;
    case Limit::Times4096: h.maxFrameSize = v * 4096; break;
    }
    h.repeat = bytes[2] >= 0xf0 ? 32 * (bytes[2] - 0xef) : 1;
    h.maxFrameSizeAfterFirst = h.maxFrameSize;
    if (h.repeat == 1) {
        switch (Change(bytes[2] & 3u)) {
        case Change::Kept: break;
        case Change::ToDefault: h.maxFrameSizeAfterFirst = Drover::Internal::Wire::DefaultMaxFrameSize; break;
        case Change::Halved: h.maxFrameSizeAfterFirst = h.maxFrameSize / 2; break;
        case Change::Doubled: h.maxFrameSizeAfterFirst = h.maxFrameSize * 2; break;
        }
    }
    return h;
}

inline std::uint8_t feedByte(Feed feed, unsigned chunking)
{
    return std::uint8_t((chunking & MaxChunking) << 2 | unsigned(feed));
}

inline std::uint8_t limitByte(Limit limit, unsigned value)
{
    return std::uint8_t((value & 63u) << 2 | unsigned(limit));
}

//! Byte 2 for `times` repetitions (1, or a multiple of 32 up to 512); a
//! single stream with the limit changed after the first message.
inline std::uint8_t thirdByte(int times, Change change)
{
    return times <= 1 ? std::uint8_t(change) : std::uint8_t(0xef + times / 32);
}

inline constexpr qsizetype SocketScale = 16;

//! The sizes of the pieces: xorshift from the chunking value, so that each
//! input always splits the same way.
class Chunker
{
public:
    explicit Chunker(const Header &header)
        : m_chunking(header.chunking)
        , m_scale((header.feed == Feed::Socket ? SocketScale : 1) * header.repeat)
        , m_state(0x9e3779b9u ^ header.chunking)
    {
    }
    qsizetype next(qsizetype left)
    {
        if (m_chunking == Whole)
            return left;
        qsizetype size = 1;
        if (m_chunking != ByteByByte) {
            m_state ^= m_state << 13;
            m_state ^= m_state >> 17;
            m_state ^= m_state << 5;
            size = 1 + qsizetype(m_state % (4 * m_chunking));
        }
        return std::min<qsizetype>(left, size * m_scale);
    }

private:
    unsigned m_chunking;
    qsizetype m_scale;
    quint32 m_state;
};

} // namespace FuzzInput
