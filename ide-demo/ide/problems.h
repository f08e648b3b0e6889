#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

namespace DroverDemo {
class ProofDocument;
}

namespace DroverIde {

using DroverDemo::ProofDocument;

//! One thing in the document that needs the user: a parse error, or a
//! lemma that ended error, crashed or timeout (at its failing step when the
//! worker said where it is).
struct Problem
{
    int line = 0;    //!< 1-based
    int column = 1;  //!< 1-based
    QString text;    //!< what the status bar and the log say
};

//! Every problem of the document, by line then column.
QList<Problem> problemsOf(const ProofDocument &document);

//! The first problem after (line, column), or before it when backwards,
//! wrapping around the document; nullptr when there is none.
const Problem *nextProblem(const QList<Problem> &problems, int line, int column, bool backwards);

} // namespace DroverIde
