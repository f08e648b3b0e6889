#pragma once

#include "reporter.h"

#include <QtCore/QList>

#include <memory>

class TerminalWidth;

//! Without --json: a progress line on stderr while it runs (whenever stderr
//! is a terminal, cut to its width and redrawn when the window changes),
//! then a table of the lemmas and a summary line on stdout. Log messages
//! are printed above the progress line instead of through it.
class TerminalReporter : public Reporter
{
public:
    //! failuresOnly: the table leaves out the ok rows and counts them.
    explicit TerminalReporter(bool failuresOnly);
    ~TerminalReporter() override;
    void parseError(const QString &, int, int, const QString &) override {}
    void lemmaStarted(const QString &file, const QString &name, int done, int total) override;
    void lemmaWaiting(const QString &file, const QString &name, int line, qint64 sinceMs) override;
    void lemmaFinished(const LemmaReport &outcome, int done, int total) override;
    void queryFinished(const QueryReport &outcome) override;
    void workerEvent(int, qint64, const QString &, const QString &) override {}
    void summary(const CheckSummary &summary) override;

private:
    void progress(const QString &text);

    bool m_progress;
    bool m_failuresOnly;
    std::unique_ptr<TerminalWidth> m_width;
    QList<LemmaReport> m_outcomes;
    QList<QueryReport> m_queries;
};
