#include "runtime/bridge/consolelog.h"

#include <algorithm>

namespace Loom::Runtime {

qsizetype ConsoleEntry::approxBytes() const
{
    qsizetype bytes = qsizetype(sizeof(ConsoleEntry))
                      + 2 * (source.size() + text.size() + explanation.size() + call.size());
    for (const SourceLocation &location : locations)
        bytes += qsizetype(sizeof(SourceLocation)) + 2 * (location.file.size() + location.function.size());
    return bytes;
}

void ConsoleLog::dropOldest(Source &source)
{
    const qsizetype bytes = source.lines.front().approxBytes();
    source.lines.pop_front();
    source.bytes -= bytes;
    m_bytes -= bytes;
    ++m_dropped;
}

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
    const qsizetype bytes = entry.approxBytes();
    while (!it->lines.empty() && (qsizetype(it->lines.size()) >= MaxPerSource || it->bytes + bytes > MaxBytesPerSource))
        dropOldest(*it);
    it->lines.push_back(std::move(entry));
    it->bytes += bytes;
    m_bytes += bytes;
    while (m_bytes > MaxBytes) {
        // All sources together are too big: the largest gives its oldest line.
        auto largest = std::max_element(m_sources.begin(), m_sources.end(),
                                        [](const Source &a, const Source &b) { return a.bytes < b.bytes; });
        if (largest->lines.empty())
            break;
        dropOldest(*largest);
    }
}

QList<ConsoleEntry> ConsoleLog::entries(const QString &source) const
{
    QList<ConsoleEntry> result;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
        if (source.isEmpty() || it.key() == source)
            result.append(QList<ConsoleEntry>(it->lines.cbegin(), it->lines.cend()));
    }
    std::stable_sort(result.begin(), result.end(),
                     [](const ConsoleEntry &a, const ConsoleEntry &b) { return a.t < b.t; });
    return result;
}

qsizetype ConsoleLog::size() const
{
    qsizetype total = 0;
    for (const Source &source : m_sources)
        total += qsizetype(source.lines.size());
    return total;
}

} // namespace Loom::Runtime
