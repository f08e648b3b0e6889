#pragma once

#include <QtCore/QJsonObject>

//! Writes one JSON Lines record to stdout and flushes it, so a reader of a
//! pipe sees each event as it happens (drover-check --json).
void emitJsonLine(const QJsonObject &object);
