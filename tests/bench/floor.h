#pragma once

// The baselines: what this machine does without Drover, measured in the
// same run. Raw socketpair messaging between C-level processes (floor.cpp),
// starting a bare Qt program and its memory (processfloor.cpp), and
// Python's process pool (python.cpp).

#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace Floor {

//! Round trips of a 64-byte message to a forked echo process, in µs each.
QList<double> socketpairRoundTrips(int iterations);

//! Messages per second through `workers` forked echo processes, each kept
//! busy with one message at a time by a master polling all socketpairs.
double socketpairThroughput(int workers, int messages);

//! posix_spawn + waitpid of a program without arguments, in ms each.
QList<double> spawnAndWait(const QString &program, int samples);

//! Resident memory, in bytes, of `program SERVER` once it has connected to
//! a QLocalServer we listen on, said hello and been answered.
qint64 connectedProcessRss(const QString &program);

//! Python's ProcessPoolExecutor(workers) mapping a trivial function over
//! `tasks` inputs with this chunksize, in tasks per second. Empty when
//! python3 is not on PATH; throws if it is there and the run fails.
std::optional<double> pythonPool(int workers, int tasks, int chunksize);

//! The same as a whole program, timed from outside in ms: the interpreter,
//! the pool's start and shutdown included. freshPerTask: a forkserver pool
//! with max_tasks_per_child=1. Empty when python3 is not on PATH.
std::optional<double> pythonPoolProcessMs(int workers, int tasks, bool freshPerTask);

} // namespace Floor
