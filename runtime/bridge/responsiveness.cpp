#include "runtime/bridge/responsiveness.h"

#include <algorithm>
#include <limits>

namespace Loom::Runtime {

void Responsiveness::addSample(double t, int lagMs, int longTasks, int longestTaskMs)
{
    const int stall = std::max(lagMs, longestTaskMs);
    m_samples.push_back({t, stall, longTasks});
    if (qsizetype(m_samples.size()) > MaxSamples)
        m_samples.pop_front();
    m_worst = std::max(m_worst, stall);
    m_longTasks += longTasks;
    ++m_count;
}

void Responsiveness::endAt(double now, double since)
{
    const double last = m_samples.empty() ? since : std::max(since, m_samples.back().t);
    const double silent = now - last;
    if (silent >= SilenceMs) {
        m_blockedAtEnd = int(std::min<double>(silent, std::numeric_limits<int>::max()));
        m_worst = std::max(m_worst, m_blockedAtEnd);
    }
}

Responsiveness::Level Responsiveness::levelFor(int lagMs)
{
    return lagMs >= RedMs ? Level::Red : lagMs >= AmberMs ? Level::Amber : Level::Green;
}

Responsiveness::Level Responsiveness::level() const
{
    if (m_samples.empty())
        return Level::Green;
    const double since = m_samples.back().t - 1000;
    int worst = 0;
    for (auto it = m_samples.crbegin(); it != m_samples.crend() && it->t >= since; ++it)
        worst = std::max(worst, it->lagMs);
    return levelFor(worst);
}

const char *levelName(Responsiveness::Level level)
{
    switch (level) {
    case Responsiveness::Level::Green:
        return "green";
    case Responsiveness::Level::Amber:
        return "amber";
    case Responsiveness::Level::Red:
        return "red";
    }
    return "green";
}

} // namespace Loom::Runtime
