#pragma once

#include "reporter.h"

//! --json: one compact JSON object per line on stdout, flushed at once.
class JsonReporter : public Reporter
{
public:
    void parseError(const QString &file, int line, int column, const QString &message) override;
    void lemmaStarted(const QString &, const QString &, int, int) override {}
    void lemmaWaiting(const QString &file, const QString &name, int line, qint64 sinceMs) override;
    void lemmaFinished(const LemmaReport &outcome, int done, int total) override;
    void queryFinished(const QueryReport &outcome) override;
    void workerEvent(int id, qint64 pid, const QString &state, const QString &status) override;
    void summary(const CheckSummary &summary) override;
};
