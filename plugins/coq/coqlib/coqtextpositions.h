#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>

namespace CoqLib {

//! Where a byte offset of a document lies, in the two ways it is named:
//! coqc counts bytes from the start of a line, editors count UTF-16 code
//! units. The document is UTF-8 text; lines end at '\n'.
class CoqTextPositions
{
public:
    struct Place
    {
        int line = 0;   //!< 1-based, as coqc prints it
        int column = 0; //!< 0-based, in the unit the function names
    };

    explicit CoqTextPositions(const QByteArray &source);

    //! The line and byte column of `offset` (clamped to the document).
    Place bytePlace(qsizetype offset) const;
    //! The line and UTF-16 column of `offset` (clamped to the document).
    Place utf16Place(qsizetype offset) const;
    //! The byte offset at which 1-based `line` starts; the document's size
    //! for a line past its end.
    qsizetype lineStart(int line) const;

private:
    int lineIndex(qsizetype offset) const;

    QByteArray m_source;
    QList<qsizetype> m_starts; //!< byte offset of each line's start
};

} // namespace CoqLib
