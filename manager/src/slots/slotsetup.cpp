#include "slots/slotsetup.h"

#include "logging.h"
#include "slots/makejobserver.h"

#include <atomic>

namespace Drover::Internal {

std::unique_ptr<TokenSource> tokenSourceFromEnvironment()
{
    const JobserverAuth auth = JobserverAuth::parse(qEnvironmentVariable("MAKEFLAGS"));
    if (auth.kind == JobserverAuth::Kind::None)
        return nullptr;
    QString error;
    std::unique_ptr<MakeJobserver> jobserver = MakeJobserver::open(auth, &error);
    if (!jobserver) {
        static std::atomic<bool> said{false};
        if (!said.exchange(true))
            qCWarning(lcManager).noquote()
                << QStringLiteral("cannot use make's jobserver: %1; each queue's own maximum of workers is the only cap")
                       .arg(error);
        return nullptr;
    }
    qCDebug(lcManager).noquote() << "sharing job slots through" << jobserver->name()
                                 << (auth.dryRun ? "(make -n: a recipe marked '+' runs anyway)" : "");
    return jobserver;
}

} // namespace Drover::Internal
