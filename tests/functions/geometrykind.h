#pragma once

#include <drover/function.h>
#include <drover/taskkind.h>

#include <QtCore/QObject>

//! The `geometry` test kind: typed functions (drover/function.h) on
//! persistent workers. Every request is a call.
class GeometryKind : public QObject, public Drover::TaskKind
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID DROVER_TASKKIND_IID FILE "geometry.json")
    Q_INTERFACES(Drover::TaskKind)
public:
    GeometryKind();

    Drover::Decision useResponse(const Drover::WorkerStatus &status, const Drover::Task &task,
                                 const QCborValue &response) override;
    QCborValue perform(const QCborValue &request, Drover::WorkerContext &context) override;

private:
    Drover::FunctionTable m_functions;
};
