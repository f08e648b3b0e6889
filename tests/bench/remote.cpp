// drover-bench-remote: remote workers (docs/remote.md) against their
// launchers and against local workers, in one run:
// - ready time (start to welcomed) of a fresh worker through srun, ssh
//   with a new connection and ssh over a ControlMaster, against the
//   launcher's own `srun true` / `ssh HOST true` plus 1.2 times a local
//   worker's ready time;
// - the round trip of a trivial task and trivial tasks per second over
//   TCP+TLS and over plain TCP on loopback, against the local socket.
// It starts a SLURM and an sshd of its own (tests/support/daemons.h, as
// root); a launcher it cannot have is reported as n/a.
//   drover-bench-remote [--quick] [--json]

#include "harness.h"
#include "stats.h"
#include "support/daemons.h"
#include "table.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QHash>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>

using namespace Drover;

namespace {
const QString Direct = QStringLiteral("{worker} {args}");

//! Start to ready of n fresh workers, one after the other, in ms.
QList<double> readyTimes(const QString &launcher, int n)
{
    Harness h(QStringLiteral("scripted"), launcher);
    QList<double> ready;
    QHash<int, qint64> startedAt;
    QElapsedTimer clock;
    clock.start();
    h.on(&TaskQueue::workerStarted, [&](int id, qint64) { startedAt.insert(id, clock.nsecsElapsed()); });
    h.on(&TaskQueue::workerReady, [&](int id) { ready << double(clock.nsecsElapsed() - startedAt.value(id)) / 1e6; });
    for (int i = 0; i < n; ++i) {
        const qint64 target = h.finished + 1;
        h.queue->enqueue(Harness::task(QStringLiteral("echo"), i, false));
        h.awaitFinished(target);
        Harness::until("the retired worker to exit", [&] { return h.live.isEmpty(); });
    }
    h.expectAllDone();
    return ready;
}

//! A command's own wall time, n runs, in ms.
QList<double> commandTimes(const QString &program, const QStringList &arguments, int n)
{
    QList<double> times;
    for (int i = 0; i < n; ++i) {
        QProcess p;
        QElapsedTimer clock;
        clock.start();
        p.start(program, arguments);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            throw BenchError(QStringLiteral("%1 %2 failed").arg(program, arguments.join(QLatin1Char(' '))).toStdString());
        times << double(clock.nsecsElapsed()) / 1e6;
    }
    return times;
}

QList<double> roundTrips(const QString &launcher, int n, bool tls = true)
{
    Harness h(QStringLiteral("scripted"), launcher, tls);
    h.startPersistentWorkers(1);
    h.warmUp(50);
    QList<double> samples;
    for (int i = 0; i < n; ++i)
        samples << h.roundTripUs(i);
    h.expectAllDone();
    return samples;
}

double throughput(const QString &launcher, int n, bool tls = true)
{
    Harness h(QStringLiteral("scripted"), launcher, tls);
    h.queue->setMaxWorkers(2);
    h.startPersistentWorkers(2);
    const double perSecond = double(n) / h.drainTrivialTasks(n);
    h.expectAllDone();
    return perSecond;
}

//! A ready-time row: the goal is ready <= launcher's own + 1.2 x local.
Figure readyRow(const QString &name, const QList<double> &ready, const QString &launcherName,
                const QList<double> &launcherOwn, double localReady)
{
    const double allowed = Stats::median(launcherOwn) + 1.2 * localReady;
    return {.name = QStringLiteral("ready through %1 (median of %2)").arg(name).arg(ready.size()),
            .unit = QStringLiteral("ms"),
            .value = Stats::median(ready),
            .baselineName = QStringLiteral("%1 (median %2 ms) + 1.2 × local ready (%3 ms)")
                                .arg(launcherName)
                                .arg(Stats::median(launcherOwn), 0, 'f', 1)
                                .arg(localReady, 0, 'f', 1),
            .baseline = allowed,
            .goal = Figure::Goal::RatioAtMost,
            .target = 1};
}

Figure failed(const QString &name, const QString &why)
{
    return {.name = name, .failure = why};
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Harness::quietLogs();
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("Tiny sizes: a smoke run."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("One JSON object per figure."));
    parser.addOptions({quick, json});
    parser.process(app);
    const bool small = parser.isSet(quick);
    const auto scale = [small](int full, int tiny) { return small ? tiny : full; };
    QTimer waker; // waits check their deadlines even when nothing happens
    QObject::connect(&waker, &QTimer::timeout, &app, [] {});
    waker.start(500);
    QTextStream err(stderr);

    TablePrinter printer(parser.isSet(json));
    QList<Figure> figures;
    const auto measure = [&](const QString &what, const std::function<void()> &run) {
        err << "drover-bench-remote: measuring " << what << '\n';
        err.flush();
        try {
            run();
        } catch (const std::exception &e) {
            figures << failed(what, QString::fromStdString(e.what()));
        }
    };

    double localReady = 0;
    measure(QStringLiteral("local ready"), [&] { localReady = Stats::median(readyTimes(QString(), scale(30, 3))); });
    measure(QStringLiteral("TCP+TLS ready"), [&] {
        const QList<double> ready = readyTimes(Direct, scale(30, 3));
        figures << Figure{.name = QStringLiteral("ready over TCP+TLS, started directly (median of %1)").arg(ready.size()),
                          .unit = QStringLiteral("ms"), .value = Stats::median(ready),
                          .baselineName = QStringLiteral("local worker ready, median"), .baseline = localReady,
                          .goal = Figure::Goal::RatioAtMost, .target = 1.2};
    });

    TestSupport::SlurmCluster slurm;
    QString why;
    if (slurm.start(&why)) {
        measure(QStringLiteral("srun"), [&] {
            const QList<double> own = commandTimes(QStringLiteral("srun"), {QStringLiteral("--nodes=1"), QStringLiteral("--ntasks=1"),
                                                                            QStringLiteral("true")}, scale(20, 3));
            figures << readyRow(QStringLiteral("srun"), readyTimes(QStringLiteral("srun --nodes=1 --ntasks=1 {worker} {args}"), scale(20, 3)),
                                QStringLiteral("srun true"), own, localReady);
        });
    } else {
        figures << Figure{.name = QStringLiteral("ready through srun"), .na = QStringLiteral("n/a: ") + why};
    }

    TestSupport::SshServer ssh;
    if (ssh.start(&why)) {
        measure(QStringLiteral("ssh"), [&] {
            QStringList own = ssh.options() << QStringLiteral("root@127.0.0.1") << QStringLiteral("true");
            figures << readyRow(QStringLiteral("ssh, new connection"), readyTimes(ssh.launcher(), scale(20, 3)),
                                QStringLiteral("ssh HOST true"), commandTimes(QStringLiteral("ssh"), own, scale(20, 3)), localReady);
        });
        // One master connection for every session, ended by its own -O exit.
        const QStringList masterOptions = ssh.options(true);
        QProcess::execute(QStringLiteral("ssh"), QStringList(masterOptions) << QStringLiteral("-o") << QStringLiteral("ControlMaster=yes")
                                                                            << QStringLiteral("-o") << QStringLiteral("ControlPersist=yes")
                                                                            << QStringLiteral("-f") << QStringLiteral("-N")
                                                                            << QStringLiteral("root@127.0.0.1"));
        measure(QStringLiteral("ssh ControlMaster"), [&] {
            QStringList own = QStringList(masterOptions) << QStringLiteral("root@127.0.0.1") << QStringLiteral("true");
            figures << readyRow(QStringLiteral("ssh over a ControlMaster"), readyTimes(ssh.launcher(true), scale(20, 3)),
                                QStringLiteral("ssh HOST true over it"), commandTimes(QStringLiteral("ssh"), own, scale(20, 3)),
                                localReady);
        });
        QProcess::execute(QStringLiteral("ssh"), QStringList(masterOptions) << QStringLiteral("-O") << QStringLiteral("exit")
                                                                            << QStringLiteral("root@127.0.0.1"));
    } else {
        figures << Figure{.name = QStringLiteral("ready through ssh"), .na = QStringLiteral("n/a: ") + why};
    }

    measure(QStringLiteral("round trip"), [&] {
        const QList<double> local = roundTrips(QString(), scale(2000, 50));
        const QList<double> tls = roundTrips(Direct, scale(2000, 50));
        const QList<double> plain = roundTrips(Direct, scale(2000, 50), false);
        figures << Figure{.name = QStringLiteral("round trip over TCP+TLS, trivial task, persistent worker (median of %1)").arg(tls.size()),
                          .unit = QStringLiteral("µs"), .value = Stats::median(tls),
                          .baselineName = QStringLiteral("the same over the local socket, median"), .baseline = Stats::median(local),
                          .goal = Figure::Goal::RatioAtMost, .target = 1.5};
        figures << Figure{.name = QStringLiteral("round trip over TCP on loopback, no TLS (median of %1)").arg(plain.size()),
                          .unit = QStringLiteral("µs"), .value = Stats::median(plain),
                          .baselineName = QStringLiteral("the same over the local socket, median"), .baseline = Stats::median(local),
                          .goal = Figure::Goal::RatioAtMost, .target = 1.5};
    });
    measure(QStringLiteral("throughput"), [&] {
        const int n = scale(20000, 500);
        const double local = throughput(QString(), n);
        const double tls = throughput(Direct, n);
        const double plain = throughput(Direct, n, false);
        figures << Figure{.name = QStringLiteral("trivial tasks/s over TCP+TLS, 2 persistent workers (%1 tasks)").arg(n),
                          .unit = QStringLiteral("tasks/s"), .value = tls,
                          .baselineName = QStringLiteral("the same over the local socket"), .baseline = local,
                          .goal = Figure::Goal::SlowerAtMost, .target = 1.5};
        figures << Figure{.name = QStringLiteral("trivial tasks/s over TCP on loopback, no TLS, 2 persistent workers (%1 tasks)").arg(n),
                          .unit = QStringLiteral("tasks/s"), .value = plain,
                          .baselineName = QStringLiteral("the same over the local socket"), .baseline = local,
                          .goal = Figure::Goal::SlowerAtMost, .target = 1.5};
    });

    int failures = 0;
    for (Figure &f : figures) {
        f.key = QStringLiteral("remote");
        printer.print(f);
        failures += f.failed() ? 1 : 0;
    }
    printer.finish();
    return failures ? 1 : 0;
}
