#pragma once

#include "runtime/bridge/traceback.h"

#include <QList>
#include <QMap>
#include <QString>

#include <deque>

namespace Loom::Runtime {

struct ConsoleEntry
{
    double t = 0;         // page clock
    QString source;       // "main:mpy", "main:py", "worker:primes"
    bool isError = false; // stderr
    QString text;
    QString explanation;
    QList<SourceLocation> locations; // traceback frames, mapped
    // Loom's own line: the traceback of a failed call, which PyScript hands to the caller only
    // (a page that catches it would otherwise leave no trace in any console).
    QString call; // "boom(7)" for such a line, else empty

    qsizetype approxBytes() const;
};

// The console of each thread, bounded per source in lines and bytes, and in bytes overall: a
// page printing without end keeps only the newest lines of that source and counts the rest;
// other sources keep theirs (until all of them together pass MaxBytes: then the largest gives).
class ConsoleLog final
{
public:
    static constexpr qsizetype MaxPerSource = 2000;
    static constexpr qsizetype MaxBytesPerSource = 2 * 1024 * 1024;
    static constexpr qsizetype MaxBytes = 8 * 1024 * 1024;
    static constexpr qsizetype MaxSources = 64;

    void append(ConsoleEntry entry);
    QList<ConsoleEntry> entries(const QString &source = {}) const; // in time order
    QStringList sources() const { return m_sources.keys(); }
    qsizetype dropped() const { return m_dropped; }
    qsizetype size() const;
    qsizetype bytes() const { return m_bytes; }

private:
    struct Source
    {
        std::deque<ConsoleEntry> lines;
        qsizetype bytes = 0;
    };
    void dropOldest(Source &source);

    QMap<QString, Source> m_sources;
    qsizetype m_bytes = 0;
    qsizetype m_dropped = 0;
};

} // namespace Loom::Runtime
