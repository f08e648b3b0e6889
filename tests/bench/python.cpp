// Python's process pool as a peer baseline: a short inline script maps a
// trivial function over a range and prints its own tasks per second.

#include "floor.h"
#include "harness.h"

#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>

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
