#pragma once

// Runs a measurement with this thread, and every process it starts
// meanwhile (they inherit the mask), on one CPU. A ping-pong between two
// CPUs pays for waking the other one, which on some machines (VMs whose idle
// vCPUs halt) costs ten times the messaging itself; on one CPU the figure is
// the software's own cost.

#include <sched.h>

class PinnedToOneCpu
{
public:
    PinnedToOneCpu()
    {
        if (::sched_getaffinity(0, sizeof m_saved, &m_saved) != 0)
            return;
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
            if (CPU_ISSET(cpu, &m_saved)) {
                cpu_set_t one;
                CPU_ZERO(&one);
                CPU_SET(cpu, &one);
                m_pinned = ::sched_setaffinity(0, sizeof one, &one) == 0;
                return;
            }
        }
    }
    ~PinnedToOneCpu()
    {
        if (m_pinned)
            ::sched_setaffinity(0, sizeof m_saved, &m_saved);
    }
    PinnedToOneCpu(const PinnedToOneCpu &) = delete;
    PinnedToOneCpu &operator=(const PinnedToOneCpu &) = delete;

    bool pinned() const { return m_pinned; }

private:
    cpu_set_t m_saved;
    bool m_pinned = false;
};
