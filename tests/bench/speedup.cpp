// Figure 9: 40 tasks of 85 ms of CPU each through fresh workers with 2
// workers, against the same with 1 (Coq's pool was 5x slower than no pool
// on this shape of work). Measured with the scripted kind's op spin, and
// with the proof kind on ide-demo/examples/bench40.proof. A quick run
// takes 4 tasks.

#include "figures.h"
#include "harness.h"
#include "prooflang.h"

#include <QtCore/QFile>

namespace {
double runMs(const QString &kind, QList<Drover::Task> tasks, int workers)
{
    Harness h(kind);
    h.queue->setMaxWorkers(workers);
    const qint64 target = h.finished + tasks.size();
    QElapsedTimer clock;
    clock.start();
    for (Drover::Task &task : tasks)
        h.queue->enqueue(std::move(task));
    h.awaitFinished(target);
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    h.expectAllDone();
    return ms;
}

void speedUpFigure(const QString &kind, const QList<Drover::Task> &tasks, const QString &what, QList<Figure> *figures)
{
    const double one = runMs(kind, tasks, 1);
    const double two = runMs(kind, tasks, 2);
    figures->append({.name = QStringLiteral("%1 x spin 85 through fresh workers, 2 workers (%2)").arg(tasks.size()).arg(what),
                     .unit = QStringLiteral("ms"),
                     .value = two,
                     .baselineName = QStringLiteral("the same with 1 worker"),
                     .baseline = one,
                     .goal = Figure::Goal::FasterAtLeast,
                     .target = 1.8});
}
} // namespace

void speedUpFigures(Context &context, QList<Figure> *figures)
{
    QList<Drover::Task> tasks;
    for (int i = 0; i < context.scale(40, 4); ++i)
        tasks << Harness::task(QStringLiteral("spin"), 85, false);
    speedUpFigure(QStringLiteral("scripted"), tasks, QStringLiteral("scripted kind"), figures);
}

void proofSpeedUpFigures(Context &context, QList<Figure> *figures)
{
    const QString path = QStringLiteral(DROVER_EXAMPLES_DIR "/bench40.proof");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw BenchError("cannot read " + path.toStdString());
    const ProofLang::Document doc = ProofLang::parse(QString::fromUtf8(file.readAll()));
    if (!doc.errors.isEmpty() || doc.lemmas.isEmpty())
        throw BenchError(path.toStdString() + " does not parse");
    QList<Drover::Task> tasks;
    for (const ProofLang::Lemma &lemma : doc.lemmas.first(context.scale(int(doc.lemmas.size()), 4))) {
        Drover::Task task;
        task.payload = ProofLang::lemmaPayload(path, lemma, false);
        tasks << task;
    }
    speedUpFigure(QStringLiteral("proof"), tasks, QStringLiteral("proof kind, bench40.proof"), figures);
}
