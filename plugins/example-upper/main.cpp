// upper-demo TEXT: runs one "upper" task and prints its feedback and answer.
#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    Drover::Manager manager;
    manager.addPluginPath(QStringLiteral(UPPER_PLUGIN_DIR));
    Drover::TaskQueue *queue = manager.queue(QStringLiteral("upper"));
    if (!queue) {
        QTextStream(stderr) << "upper-demo: " << manager.errorString() << '\n';
        return 3;
    }
    QObject::connect(queue, &Drover::TaskQueue::taskFeedback, [&](Drover::TaskId, const QCborValue &word) {
        out << "feedback: " << word.toString() << Qt::endl;
    });
    QObject::connect(queue, &Drover::TaskQueue::taskFinished, [&](Drover::TaskId, const Drover::TaskResult &r) {
        if (r.outcome == Drover::Outcome::Done)
            out << "answer: " << r.response.toString() << Qt::endl;
        else
            out << Drover::outcomeName(r.outcome) << ": " << r.message << Qt::endl;
        app.exit(r.outcome == Drover::Outcome::Done ? 0 : 1);
    });
    queue->enqueue({.payload = app.arguments().mid(1).join(QLatin1Char(' '))});
    return app.exec();
}
