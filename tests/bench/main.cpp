// drover-bench: Drover's speed and memory against baselines measured in the
// same run (docs/performance.md). Not a timed test: it prints figures.
//   drover-bench [--quick] [--json] [--only GROUP]
// Groups: messaging, fresh, faults, memory, scaling.

#include "figures.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTextStream>

#include <unistd.h>

namespace {
int leftoverChildren()
{
    int count = 0;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == ::getpid())
            ++count;
    }
    return count;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("drover.*.info=false\ndrover.*.warning=false"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("Tiny sizes: a smoke run."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("One JSON object per figure."));
    const QCommandLineOption only(QStringLiteral("only"), QStringLiteral("Run one group."), QStringLiteral("GROUP"));
    parser.addOptions({quick, json, only});
    parser.process(app);

    Sizes sizes;
    sizes.quick = parser.isSet(quick);
    const QString group = parser.value(only);
    auto wanted = [&](const char *name) { return group.isEmpty() || group == QLatin1String(name); };

    QList<Figure> figures;
    double roundTripUs = 0, spawnToReadyMs = 0;
    if (wanted("messaging") || wanted("fresh") || wanted("faults")) {
        QList<Figure> rt;
        roundTripFigures(sizes, &rt, &roundTripUs);
        if (wanted("messaging"))
            figures += rt;
    }
    if (wanted("messaging"))
        throughputFigures(sizes, &figures);
    if (wanted("fresh") || wanted("faults")) {
        QList<Figure> fresh;
        freshWorkerFigures(sizes, roundTripUs, &fresh, &spawnToReadyMs);
        if (wanted("fresh"))
            figures += fresh;
    }
    if (wanted("faults"))
        faultFigures(sizes, roundTripUs, spawnToReadyMs, &figures);
    if (wanted("memory"))
        memoryFigures(sizes, &figures);
    if (wanted("scaling"))
        scalingFigures(sizes, &figures);

    printTable(figures, parser.isSet(json));
    if (const int left = leftoverChildren()) {
        QTextStream(stderr) << "drover-bench: warning: " << left << " child processes are still running\n";
        return 1;
    }
    for (const Figure &f : std::as_const(figures)) {
        if (f.value <= 0 && !f.note.startsWith(QLatin1String("n/a"))) {
            QTextStream(stderr) << "drover-bench: " << f.name << " was not measured\n";
            return 1;
        }
    }
    return 0;
}
