#pragma once

#include <QtCore/QJsonObject>

//! Writes one JSON Lines record to stdout (writeJsonLineBytes()), so a reader
//! of a pipe sees each event as it happens (drover-check --json).
void emitJsonLine(const QJsonObject &object);
