#pragma once

// The demo proof language (docs/language.md): parsing documents, the task
// payloads and option broadcasts of the `proof` kind, and reading its
// verdicts. Shared by the proof plugin, drover-check and drover-ide.

#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QString>

namespace ProofLang {

struct Step
{
    int number = 0;  //!< 1-based within its proof
    int line = 0;    //!< 1-based
    int column = 0;  //!< 1-based, where the step's text starts
    QString text;    //!< without the final '.', trimmed
};

struct Lemma
{
    QString name;
    QString statement;
    int line = 0;     //!< line of `Lemma`
    int column = 0;
    int endLine = 0;  //!< line of `Qed.`
    QList<Step> steps;
};

struct Option
{
    QString name;
    QString value;
    int line = 0;
};

//! A read-only question about the document, outside any lemma:
//! `Eval fib K.`, `Eval prime N.` or `Search WORD.`.
struct Query
{
    QString text;    //!< without the final '.', trimmed ("Eval fib 90")
    int line = 0;    //!< 1-based
    int column = 0;  //!< 1-based, where the query starts
};

struct ParseError
{
    int line = 0;
    int column = 0;
    QString message;
};

struct Document
{
    QList<Option> options;
    QList<Lemma> lemmas;        //!< only the lemmas that parsed
    QList<ParseError> errors;   //!< a broken lemma is reported here and left out
    QList<Query> queries;       //!< in document order, for the `query` kind
};

//! Parses a whole document. Never fails: problems are in Document::errors.
Document parse(const QString &text);

//! The `proof` task payload for one lemma of a document. documentId keeps
//! the options of different documents apart in one pool; persistent asks the
//! worker to stay after the lemma (Old) instead of being replaced.
QCborValue lemmaPayload(const QString &documentId, const Lemma &lemma, bool persistent);

//! The value forwarded to every worker for a `Set NAME VALUE.` line.
QCborValue optionBroadcast(const QString &documentId, const Option &option);

//! What the `proof` worker answered for a lemma.
struct Verdict
{
    QString status;     //!< "ok", "error" or "cancelled" (also "error" for a malformed answer)
    bool ok = false;
    int step = 0;       //!< the failing step (0 when ok or not about a step)
    int line = 0;       //!< its line in the document (0 if unknown)
    QString message;    //!< why it failed
    int column = 0;     //!< the failing step's column (0 if unknown)
    int checked = 0;    //!< how many leading steps held (0 if unknown)
    int from = 1;       //!< the step checking started from: above 1 when a repair resumed
};

//! Reads a `proof` response; a malformed one is a failed verdict saying so.
Verdict verdictOf(const QCborValue &response);

// ---- the `query` kind's data (see docs/language.md, "Queries") ----------

//! The `query` task payload for one query of a document.
QCborValue queryPayload(const QString &documentId, const Query &query);

//! What query workers search: the lemmas of a document (names, statements,
//! lines), forwarded to every `query` worker once, not sent with each query.
QCborValue indexBroadcast(const QString &documentId, const Document &document);

//! What the `query` worker answered.
struct QueryAnswer
{
    bool answered = false;  //!< false: `message` says why there is no answer
    QString answer;         //!< the answer, for people
    QString message;        //!< why it could not be answered
};

//! Reads a `query` response; a malformed one is unanswered, saying so.
QueryAnswer queryAnswerOf(const QCborValue &response);

} // namespace ProofLang
