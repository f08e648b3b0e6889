#pragma once

// A task for the scripted test kind (tests/scripted/scriptedkind.h says
// what each op does).

#include "drover/task.h"

#include <QtCore/QCborMap>

namespace TestSupport {

inline Drover::Task scripted(const QString &op, const QCborValue &arg = {}, bool stay = false)
{
    QCborMap payload;
    payload.insert(QLatin1String("op"), op);
    payload.insert(QLatin1String("arg"), arg);
    payload.insert(QLatin1String("stay"), stay);
    Drover::Task task;
    task.payload = payload;
    return task;
}

} // namespace TestSupport
