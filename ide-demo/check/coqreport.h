#pragma once

#include "coqfilereport.h"

#include <QtCore/QList>
#include <QtCore/QString>

using DroverDemo::FileReport;

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
