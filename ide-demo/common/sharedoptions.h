#pragma once

#include <QtCore/QCommandLineOption>
#include <QtCore/QString>

#include <chrono>
#include <optional>

class QCommandLineParser;
namespace Drover { class Manager; }

namespace DroverDemo {

//! What drover-check and drover-ide both take on their command lines: how
//! many workers check at once, and how long one lemma may run.
struct SharedOptions
{
    //! -j N (also --jobs N, --workers N): 1 to maxJobs.
    int jobs = 2;
    //! --timeout S, in seconds with fractions, rounded up to the millisecond;
    //! unset: no limit.
    std::optional<std::chrono::milliseconds> timeout;
    //! --listen HOST:PORT and --launcher TEMPLATE, given together: workers
    //! on other hosts (Drover::Manager::setRemoteWorkers(), docs/remote.md).
    QString listen;
    QString launcher;
};

//! Sets up remote workers when the options ask for them; false with
//! *error set when the manager cannot.
bool useRemoteWorkers(Drover::Manager *manager, const SharedOptions &options, QString *error);

//! drover-check starts as many `par` and `query` workers again: 3 × 1024
//! processes is already more than a machine wants.
inline constexpr int maxJobs = 1024;

//! SIGKILL this long after a timeout's SIGTERM, for a worker that ignores it,
//! unless told otherwise (drover-check's --kill-after).
inline constexpr std::chrono::seconds defaultKillAfter{2};

//! Where the two programs' shared options differ, on purpose.
struct SharedOptionRules
{
    QString jobsHelp;
    QString timeoutHelp;
    //! drover-ide's time limit can be none (0, as its toolbar says it);
    //! drover-check's --timeout, when given, is above zero.
    bool zeroTimeoutMeansNone = false;
};

//! "2", "0.5", "1e3": seconds, rounded up to the millisecond; nullopt unless
//! a finite number from 0 to 10,000,000 (about 115 days).
std::optional<std::chrono::milliseconds> parseSeconds(const QString &text);

//! Declares the shared options on a QCommandLineParser and, once it has
//! parsed, reads and checks their values. Lives no longer than the parser.
class SharedOptionParser
{
public:
    SharedOptionParser(QCommandLineParser *parser, SharedOptionRules rules);

    //! The values; nullopt when one is bad, with a one-line *error that names
    //! the flag and the value: `-j wants a number of workers from 1 to 1024,
    //! not "0"`.
    std::optional<SharedOptions> read(QString *error) const;

private:
    QCommandLineParser *m_parser;
    SharedOptionRules m_rules;
    QCommandLineOption m_jobs;
    QCommandLineOption m_timeout;
    QCommandLineOption m_listen;
    QCommandLineOption m_launcher;
};

} // namespace DroverDemo
