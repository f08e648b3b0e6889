#pragma once

#include "coqdiagnostics.h"

#include <QtCore/QCborMap>
#include <QtCore/QStringList>

namespace CoqLib {

//! What a `coq` task asks a worker: compile one file with coqc.
struct CoqRequest
{
    enum class Mode { Full, Quick, ProofCheck }; //!< .vo; -vos; -vok
    QString file;        //!< absolute path of the .v
    QString root;        //!< coqc runs here
    QStringList flags;   //!< the development's (CoqProject::flags)
    QString coqc = QStringLiteral("coqc");
    Mode mode = Mode::Full;

    QCborMap toCbor() const;
    static CoqRequest fromCbor(const QCborMap &map);
    //! coqc's arguments.
    QStringList arguments() const;
};

//! What the worker answers: how coqc ended, and what it said.
struct CoqResult
{
    QString status;          //!< ok, error, crashed, cancelled
    int exitCode = 0;
    int signal = 0;          //!< the signal that ended coqc, 0 if it exited
    QList<CoqDiagnostic> diagnostics;
    QString output;          //!< coqc's stdout and stderr (the last 64 KiB)
    qint64 ms = 0;           //!< coqc's wall time
    qint64 cpuMs = 0;        //!< coqc's user + system time (wait4): what it costs, whatever else runs
    qint64 peakRssBytes = 0; //!< coqc's peak resident memory (wait4)
    QString message;         //!< why, for a person, when not ok

    QCborMap toCbor() const;
    static CoqResult fromCbor(const QCborMap &map);
};

} // namespace CoqLib
