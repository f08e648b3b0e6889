#include "checkoptions.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <cmath>
#include <utility>

namespace {
std::optional<std::chrono::milliseconds> seconds(const QString &text)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0 || value > 1e7)
        return std::nullopt;
    return std::chrono::milliseconds(qint64(std::ceil(value * 1000.0)));
}
} // namespace

Drover::TaskOptions CheckOptions::taskOptions() const
{
    Drover::TaskOptions options;
    options.retries = retries;
    options.termTimeout = timeout.value_or(std::chrono::milliseconds(0));
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
    parser.setApplicationDescription(QStringLiteral(
        "Checks documents of the Drover demo proof language with worker processes,\n"
        "and answers their queries (Eval, Search) on query workers.\n"
        "Exit code: 0 every lemma ok and every query answered, 1 some lemma not ok,\n"
        "a query without an answer or a parse error,\n"
        "2 bad usage or unreadable input, 3 internal error."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption jobs({QStringLiteral("j"), QStringLiteral("jobs")},
                                  QStringLiteral("Check with N workers at once (default 2); `par` steps\n"
                                                 "fan out to as many par workers more, and queries\n"
                                                 "are answered by as many query workers."),
                                  QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object per line."));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("A lemma (or query) running longer than S seconds gets SIGTERM\n"
                                                    "and ends timeout."),
                                     QStringLiteral("S"));
    const QCommandLineOption killAfter(QStringLiteral("kill-after"),
                                       QStringLiteral("SIGKILL S seconds after the timeout's SIGTERM (default 2),\n"
                                                      "or S seconds after the start without --timeout."),
                                       QStringLiteral("S"));
    const QCommandLineOption retries(QStringLiteral("retries"),
                                     QStringLiteral("Run a lemma (or query) again up to N times when its worker\n"
                                                    "dies (default 0)."),
                                     QStringLiteral("N"));
    const QCommandLineOption persistent(QStringLiteral("persistent"),
                                        QStringLiteral("Keep workers between lemmas instead of a fresh one per lemma."));
    const QCommandLineOption memoryLimit(QStringLiteral("memory-limit"),
                                         QStringLiteral("Each worker may map at most SIZE of memory (512M, 2G):\n"
                                                        "a lemma that needs more fails saying so, instead of\n"
                                                        "taking the machine's memory."),
                                         QStringLiteral("SIZE"));
    parser.addOptions({jobs, json, timeout, killAfter, retries, persistent, memoryLimit});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Documents to check."), QStringLiteral("FILE..."));

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
    options.json = parser.isSet(json);
    options.persistent = parser.isSet(persistent);
    if (parser.isSet(jobs)) {
        bool ok = false;
        options.jobs = parser.value(jobs).toInt(&ok);
        if (!ok || options.jobs < 1 || options.jobs > 1024)
            return usageError(QStringLiteral("-j wants a number of workers from 1 to 1024, not \"%1\"").arg(parser.value(jobs)));
    }
    if (parser.isSet(timeout)) {
        options.timeout = seconds(parser.value(timeout));
        if (!options.timeout || *options.timeout <= std::chrono::milliseconds(0))
            return usageError(QStringLiteral("--timeout wants a positive number of seconds, not \"%1\"").arg(parser.value(timeout)));
    }
    if (parser.isSet(killAfter)) {
        const auto value = seconds(parser.value(killAfter));
        if (!value)
            return usageError(QStringLiteral("--kill-after wants a number of seconds, not \"%1\"").arg(parser.value(killAfter)));
        options.killAfter = *value;
    } else if (options.timeout) {
        options.killAfter = std::chrono::seconds(2);
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
    options.files = parser.positionalArguments();
    if (options.files.isEmpty())
        return usageError(QStringLiteral("no FILE to check"));
    return options;
}
