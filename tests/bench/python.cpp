// Python's process pool as a peer baseline: a short inline script maps a
// trivial function over a range and prints its own tasks per second.

#include "floor.h"
#include "harness.h"

#include <QtCore/QProcess>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryFile>

namespace Floor {

std::optional<double> pythonPool(int workers, int tasks, int chunksize)
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        return std::nullopt;
    // The pool is warmed (its processes started) before the clock starts,
    // as Drover's workers are.
    const QString script = QStringLiteral(
        "import concurrent.futures, time\n"
        "def f(x):\n"
        "    return x\n"
        "if __name__ == '__main__':\n"
        "    with concurrent.futures.ProcessPoolExecutor(%1) as pool:\n"
        "        list(pool.map(f, range(100), chunksize=1))\n"
        "        start = time.perf_counter()\n"
        "        list(pool.map(f, range(%2), chunksize=%3))\n"
        "        print(%2 / (time.perf_counter() - start))\n")
                               .arg(workers)
                               .arg(tasks)
                               .arg(chunksize);
    QProcess process;
    process.start(python, {QStringLiteral("-c"), script});
    if (!process.waitForFinished(600000)) {
        process.kill();
        process.waitForFinished(10000);
        throw BenchError("python3's pool did not finish");
    }
    bool ok = false;
    const double rate = process.readAllStandardOutput().trimmed().toDouble(&ok);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0 || !ok || rate <= 0)
        throw BenchError("python3's pool failed: " + process.readAllStandardError().right(300).toStdString());
    return rate;
}

} // namespace Floor

namespace Floor {

std::optional<double> pythonPoolProcessMs(int workers, int tasks, bool freshPerTask)
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        return std::nullopt;
    // A whole program, as a user runs one: start the interpreter and the
    // pool, map, shut down. Fresh per task: forkserver, one task a child.
    const QString pool = freshPerTask
        ? QStringLiteral("concurrent.futures.ProcessPoolExecutor(%1, mp_context=multiprocessing.get_context('forkserver'), "
                         "max_tasks_per_child=1)")
        : QStringLiteral("concurrent.futures.ProcessPoolExecutor(%1)");
    const QString script = QStringLiteral(
        "import concurrent.futures, multiprocessing\n"
        "def f(x):\n"
        "    return x\n"
        "if __name__ == '__main__':\n"
        "    with %1 as pool:\n"
        "        assert list(pool.map(f, range(%2), chunksize=1)) == list(range(%2))\n")
                               .arg(pool.arg(workers))
                               .arg(tasks);
    // A file, not -c: forkserver's children import f from the main module.
    QTemporaryFile file(QDir::tempPath() + QStringLiteral("/drover-bench-pool-XXXXXX.py"));
    if (!file.open() || file.write(script.toUtf8()) < 0 || !file.flush())
        throw BenchError("cannot write python3's script");
    QProcess process;
    QElapsedTimer clock;
    clock.start();
    process.start(python, {file.fileName()});
    if (!process.waitForFinished(600000)) {
        process.kill();
        process.waitForFinished(10000);
        throw BenchError("python3's pool did not finish");
    }
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw BenchError("python3's pool failed: " + process.readAllStandardError().right(300).toStdString());
    return ms;
}

} // namespace Floor
