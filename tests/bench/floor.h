#pragma once

// The baselines: what the machine does without Drover, measured in the same
// run - raw socketpair messaging between C-level processes, spawning a bare
// Qt program, its memory, and Python's process pool.

#include <QtCore/QList>
#include <QtCore/QString>

namespace Floor {

//! Round trips of a 64-byte message to a forked echo process, in µs each.
QList<double> socketpairRoundTrips(int iterations);

//! Messages per second through `workers` forked echo processes kept busy
//! one message at a time each (a master polling all socketpairs).
double socketpairThroughput(int workers, int messages);

//! posix_spawn + waitpid of a program, in ms each.
QList<double> spawnAndWait(const QString &program, int samples);

//! Resident memory of a started program once it printed a line, in bytes.
qint64 residentAfterReady(const QString &program, const QStringList &arguments);

//! Python's ProcessPoolExecutor(workers) mapping a trivial function over
//! `tasks` inputs with this chunksize, in tasks per second; 0 without python3.
double pythonPool(int workers, int tasks, int chunksize);

} // namespace Floor
