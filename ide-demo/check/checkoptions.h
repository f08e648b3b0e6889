#pragma once

#include "sharedoptions.h"

#include <drover/task.h>

namespace Drover {
class Manager;
class TaskQueue;
}

#include <QtCore/QStringList>

#include <chrono>
#include <optional>

//! drover-check's command line, validated.
struct CheckOptions
{
    //! -j N and --timeout S (SIGTERM after this long running), as drover-ide
    //! takes them too.
    DroverDemo::SharedOptions shared;
    bool json = false;
    //! --kill-after S: SIGKILL this long after the SIGTERM, or after the
    //! start when there is no --timeout. Defaults to 2 s with --timeout.
    std::optional<std::chrono::milliseconds> killAfter;
    int retries = 0;
    bool persistent = false;
    //! --memory-limit SIZE: each worker's address-space ceiling in bytes (0: none).
    qint64 memoryLimit = 0;
    //! --quick: a Coq development as .vos first, then each file's -vok.
    bool quick = false;
    //! --sentences: one .v file checked sentence by sentence (coqidetop).
    bool sentences = false;
    //! --failures-only: the table leaves out the ok rows (and says how many).
    bool failuresOnly = false;
    //! -v, --verbose: the library's warnings too (worker connections
    //! refused, workers killed, start back-off), which drover-check otherwise
    //! keeps off the screen: it reports what they mean itself.
    bool verbose = false;
    //! --jobs-cap N: N job slots shared with every Drover process of the
    //! user (Manager::setJobsCap()); nullopt leaves the Manager's default
    //! (make's jobserver, $DROVER_JOBS).
    std::optional<int> jobsCap;
    QStringList files;

    //! --timeout, --kill-after and --retries, as every lemma's and query's task takes them.
    Drover::TaskOptions taskOptions() const;
    //! -j and --memory-limit, as every queue of a Coq run takes them.
    void configure(Drover::TaskQueue *queue) const;
    //! --jobs-cap on a new Manager; a token server out of reach is a
    //! warning on stderr, and the run goes on with -j alone.
    void applyJobsCap(Drover::Manager *manager) const;
};

//! "512M", "2G", "1048576": bytes, with K, M, G or T as powers of 1024;
//! nullopt when it is not such a size.
std::optional<qint64> parseByteSize(const QString &text);

//! Parses the arguments. Returns nullopt after printing --help or --version
//! (*exitCode 0) or a one-line error on stderr (*exitCode 2).
std::optional<CheckOptions> parseCheckOptions(const QStringList &arguments, int *exitCode);
