#pragma once

#include <QtCore/QString>

//! The report of how one lemma ended: where it is, and its outcome as
//! drover-check prints it.
struct LemmaReport
{
    QString file;
    QString name;
    int line = 0;
    QString status;   // ok, error, crashed, timeout, cancelled
    int step = 0;     // the failing step, 0 if none
    int stepLine = 0; // and where it stands (from 1), 0 if unknown
    int stepColumn = 0;
    QString message;
    int worker = -1;
    qint64 ms = 0;
    qint64 startedAt = 0; // epoch ms of its first start, 0 if it never started
    qint64 endedAt = 0;   // epoch ms of its outcome
};

//! The report of how one query (`Eval`, `Search`) ended.
struct QueryReport
{
    QString file;
    int line = 0;
    int column = 0;   // where the query starts (from 1)
    QString text;     // the query without its final '.'
    QString status;   // answered, error, crashed, timeout, cancelled
    QString answer;   // when answered
    QString message;  // why not, otherwise
    int worker = -1;
    qint64 ms = 0;
};

struct CheckSummary
{
    int lemmas = 0;
    int ok = 0;
    int error = 0;
    int crashed = 0;
    int timeout = 0;
    int cancelled = 0;
    int parseErrors = 0;
    int queries = 0;
    int answered = 0;
    qint64 wallMs = 0;
};

//! Where drover-check's events go: JSON Lines, or a terminal.
class Reporter
{
public:
    virtual ~Reporter() = default;
    virtual void parseError(const QString &file, int line, int column, const QString &message) = 0;
    virtual void lemmaStarted(const QString &file, const QString &name, int done, int total) = 0;
    //! A worker is ready for the lemma, but every job slot of the machine is
    //! taken (docs/jobserver.md); sinceMs is epoch milliseconds.
    virtual void lemmaWaiting(const QString &file, const QString &name, int line, qint64 sinceMs) = 0;
    virtual void lemmaFinished(const LemmaReport &outcome, int done, int total) = 0;
    virtual void queryFinished(const QueryReport &outcome) = 0;
    virtual void workerEvent(int id, qint64 pid, const QString &state, const QString &status) = 0;
    virtual void summary(const CheckSummary &summary) = 0;
};
