#include "checkoptions.h"

#include <drover/manager.h>
#include <drover/taskqueue.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <cmath>
#include <utility>

Drover::TaskOptions CheckOptions::taskOptions() const
{
    Drover::TaskOptions options;
    options.retries = retries;
    options.termTimeout = shared.timeout.value_or(std::chrono::milliseconds(0));
    options.killTimeout = killAfter.value_or(std::chrono::milliseconds(0));
    return options;
}

std::optional<qint64> parseByteSize(const QString &text)
{
    static constexpr std::pair<char, int> suffixes[] = {{'K', 10}, {'M', 20}, {'G', 30}, {'T', 40}};
    QString number = text.trimmed().toUpper();
    if (number.endsWith(QLatin1Char('B')))
        number.chop(1);
    int shift = 0;
    for (const auto &[letter, bits] : suffixes) {
        if (number.endsWith(QLatin1Char(letter))) {
            shift = bits;
            number.chop(1);
        }
    }
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value <= 0 || value * double(qint64(1) << shift) > 9e18)
        return std::nullopt;
    return qint64(value * double(qint64(1) << shift));
}

std::optional<CheckOptions> parseCheckOptions(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    // Lines end where a sentence or a clause does: --help prints them as
    // they are.
    parser.setApplicationDescription(QStringLiteral(
        "Checks documents of the Drover demo proof language with worker processes,\n"
        "and answers their queries (Eval, Search) on query workers.\n"
        "Exit code: 0 when every lemma is ok and every query answered;\n"
        "1 when a lemma is not ok, a query has no answer or a document has a parse error;\n"
        "2 for bad usage or unreadable input; 3 for an internal error."));
    const QCommandLineOption help = parser.addHelpOption();
    // -v is --verbose, as in most tools; the version is -V or --version.
    const QCommandLineOption version({QStringLiteral("V"), QStringLiteral("version")},
                                     QStringLiteral("Print the version and exit."));
    const QCommandLineOption verbose({QStringLiteral("v"), QStringLiteral("verbose")},
                                     QStringLiteral("Also print the library's warnings (refused worker connections, "
                                                    "killed workers) on stderr."));
    const QCommandLineOption failuresOnly(QStringLiteral("failures-only"),
                                          QStringLiteral("In the table, only the lemmas and queries that are not ok, "
                                                         "and a count of the others."));
    const DroverDemo::SharedOptionParser shared(
        &parser, {.jobsHelp = QStringLiteral("Check with N workers at once (default 2); `par` steps "
                                             "fan out to as many par workers more, and queries "
                                             "are answered by as many query workers."),
                  .timeoutHelp = QStringLiteral("A lemma (or query) running longer than S seconds gets SIGTERM "
                                                "and ends timeout."),
                  .zeroTimeoutMeansNone = false});
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object per line."));
    const QCommandLineOption killAfter(QStringLiteral("kill-after"),
                                       QStringLiteral("SIGKILL S seconds after the timeout's SIGTERM (default 2), "
                                                      "or S seconds after the start without --timeout."),
                                       QStringLiteral("S"));
    const QCommandLineOption retries(QStringLiteral("retries"),
                                     QStringLiteral("Run a lemma (or query) again up to N times when its worker "
                                                    "dies (default 0)."),
                                     QStringLiteral("N"));
    const QCommandLineOption persistent(QStringLiteral("persistent"),
                                        QStringLiteral("Keep workers between lemmas instead of a fresh one per lemma."));
    const QCommandLineOption memoryLimit(QStringLiteral("memory-limit"),
                                         QStringLiteral("Each worker may map at most SIZE of memory (512M, 2G): "
                                                        "a lemma that needs more fails saying so, instead of "
                                                        "taking the machine's memory."),
                                         QStringLiteral("SIZE"));
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("Coq developments: build every .vos in dependency order, and check "
                                                  "each file's proofs (-vok) as soon as the .vos it needs exist."));
    const QCommandLineOption sentences(QStringLiteral("sentences"),
                                       QStringLiteral("Coq: check one .v file sentence by sentence on coqidetop, as "
                                                      "an editor would, its independent proofs on up to -j workers."));
    const QCommandLineOption jobsCap(QStringLiteral("jobs-cap"),
                                     QStringLiteral("Share N job slots with every other Drover process of this user "
                                                    "(as DROVER_JOBS=N does; 0: no cap, not even make's jobserver)."),
                                     QStringLiteral("N"));
    parser.addOptions({version, verbose, json, failuresOnly, killAfter, retries, persistent, memoryLimit, jobsCap, quick,
                       sentences});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("Documents to check; or a Coq development to build: a directory with a "
                                                "_CoqProject, a _CoqProject, or .v files (docs/coq.md)."),
                                 QStringLiteral("FILE..."));

    QTextStream err(stderr);
    auto usageError = [&](const QString &message) -> std::optional<CheckOptions> {
        err << "drover-check: " << message << " (see drover-check --help)\n";
        *exitCode = 2;
        return std::nullopt;
    };
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        QTextStream(stdout) << parser.helpText();
        *exitCode = 0;
        return std::nullopt;
    }
    if (parser.isSet(version)) {
        QTextStream(stdout) << "drover-check " << QCoreApplication::applicationVersion() << '\n';
        *exitCode = 0;
        return std::nullopt;
    }

    CheckOptions options;
    QString error;
    const std::optional<DroverDemo::SharedOptions> sharedValues = shared.read(&error);
    if (!sharedValues)
        return usageError(error);
    options.shared = *sharedValues;
    options.json = parser.isSet(json);
    options.persistent = parser.isSet(persistent);
    options.quick = parser.isSet(quick);
    options.sentences = parser.isSet(sentences);
    options.failuresOnly = parser.isSet(failuresOnly);
    options.verbose = parser.isSet(verbose);
    if (options.quick && options.sentences)
        return usageError(QStringLiteral("--quick builds a development, --sentences checks one file: not both"));
    if (parser.isSet(killAfter)) {
        const auto value = DroverDemo::parseSeconds(parser.value(killAfter));
        if (!value)
            return usageError(QStringLiteral("--kill-after wants a number of seconds, not \"%1\"").arg(parser.value(killAfter)));
        options.killAfter = *value;
    } else if (options.shared.timeout) {
        options.killAfter = DroverDemo::defaultKillAfter;
    }
    if (parser.isSet(retries)) {
        bool ok = false;
        options.retries = parser.value(retries).toInt(&ok);
        if (!ok || options.retries < 0 || options.retries > 100)
            return usageError(QStringLiteral("--retries wants a number from 0 to 100, not \"%1\"").arg(parser.value(retries)));
    }
    if (parser.isSet(memoryLimit)) {
        const std::optional<qint64> bytes = parseByteSize(parser.value(memoryLimit));
        // Below this a worker cannot even load Qt and its plugin.
        constexpr qint64 Minimum = qint64(64) << 20;
        if (!bytes || *bytes < Minimum)
            return usageError(QStringLiteral("--memory-limit wants a size of at least 64M (such as 512M or 2G), not \"%1\"")
                                  .arg(parser.value(memoryLimit)));
        options.memoryLimit = *bytes;
    }
    if (parser.isSet(jobsCap)) {
        bool ok = false;
        options.jobsCap = parser.value(jobsCap).toInt(&ok);
        if (!ok || *options.jobsCap < 0 || *options.jobsCap > 4096)
            return usageError(QStringLiteral("--jobs-cap wants a number from 0 to 4096, not \"%1\"").arg(parser.value(jobsCap)));
    }
    options.files = parser.positionalArguments();
    if (options.files.isEmpty())
        return usageError(QStringLiteral("no FILE to check"));
    return options;
}

void CheckOptions::configure(Drover::TaskQueue *queue) const
{
    queue->setMaxWorkers(shared.jobs);
    if (memoryLimit > 0)
        queue->setResourceLimits(memoryLimit, std::chrono::seconds(0));
}

void CheckOptions::applyJobsCap(Drover::Manager *manager) const
{
    if (jobsCap && !manager->setJobsCap(*jobsCap))
        QTextStream(stderr) << "drover-check: warning: --jobs-cap " << *jobsCap << ": " << manager->errorString() << '\n';
}
