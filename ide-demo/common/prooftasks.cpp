#include "prooftasks.h"

namespace DroverDemo {

Drover::Task lemmaTask(const QString &documentId, const ProofLang::Lemma &lemma, const LemmaTaskSettings &settings)
{
    Drover::Task task;
    task.payload = ProofLang::lemmaPayload(documentId, lemma, settings.persistent);
    task.name = lemma.name;
    task.priority = settings.priority;
    task.options = settings.options;
    return task;
}

Drover::Task queryTask(const QString &documentId, const ProofLang::Query &query, const Drover::TaskOptions &options)
{
    Drover::Task task;
    task.payload = ProofLang::queryPayload(documentId, query);
    task.name = query.text;
    task.options = options;
    return task;
}

} // namespace DroverDemo
