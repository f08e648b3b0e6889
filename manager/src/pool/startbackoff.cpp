#include "pool/startbackoff.h"

#include "logging.h"

using namespace std::chrono_literals;

namespace Drover::Internal {

namespace {
constexpr auto MaxRespawnDelay = 5000ms;

QString ms(std::chrono::milliseconds d)
{
    return QStringLiteral("%1 ms").arg(d.count());
}
} // namespace

StartBackoff::StartBackoff(const QString &kind, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
{
    m_respawnTimer.setSingleShot(true);
    connect(&m_respawnTimer, &QTimer::timeout, this, &StartBackoff::waitOver);
}

void StartBackoff::taskDone()
{
    m_crashStreak = 0;
    m_startFailures = 0;
}

void StartBackoff::diedYoung()
{
    ++m_crashStreak;
    if (m_crashStreak < 2 || m_respawnTimer.isActive())
        return;
    const int doublings = std::min(m_crashStreak - 2, 6);
    const auto delay = std::min(MaxRespawnDelay, std::chrono::milliseconds(100ms * (1 << doublings)));
    qCInfo(lcQueue).noquote() << m_kind << ":" << m_crashStreak << "workers in a row died before finishing a task;"
                              << "next start in" << ms(delay);
    m_respawnTimer.start(delay);
}

StartBackoff::Verdict StartBackoff::startFailed(const QString &status, bool connected, bool fromOutside)
{
    Verdict verdict;
    QString &message = verdict.message;
    message = connected ? QStringLiteral("a %1 worker died before its first task: %2").arg(m_kind, status)
                        : QStringLiteral("a %1 worker could not start: %2").arg(m_kind, status);
    if (fromOutside && m_programStarted) {
        message += QStringLiteral(", by a signal from outside; the program has started before, so the queue keeps trying");
        if (m_respawnTimer.isActive())
            message += QStringLiteral(" (next start in %1)").arg(ms(std::chrono::milliseconds(m_respawnTimer.remainingTime())));
        verdict.error = TaskQueue::Error::WorkerKilledFromOutside;
        qCInfo(lcQueue).noquote() << message;
        return verdict;
    }
    ++m_startFailures;
    if (m_startFailures >= MaxStartFailures) {
        message += QStringLiteral("; %1 failures in a row, so the queued tasks end").arg(m_startFailures);
        // Start afresh: the next task (a fixed setting, a new program) gets a worker at once.
        m_startFailures = 0;
        m_crashStreak = 0;
        m_respawnTimer.stop();
        verdict.giveUp = true;
        verdict.error = TaskQueue::Error::WorkersCannotStart;
        qCWarning(lcQueue).noquote() << message;
        return verdict;
    }
    if (m_respawnTimer.isActive())
        message += QStringLiteral("; trying again in %1").arg(ms(std::chrono::milliseconds(m_respawnTimer.remainingTime())));
    qCWarning(lcQueue).noquote() << message;
    return verdict;
}

} // namespace Drover::Internal
