#include "figures.h"
#include "stats.h"

const Context::RoundTrip &Context::roundTrip()
{
    if (!m_roundTrip)
        m_roundTrip = measureRoundTrip(*this);
    return *m_roundTrip;
}

double Context::roundTripMedianUs()
{
    return Stats::median(roundTrip().droverUs);
}

const Context::FreshWorker &Context::freshWorker()
{
    if (!m_freshWorker)
        m_freshWorker = measureFreshWorker(*this);
    return *m_freshWorker;
}

double Context::spawnToReadyMedianMs()
{
    return Stats::median(freshWorker().readyMs);
}
