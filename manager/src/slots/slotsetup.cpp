#include "slots/slotsetup.h"

#include "logging.h"
#include "plugins/locations.h"
#include "slots/makejobserver.h"
#include "slots/tokenserverclient.h"

#include <atomic>

namespace Drover::Internal {

namespace {
void warnOnce(std::atomic<bool> &said, const QString &message)
{
    if (!said.exchange(true))
        qCWarning(lcSlots).noquote() << message;
}

std::unique_ptr<TokenSource> fromDroverJobs()
{
    const QString value = qEnvironmentVariable("DROVER_JOBS");
    if (value.isEmpty())
        return nullptr;
    static std::atomic<bool> said{false};
    bool ok = false;
    const int cap = value.toInt(&ok);
    if (!ok || cap < 0 || cap > 4096) {
        warnOnce(said, QStringLiteral("DROVER_JOBS=%1 is not a number of job slots from 0 to 4096; ignored").arg(value));
        return nullptr;
    }
    if (cap == 0)
        return nullptr;
    QString error;
    std::unique_ptr<TokenSource> source = tokenServerSource(cap, &error);
    if (!source)
        warnOnce(said, QStringLiteral("DROVER_JOBS=%1: %2; each queue's own maximum of workers is the only cap").arg(value, error));
    return source;
}
} // namespace

std::unique_ptr<TokenSource> tokenServerSource(int cap, QString *error)
{
    int serverCap = 0;
    std::unique_ptr<TokenServerClient> client =
        TokenServerClient::connectOrStart(cap, defaultSlotServerProgram(), &serverCap, error);
    if (client && serverCap != cap)
        qCWarning(lcSlots).noquote() << QStringLiteral("the token server already shares %1 job slots; "
                                                         "this process shares them instead of %2")
                                              .arg(serverCap)
                                              .arg(cap);
    return client;
}

std::unique_ptr<TokenSource> tokenSourceFromEnvironment()
{
    const JobserverAuth auth = JobserverAuth::parse(qEnvironmentVariable("MAKEFLAGS"));
    if (auth.kind == JobserverAuth::Kind::None)
        return fromDroverJobs();
    QString error;
    std::unique_ptr<MakeJobserver> jobserver = MakeJobserver::open(auth, &error);
    if (!jobserver) {
        static std::atomic<bool> said{false};
        warnOnce(said, QStringLiteral("cannot use make's jobserver: %1; each queue's own maximum of workers is the only cap")
                           .arg(error));
        return fromDroverJobs();
    }
    qCDebug(lcSlots).noquote() << "sharing job slots through" << jobserver->name()
                                 << (auth.dryRun ? "(make -n: a recipe marked '+' runs anyway)" : "");
    return jobserver;
}

} // namespace Drover::Internal
