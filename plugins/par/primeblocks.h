#pragma once

// The `par` kind's unit of work: a block of 65536 consecutive integers,
// sieved once and kept. Block k holds [k * BlockSize, (k + 1) * BlockSize).
// Shared by the worker (PrimeBlockCache), the master half (affinity) and the
// fan-out (cutting a range into block tasks). See docs/language.md.

#include <QtCore/QCborValue>
#include <QtCore/QList>

#include <optional>
#include <vector>

namespace Par {

inline constexpr quint64 BlockSize = quint64(1) << 16;
//! The largest number a `par prime` range may reach: its square root bounds
//! the base primes a worker sieves with (one million of them at most).
inline constexpr quint64 MaxNumber = quint64(1'000'000'000'000);
//! The most numbers one range may span (1526 blocks).
inline constexpr quint64 MaxSpan = quint64(100'000'000);
//! How many blocks a worker keeps (8 KiB each).
inline constexpr int CachedBlocks = 1024;

inline quint64 blockOf(quint64 n) { return n / BlockSize; }

//! One block task: the part [from, to] of block `block`.
struct BlockPart
{
    quint64 block = 0;
    quint64 from = 0;
    quint64 to = 0;
};

//! Cuts [from, to] at block boundaries.
QList<BlockPart> partsOf(quint64 from, quint64 to);

QCborValue payloadOf(const BlockPart &part);
std::optional<BlockPart> partOf(const QCborValue &payload);

//! What a `par prime A..B` step asks the master (WorkerContext::ask):
//! {op: "par", what: "prime", from, to}.
QCborValue question(quint64 from, quint64 to);

//! Why a range cannot be checked, or nullopt when it can.
std::optional<QString> rangeProblem(quint64 from, quint64 to);

//! Ranges of cached blocks, [[first, last], ...], as a worker reports them
//! and its competence keeps them; whether they contain a block.
bool rangesContain(const QCborValue &ranges, quint64 block);

//! The blocks a worker sieved, with the base primes they need.
class PrimeBlockCache
{
public:
    //! How many primes lie in [part.from, part.to]; *hit says whether the
    //! block was cached already. The block is cached afterwards.
    int countPrimes(const BlockPart &part, bool *hit);
    //! The cached blocks as ranges, for the competence.
    QCborValue cachedRanges() const;
    quint64 sieveLimit() const { return m_baseLimit; }

private:
    struct Block
    {
        quint64 index = 0;
        std::vector<bool> composite;  //!< one entry per number of the block
    };
    const Block &block(quint64 index, bool *hit);
    void extendBasePrimes(quint64 limit);

    std::vector<Block> m_blocks;       //!< oldest first; the oldest is dropped when full
    std::vector<quint32> m_basePrimes; //!< every prime up to m_baseLimit
    quint64 m_baseLimit = 1;
};

} // namespace Par
