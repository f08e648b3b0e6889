#pragma once

// What a `query` worker knows of a document: only what the master forwarded
// to every worker (option broadcasts and the index broadcast), never what a
// query carries. Read afresh for every query, so answering changes nothing.

#include <QtCore/QCborValue>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace Queries {

//! One lemma of the index that `Search` reads.
struct IndexEntry
{
    QString lemma;
    QString statement;
    int line = 0;
};

struct DocumentState
{
    QHash<QString, QString> options;  //!< `Set` options by name, the latest one wins
    bool hasIndex = false;            //!< an index broadcast reached the worker
    QList<IndexEntry> index;          //!< the latest one, in document order
};

//! The state of document `documentId` in the forwarded values (oldest first);
//! values of other documents, and values of no known shape, are ignored.
DocumentState documentState(const QList<QCborValue> &forwarded, const QString &documentId);

//! `Set Base dec|hex.`: the base Eval answers print numbers in (10 without
//! the option); nullopt with *error saying why for any other value.
std::optional<int> numberBase(const DocumentState &state, QString *error);

//! `Set SearchLimit N.`: how many lemmas a Search answer lists at most (no
//! limit without the option); nullopt with *error for anything but N >= 1.
std::optional<qsizetype> searchLimit(const DocumentState &state, QString *error);

} // namespace Queries
