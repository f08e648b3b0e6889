#pragma once

#include "reporter.h"

#include <QtCore/QList>

//! Without --json: a progress line on stderr while it runs (only when both
//! stdout and stderr are a terminal), then a table of the lemmas and a
//! summary line on stdout. Log messages of the library are printed above
//! the progress line instead of through it.
class TerminalReporter : public Reporter
{
public:
    TerminalReporter();
    ~TerminalReporter() override;
    void parseError(const QString &, int, int, const QString &) override {}
    void lemmaStarted(const QString &file, const QString &name, int done, int total) override;
    void lemmaFinished(const LemmaReport &outcome, int done, int total) override;
    void queryFinished(const QueryReport &outcome) override;
    void workerEvent(int, qint64, const QString &, const QString &) override {}
    void summary(const CheckSummary &summary) override;

private:
    void progress(const QString &text);

    bool m_interactive;
    QList<LemmaReport> m_outcomes;
    QList<QueryReport> m_queries;
};
