// drover-bench: Drover's speed and memory against baselines measured in the
// same run (docs/performance.md). Not a timed test: it prints figures, and
// exits non-zero only when a measurement itself failed.
//   drover-bench [--quick] [--json] [--only NAME[,NAME...]] [--list]

#include "children.h"
#include "figures.h"
#include "harness.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>

namespace {
struct Entry
{
    const char *name;
    const char *group;
    FigureFunction run;
};

// In the order of the table (issue 7's list).
const Entry entries[] = {
    {"round-trip", "messaging", roundTripFigures},
    {"throughput", "messaging", throughputFigures},
    {"map", "messaging", mapFigures},
    {"fresh-worker", "fresh", freshWorkerFigures},
    {"warm-spare", "fresh", warmSpareFigures},
    {"kill", "faults", killFigures},
    {"cancel", "faults", cancelFigures},
    {"idle-rss", "memory", idleRssFigures},
    {"queued-memory", "memory", queuedMemoryFigures},
    {"dispatch-scaling", "scaling", dispatchScalingFigures},
    {"speed-up", "fresh", speedUpFigures},
    {"speed-up-proof", "fresh", proofSpeedUpFigures},
    {"main-job", "main-job", mainJobFigures},
};
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Harness::quietLogs();
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measures Drover's figures against baselines taken in the same run."));
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("Tiny sizes: a smoke run."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("One JSON object per figure."));
    const QCommandLineOption only(QStringLiteral("only"),
                                  QStringLiteral("Measure these figures or groups, comma-separated (see --list)."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("List the figures and groups."));
    parser.addOptions({quick, json, only, list});
    parser.process(app);

    QTextStream err(stderr);
    if (parser.isSet(list)) {
        QTextStream out(stdout);
        for (const Entry &e : entries)
            out << e.name << " (group " << e.group << ")\n";
        return 0;
    }
    const QString wanted = parser.value(only);
    const QStringList names = wanted.split(QLatin1Char(','), Qt::SkipEmptyParts);
    QList<const Entry *> chosen;
    for (const Entry &e : entries) {
        if (names.isEmpty() || names.contains(QLatin1String(e.name)) || names.contains(QLatin1String(e.group)))
            chosen << &e;
    }
    if (chosen.isEmpty()) {
        err << "drover-bench: no figure or group named " << wanted << " (see --list)\n";
        return 2;
    }

    // Waits run the event loop until something happens; this keeps it
    // waking so a wait's deadline is checked even when Drover is silent.
    QTimer waker;
    QObject::connect(&waker, &QTimer::timeout, &app, [] {});
    waker.start(500);

    Context context(parser.isSet(quick));
    TablePrinter printer(parser.isSet(json));
    QList<Figure> figures;
    for (const Entry *e : std::as_const(chosen)) {
        err << "drover-bench: measuring " << e->name << '\n';
        err.flush();
        QList<Figure> mine;
        try {
            e->run(context, &mine);
        } catch (const std::exception &error) {
            mine = {{.name = QString::fromLatin1(e->name), .failure = QString::fromStdString(error.what())}};
        }
        for (Figure &f : mine) {
            f.key = QString::fromLatin1(e->name);
            printer.print(f);
        }
        figures += mine;
    }
    printer.finish();

    int failed = 0;
    for (const Figure &f : std::as_const(figures)) {
        if (f.failed()) {
            ++failed;
            err << "drover-bench: " << f.key << ": not measured"
                << (f.failure.isEmpty() ? QString() : QStringLiteral(": ") + f.failure) << '\n';
        }
    }
    const QList<qint64> children = livingChildren();
    if (!children.isEmpty()) {
        err << "drover-bench: warning: " << children.size() << " child processes are still alive:";
        for (qint64 pid : children)
            err << ' ' << pid;
        err << '\n';
    }
    return failed ? 1 : 0;
}
