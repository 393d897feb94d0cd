#include "consolelog.h"

#include <algorithm>

namespace Loom::Runtime {

void ConsoleLog::append(ConsoleEntry entry)
{
    auto it = m_sources.find(entry.source);
    if (it == m_sources.end()) {
        if (m_sources.size() >= MaxSources) {
            ++m_dropped;
            return;
        }
        it = m_sources.insert(entry.source, {});
    }
    if (qsizetype(it->size()) >= MaxPerSource) {
        it->pop_front();
        ++m_dropped;
    }
    it->push_back(std::move(entry));
}

QList<ConsoleEntry> ConsoleLog::entries(const QString &source) const
{
    QList<ConsoleEntry> result;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
        if (source.isEmpty() || it.key() == source)
            result.append(QList<ConsoleEntry>(it->cbegin(), it->cend()));
    }
    std::stable_sort(result.begin(), result.end(), [](const ConsoleEntry &a, const ConsoleEntry &b) { return a.t < b.t; });
    return result;
}

qsizetype ConsoleLog::size() const
{
    qsizetype total = 0;
    for (const auto &lines : m_sources)
        total += qsizetype(lines.size());
    return total;
}

} // namespace Loom::Runtime
