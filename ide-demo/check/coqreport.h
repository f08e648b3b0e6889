#pragma once

#include "coqdiagnostics.h"

#include <QtCore/QList>
#include <QtCore/QString>

//! How one file of a Coq development ended, as drover-check prints it.
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
};

struct BuildSummary
{
    int files = 0;
    int ok = 0;
    int upToDate = 0;
    int error = 0;
    int skipped = 0;
    int crashed = 0;
    int timeout = 0;
    int cancelled = 0;
    qint64 wallMs = 0;
};

//! Where the events of a Coq build go: JSON Lines (one `file` event per .v,
//! then a `summary`), or a terminal (a progress line, then a table).
class CoqReport
{
public:
    explicit CoqReport(bool json);
    void fileStarted(const QString &file, int done, int total);
    void fileFinished(const FileReport &report, int done, int total);
    void summary(const BuildSummary &summary);

private:
    bool m_json;
    bool m_interactive;
    QList<FileReport> m_files;
};
