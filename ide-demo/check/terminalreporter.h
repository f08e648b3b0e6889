#pragma once

#include "reporter.h"

#include <QtCore/QList>

//! Without --json: a progress line on stderr while it runs (on a terminal
//! only), then a table of the lemmas and a summary line on stdout.
class TerminalReporter : public Reporter
{
public:
    TerminalReporter();
    void parseError(const QString &, int, int, const QString &) override {}
    void lemmaStarted(const QString &file, const QString &name, int done, int total) override;
    void lemmaFinished(const LemmaOutcome &outcome, int done, int total) override;
    void workerEvent(int, qint64, const QString &, const QString &) override {}
    void summary(const CheckSummary &summary) override;

private:
    void progress(const QString &text);

    bool m_interactive;
    QList<LemmaOutcome> m_outcomes;
    QString m_current;
};
