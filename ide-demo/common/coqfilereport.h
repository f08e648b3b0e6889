#pragma once

#include "coqdiagnostics.h"

#include <QtCore/QList>
#include <QtCore/QString>

namespace DroverDemo {

//! How one file of a Coq development ended: what drover-check prints and
//! drover-ide shows beside the file.
struct FileReport
{
    QString file;      //!< relative to the development's root
    QString status;    //!< ok, error, skipped, timeout, crashed, cancelled
    bool upToDate = false; //!< not rebuilt: its .vo was newer than all it depends on
    QList<CoqLib::CoqDiagnostic> errors; //!< errors and warnings
    QString message;
    int worker = -1;
    qint64 ms = 0;
    qint64 cpuMs = 0;    //!< coqc's CPU time (user + system)
    qint64 peakRss = 0;
    qint64 startMs = -1; //!< when its task started, since the build began (-1: never ran)
    qint64 endMs = 0;    //!< when it ended, since the build began
    qint64 startedAt = 0; //!< startMs as epoch milliseconds (0: never ran)
    qint64 endedAt = 0;   //!< endMs as epoch milliseconds
};

} // namespace DroverDemo
