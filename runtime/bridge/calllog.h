#pragma once

#include "runtime/bridge/pageevent.h"
#include "runtime/bridge/traceback.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

namespace Loom::Runtime {

struct CallRecord
{
    int worker = 0;
    QString workerName;
    int callId = 0;
    QString function;
    QStringList args;     // previews
    double startedAt = 0; // page clock
    double endedAt = 0;
    double workerMs = -1; // inside the worker
    double mainMs = -1;   // seen from the main thread, request to reply
    bool finished = false;
    bool ok = false;
    QString result;      // preview
    QString error;       // the worker's traceback text
    QString explanation; // plain words, for the common cases
    QList<SourceLocation> locations;

    qsizetype approxBytes() const;
};

struct CallFilter
{
    QString worker;   // name; empty: any
    QString function; // empty: any
    bool errorsOnly = false;
    bool matches(const CallRecord &call) const;
};

// Every main -> worker call, newest last, in a ring bounded in records and in bytes: the oldest
// fall off past either.
class CallLog final
{
public:
    static constexpr qsizetype DefaultMaxBytes = 8 * 1024 * 1024;
    explicit CallLog(qsizetype capacity = 10000, qsizetype maxBytes = DefaultMaxBytes)
        : m_capacity(capacity)
        , m_maxBytes(maxBytes)
    {}

    // Starts or completes the call's record; a call-end without its start still makes a record.
    CallRecord &apply(const PageEvent &event, const QString &workerName);

    // A failed call's plain words and mapped frames (counted in the ring's bytes).
    void explain(CallRecord &call, const QString &explanation, const QList<SourceLocation> &locations);

    // The call's record while it is in the ring, else null.
    const CallRecord *find(int worker, int callId) const;

    qsizetype size() const { return qsizetype(m_calls.size()); }
    qsizetype dropped() const { return m_dropped; }
    qsizetype bytes() const { return m_bytes; }
    const CallRecord &at(qsizetype i) const { return m_calls.at(size_t(i)); }
    QList<CallRecord> filtered(const CallFilter &filter) const;
    void clear();

    QByteArray toJson(const CallFilter &filter = {}) const;

private:
    static quint64 key(int worker, int callId) { return (quint64(quint32(worker)) << 32) | quint32(callId); }
    std::optional<size_t> position(int worker, int callId) const;
    void dropOldest();
    // Past the byte bound, the oldest go; never `keep`, the record just written.
    void trim(const CallRecord *keep);

    std::deque<CallRecord> m_calls;
    // (worker, call id) -> sequence number (dropped() + index): finding a call stays O(1) with a
    // full ring, which is what lets 10,000 events a second through without stalling the owner.
    QHash<quint64, qsizetype> m_index;
    qsizetype m_capacity;
    qsizetype m_maxBytes;
    qsizetype m_bytes = 0;
    qsizetype m_dropped = 0;
};

} // namespace Loom::Runtime
