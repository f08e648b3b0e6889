#pragma once

#include "prooflang.h"

#include <QtCore/QCborValue>
#include <QtCore/QList>

namespace Drover { class TaskQueue; }

namespace DroverDemo {

//! A document's options as broadcasts, tagged with documentId (its path):
//! every worker reads them before its first task of that document.
QList<QCborValue> optionBroadcasts(const QString &documentId, const QList<ProofLang::Option> &options);

//! What a query worker answers a document's queries from: its options, then
//! its lemma index.
QList<QCborValue> queryBroadcasts(const QString &documentId, const ProofLang::Document &document);

//! Forwards each broadcast to the queue's workers, those running and those
//! still to start (they get them in their welcome), until the queue's
//! forwarded feedback is cleared.
void forwardBroadcasts(Drover::TaskQueue *queue, const QList<QCborValue> &broadcasts);

} // namespace DroverDemo
