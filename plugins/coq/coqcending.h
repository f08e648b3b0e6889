#pragma once

#include "coqtask.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

//! How a coqc run ended, in words a person can act on: the status and the
//! message of a CoqResult, and a warning when the source is not UTF-8.
//! Split from coqcrun.cpp, which only runs the process.
namespace CoqcEnding {

//! Fills result.status and result.message from how coqc ended: `waitStatus`
//! as wait4 gave it, `cancelled` when the worker itself sent SIGTERM,
//! `oomBefore`/`oomAfter` as Drover::kernelOomKills() read them around
//! the run.
void describe(CoqLib::CoqResult &result, int waitStatus, bool cancelled, qint64 oomBefore, qint64 oomAfter);

//! A warning placed at the first byte of `source` that is not UTF-8, or
//! nullopt when it all is. Coq reads its sources as UTF-8; columns after
//! that byte count each bad byte as one character.
std::optional<CoqLib::CoqDiagnostic> notUtf8(const QByteArray &source);

} // namespace CoqcEnding
