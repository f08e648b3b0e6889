#include "sharedoptions.h"

#include "drover/manager.h"

#include <QtCore/QCommandLineParser>

#include <cmath>
#include <utility>

namespace DroverDemo {

std::optional<std::chrono::milliseconds> parseSeconds(const QString &text)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0 || value > 1e7)
        return std::nullopt;
    return std::chrono::milliseconds(qint64(std::ceil(value * 1000.0)));
}

SharedOptionParser::SharedOptionParser(QCommandLineParser *parser, SharedOptionRules rules)
    : m_parser(parser)
    , m_rules(std::move(rules))
    // drover-check said --jobs and drover-ide --workers; both take all three.
    , m_jobs({QStringLiteral("j"), QStringLiteral("jobs"), QStringLiteral("workers")}, m_rules.jobsHelp,
             QStringLiteral("N"))
    , m_timeout(QStringLiteral("timeout"), m_rules.timeoutHelp, QStringLiteral("S"))
    , m_listen(QStringLiteral("listen"),
               QStringLiteral("Workers connect back over TLS to this address (port 0: any); with --launcher."),
               QStringLiteral("HOST:PORT"))
    , m_launcher(QStringLiteral("launcher"),
                 QStringLiteral("Start each worker through this command, e.g. \"srun --nodes=1 --ntasks=1 {worker} {args}\" "
                                "or \"ssh -o BatchMode=yes HOST {worker} {args}\"; with --listen."),
                 QStringLiteral("TEMPLATE"))
{
    m_parser->addOptions({m_jobs, m_timeout, m_listen, m_launcher});
}

std::optional<SharedOptions> SharedOptionParser::read(QString *error) const
{
    SharedOptions options;
    if (m_parser->isSet(m_jobs)) {
        const QString text = m_parser->value(m_jobs);
        bool ok = false;
        options.jobs = text.toInt(&ok);
        if (!ok || options.jobs < 1 || options.jobs > maxJobs) {
            *error = QStringLiteral("-j wants a number of workers from 1 to %1, not \"%2\"")
                         .arg(QString::number(maxJobs), text);
            return std::nullopt;
        }
    }
    if (m_parser->isSet(m_timeout)) {
        const QString text = m_parser->value(m_timeout);
        const std::optional<std::chrono::milliseconds> limit = parseSeconds(text);
        const bool zero = limit && *limit == std::chrono::milliseconds(0);
        if (!limit || (zero && !m_rules.zeroTimeoutMeansNone)) {
            *error = m_rules.zeroTimeoutMeansNone
                         ? QStringLiteral("--timeout wants a number of seconds (0: none), not \"%1\"").arg(text)
                         : QStringLiteral("--timeout wants a positive number of seconds, not \"%1\"").arg(text);
            return std::nullopt;
        }
        if (!zero)
            options.timeout = limit;
    }
    if (m_parser->isSet(m_listen) != m_parser->isSet(m_launcher)) {
        *error = QStringLiteral("--listen and --launcher go together");
        return std::nullopt;
    }
    options.listen = m_parser->value(m_listen);
    options.launcher = m_parser->value(m_launcher);
    return options;
}

bool useRemoteWorkers(Drover::Manager *manager, const SharedOptions &options, QString *error)
{
    if (options.listen.isEmpty())
        return true;
    if (manager->setRemoteWorkers(options.listen, options.launcher))
        return true;
    *error = manager->errorString();
    return false;
}

} // namespace DroverDemo
