#pragma once

#include <drover/taskkind.h>

#include <QtCore/QObject>

//! Upper-cases the text it is given, one word of feedback at a time. Only
//! perform() is written: every other hook keeps its default (a fresh worker
//! per task, the payload as the request).
class UpperKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "upper.json")
    Q_INTERFACES(Drover::TaskKind)
public:
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;
};
