#include "coqtextpositions.h"

#include <QtCore/QString>

#include <algorithm>

namespace CoqLib {

CoqTextPositions::CoqTextPositions(const QByteArray &source)
    : m_source(source)
    , m_starts{0}
{
    for (qsizetype i = 0; i < source.size(); ++i) {
        if (source.at(i) == '\n')
            m_starts << i + 1;
    }
}

int CoqTextPositions::lineIndex(qsizetype offset) const
{
    const auto after = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    return int(std::max<qsizetype>(0, (after - m_starts.begin()) - 1));
}

CoqTextPositions::Place CoqTextPositions::bytePlace(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, m_source.size());
    const int line = lineIndex(offset);
    return {line + 1, int(offset - m_starts.at(line))};
}

CoqTextPositions::Place CoqTextPositions::utf16Place(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, m_source.size());
    const int line = lineIndex(offset);
    const qsizetype start = m_starts.at(line);
    return {line + 1, int(QString::fromUtf8(m_source.constData() + start, offset - start).size())};
}

qsizetype CoqTextPositions::lineStart(int line) const
{
    return line >= 1 && line <= m_starts.size() ? m_starts.at(line - 1) : m_source.size();
}

} // namespace CoqLib
