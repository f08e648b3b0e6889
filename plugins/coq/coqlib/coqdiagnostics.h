#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QString>

namespace CoqLib {

//! One error or warning coqc printed, placed in the file's text.
//!
//! coqc says `File "x.v", line L, characters A-B:` where A and B are byte
//! offsets from the start of line L (B too, when the span runs over several
//! lines). Editors count UTF-16 code units in each line: both are kept.
struct CoqDiagnostic
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    int line = 0;       //!< 1-based; 0: no place (an error about the file as a whole)
    int column = 0;     //!< 0-based, UTF-16 code units
    int endLine = 0;
    int endColumn = 0;
    int byteStart = 0;  //!< as coqc printed them: bytes from the start of `line`
    int byteEnd = 0;
    QString message;    //!< coqc's text, its line wrapping joined
    QString name;       //!< a warning's [name,category], without brackets

    QCborMap toCbor() const;
    static CoqDiagnostic fromCbor(const QCborMap &map);
    QString severityName() const { return severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning"); }
};

//! Reads what coqc wrote on stderr (and stdout) for `source`, the bytes of
//! the file it compiled. Lines that belong to no message are dropped.
QList<CoqDiagnostic> parseCoqOutput(const QString &output, const QByteArray &source);

} // namespace CoqLib
