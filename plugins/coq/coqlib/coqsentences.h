#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QString>

namespace CoqLib {

//! One sentence of a Coq document, as coqidetop takes them one at a time
//! (its `Add` call) and as `coqc -time` names them (`Chars START - END`).
//!
//! Offsets and columns count bytes of the UTF-8 document; lines are 1-based
//! and columns 0-based, as in coqc's `line L, characters A-B`. For an
//! editor's UTF-16 columns, see CoqTextPositions::utf16Place().
struct CoqSentence
{
    enum class Kind {
        Command,    //!< ends just after its terminating `.` (or `...`)
        Bullet,     //!< a run of one of `-`, `+`, `*`, e.g. `--`
        OpenBrace,  //!< `{`, with any goal selector before it (`2: {`, `[x]: {`)
        CloseBrace, //!< `}`
    };
    Kind kind = Kind::Command;
    qsizetype start = 0; //!< its first byte that is neither blank nor comment
    qsizetype end = 0;   //!< just after its last byte
    int line = 0;        //!< of start
    int column = 0;      //!< of start, in bytes
    int endLine = 0;     //!< of end
    int endColumn = 0;   //!< of end, in bytes

    QByteArray text(const QByteArray &source) const { return source.mid(start, end - start); }
};

//! All the complete sentences of a document, and why the rest is not one.
struct CoqSentenceSplit
{
    enum class Error {
        None,
        UnterminatedComment, //!< a `(*` never closed: errorOffset is at it
        UnterminatedString,  //!< a `"` never closed (also within a comment): at it
        IncompleteSentence,  //!< text after the last sentence has no end: at its start
    };
    QList<CoqSentence> sentences; //!< in order; those before an error are all here
    Error error = Error::None;
    qsizetype errorOffset = -1; //!< byte offset; -1 without an error
    int errorLine = 0;          //!< 1-based
    int errorColumn = 0;        //!< 0-based, in bytes

    QString errorString() const;
};

//! Splits `source` (UTF-8) into sentences by Coq's lexical rules: nested
//! comments (within which strings are lexed), strings with `""` for a
//! quote, a `.` that ends a sentence only before a blank or the end of the
//! input (not `..`, `Nat.add`, `1.5`), and `{`, `}` and bullets as
//! sentences of their own only where a sentence starts.
CoqSentenceSplit splitCoqSentences(const QByteArray &source);

//! `text` with every comment made one space, for reading a sentence's
//! words; strings are kept. An unterminated comment runs to the end.
QByteArray withoutCoqComments(QByteArrayView text);

} // namespace CoqLib
