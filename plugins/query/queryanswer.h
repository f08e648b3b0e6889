#pragma once

// Answering one query (`Eval fib K`, `Eval prime N`, `Search WORD`) from a
// document's state. Pure: it reads the state and changes nothing.

#include "documentstate.h"

#include <QtCore/QString>

#include <functional>

namespace Queries {

//! The answer to a query, or why there is none.
struct Answer
{
    bool answered = false;
    QString text;  //!< the answer when answered, else why not
};

//! Answers a query's text (without its '.'). `cancelled` is polled by long
//! work (Eval prime of a large N); once it fires the answer is meaningless.
Answer answerQuery(const QString &text, const DocumentState &state, const std::function<bool()> &cancelled);

} // namespace Queries
