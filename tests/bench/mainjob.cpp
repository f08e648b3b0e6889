// The main job at the library's speed (issue 20): drover-check as a whole
// process, as a user runs it, on documents of trivial lemmas. Against the
// library's own throughput of trivial tasks measured in the same run, and
// against Python's ProcessPoolExecutor as a whole program on the same count
// of trivial tasks, with persistent workers and with a fresh one per task.

#include "figures.h"
#include "floor.h"
#include "harness.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>

namespace {
QString writeTrivialDocument(const QTemporaryDir &dir, int lemmas)
{
    const QString path = dir.filePath(QStringLiteral("trivial-%1.proof").arg(lemmas));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw BenchError("cannot write " + path.toStdString());
    QByteArray text;
    for (int i = 0; i < lemmas; ++i)
        text += "Lemma l" + QByteArray::number(i) + ": trivial.\nProof.\n  prime 2.\nQed.\n\n";
    file.write(text);
    return path;
}

// drover-check --json -j 2 on the document, whole process, in ms; every
// lemma must end ok.
double droverCheckMs(const QString &document, int lemmas, bool persistent)
{
    QStringList arguments{QStringLiteral("--json"), QStringLiteral("-j"), QStringLiteral("2")};
    if (persistent)
        arguments << QStringLiteral("--persistent");
    arguments << document;
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer clock;
    clock.start();
    process.start(QStringLiteral(DROVER_CHECK_BIN), arguments);
    if (!process.waitForFinished(600000)) {
        process.kill();
        process.waitForFinished(10000);
        throw BenchError("drover-check did not finish");
    }
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw BenchError("drover-check failed on " + std::to_string(lemmas) + " trivial lemmas: " +
                         process.readAllStandardError().right(300).toStdString());
    return ms;
}

double libraryTasksPerSecond(int n)
{
    Harness h;
    h.queue->setMaxWorkers(2);
    h.startPersistentWorkers(2);
    const double rate = double(n) / h.drainTrivialTasks(n);
    h.expectAllDone();
    return rate;
}

Figure againstPython(const QString &document, int lemmas, bool persistent)
{
    const double mine = droverCheckMs(document, lemmas, persistent);
    const std::optional<double> python = Floor::pythonPoolProcessMs(2, lemmas, !persistent);
    const QString how = persistent ? QStringLiteral("persistent workers")
                                   : QStringLiteral("a fresh worker per lemma");
    const QString theirs = persistent
        ? QStringLiteral("Python ProcessPoolExecutor(2), whole program")
        : QStringLiteral("Python ProcessPoolExecutor(2), forkserver, max_tasks_per_child=1, whole program");
    return {.name = QStringLiteral("drover-check -j 2, %1 trivial lemmas, %2, whole process").arg(lemmas).arg(how),
            .unit = QStringLiteral("ms"),
            .value = mine,
            .baselineName = theirs,
            .baseline = python.value_or(0),
            .goal = Figure::Goal::RatioAtMost,
            .target = 0.3,
            .baselineNa = python ? QString() : QStringLiteral("n/a: no python3 on PATH")};
}
} // namespace

void mainJobFigures(Context &context, QList<Figure> *figures)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        throw BenchError("no temporary directory");
    const int many = context.scale(20000, 500);
    const QString big = writeTrivialDocument(dir, many);
    // The library first, then the program, each once warm: the same
    // workers, the same machine, minutes apart at most.
    const double library = libraryTasksPerSecond(many);
    const double program = double(many) / (droverCheckMs(big, many, true) / 1000);
    figures->append({.name = QStringLiteral("drover-check --persistent -j 2, %1 trivial lemmas, whole process").arg(many),
                     .unit = QStringLiteral("lemmas/s"),
                     .value = program,
                     .baselineName = QStringLiteral("the library's trivial tasks/s, 2 persistent workers"),
                     .baseline = library,
                     .goal = Figure::Goal::RatioAtLeast,
                     .target = 0.8});
    const int persistentCount = context.scale(2000, 100);
    figures->append(againstPython(writeTrivialDocument(dir, persistentCount), persistentCount, true));
    const int freshCount = context.scale(200, 10);
    figures->append(againstPython(writeTrivialDocument(dir, freshCount), freshCount, false));
}
