#include "primeblocks.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>

#include <algorithm>
#include <cmath>

namespace Par {

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

quint64 squareRoot(quint64 n)
{
    auto root = quint64(std::sqrt(double(n)));
    while (root * root > n)
        --root;
    while ((root + 1) * (root + 1) <= n)
        ++root;
    return root;
}
} // namespace

QList<BlockPart> partsOf(quint64 from, quint64 to)
{
    QList<BlockPart> parts;
    for (quint64 block = blockOf(from); from <= to; ++block) {
        const quint64 end = std::min(to, (block + 1) * BlockSize - 1);
        parts.append({block, from, end});
        from = end + 1;
    }
    return parts;
}

QCborValue payloadOf(const BlockPart &part)
{
    QCborMap payload;
    payload.insert(key("block"), qint64(part.block));
    payload.insert(key("from"), qint64(part.from));
    payload.insert(key("to"), qint64(part.to));
    return payload;
}

std::optional<BlockPart> partOf(const QCborValue &payload)
{
    const QCborValue block = payload[key("block")];
    const QCborValue from = payload[key("from")];
    const QCborValue to = payload[key("to")];
    if (!block.isInteger() || !from.isInteger() || !to.isInteger() || block.toInteger() < 0 || from.toInteger() < 0)
        return std::nullopt;
    const BlockPart part{quint64(block.toInteger()), quint64(from.toInteger()), quint64(to.toInteger())};
    if (part.from > part.to || blockOf(part.from) != part.block || blockOf(part.to) != part.block
        || part.to > MaxNumber)
        return std::nullopt;
    return part;
}

QCborValue question(quint64 from, quint64 to)
{
    QCborMap q;
    q.insert(key("op"), QStringLiteral("par"));
    q.insert(key("what"), QStringLiteral("prime"));
    q.insert(key("from"), qint64(from));
    q.insert(key("to"), qint64(to));
    return q;
}

std::optional<QString> rangeProblem(quint64 from, quint64 to)
{
    if (from > to)
        return QStringLiteral("the range %1..%2 is empty: it must not end before it starts").arg(from).arg(to);
    if (to > MaxNumber)
        return QStringLiteral("the range %1..%2 goes past %3, the largest number par checks").arg(from).arg(to).arg(MaxNumber);
    if (to - from >= MaxSpan)
        return QStringLiteral("the range %1..%2 spans more than %3 numbers").arg(from).arg(to).arg(MaxSpan);
    return std::nullopt;
}

bool rangesContain(const QCborValue &ranges, quint64 block)
{
    for (const QCborValue &range : ranges.toArray()) {
        if (quint64(range[0].toInteger()) <= block && block <= quint64(range[1].toInteger()))
            return true;
    }
    return false;
}

void PrimeBlockCache::extendBasePrimes(quint64 limit)
{
    if (limit <= m_baseLimit)
        return;
    limit = std::max(limit, m_baseLimit * 2); // grow geometrically: few re-sieves
    std::vector<bool> composite(limit + 1, false);
    m_basePrimes.clear();
    for (quint64 n = 2; n <= limit; ++n) {
        if (composite[n])
            continue;
        m_basePrimes.push_back(quint32(n));
        for (quint64 m = n * n; m <= limit; m += n)
            composite[m] = true;
    }
    m_baseLimit = limit;
}

const PrimeBlockCache::Block &PrimeBlockCache::block(quint64 index, bool *hit)
{
    const auto found = std::find_if(m_blocks.begin(), m_blocks.end(), [index](const Block &b) { return b.index == index; });
    *hit = found != m_blocks.end();
    if (*hit)
        return *found;

    const quint64 low = index * BlockSize;
    const quint64 high = low + BlockSize - 1;
    extendBasePrimes(squareRoot(high));
    Block sieved{index, std::vector<bool>(BlockSize, false)};
    for (quint64 n = low; n < std::min<quint64>(2, high + 1); ++n)
        sieved.composite[n - low] = true; // 0 and 1 are not prime
    for (const quint32 p : m_basePrimes) {
        if (quint64(p) * p > high)
            break;
        quint64 m = std::max<quint64>(quint64(p) * p, (low + p - 1) / p * p);
        for (; m <= high; m += p)
            sieved.composite[m - low] = true;
    }
    if (m_blocks.size() >= std::size_t(CachedBlocks))
        m_blocks.erase(m_blocks.begin());
    m_blocks.push_back(std::move(sieved));
    return m_blocks.back();
}

int PrimeBlockCache::countPrimes(const BlockPart &part, bool *hit)
{
    const Block &b = block(part.block, hit);
    const quint64 low = part.block * BlockSize;
    int count = 0;
    for (quint64 n = part.from; n <= part.to; ++n)
        count += b.composite[n - low] ? 0 : 1;
    return count;
}

QCborValue PrimeBlockCache::cachedRanges() const
{
    std::vector<quint64> indices;
    indices.reserve(m_blocks.size());
    for (const Block &b : m_blocks)
        indices.push_back(b.index);
    std::sort(indices.begin(), indices.end());
    QCborArray ranges;
    for (std::size_t i = 0; i < indices.size();) {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1)
            ++j;
        ranges.append(QCborArray{qint64(indices[i]), qint64(indices[j])});
        i = j + 1;
    }
    return ranges;
}

} // namespace Par
