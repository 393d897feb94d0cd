#include "runtime/bridge/calllog.h"

#include "runtime/bridge/jsonexport.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

bool CallFilter::matches(const CallRecord &call) const
{
    return (worker.isEmpty() || call.workerName == worker) && (function.isEmpty() || call.function == function)
           && (!errorsOnly || (call.finished && !call.ok));
}

std::optional<size_t> CallLog::position(int worker, int callId) const
{
    const auto it = m_index.constFind(key(worker, callId));
    if (it == m_index.cend())
        return std::nullopt;
    const qsizetype position = it.value() - m_dropped;
    if (position < 0 || position >= size())
        return std::nullopt;
    return size_t(position);
}

const CallRecord *CallLog::find(int worker, int callId) const
{
    const auto at = position(worker, callId);
    return at ? &m_calls[*at] : nullptr;
}

qsizetype CallRecord::approxBytes() const
{
    qsizetype bytes = qsizetype(sizeof(CallRecord))
                      + 2 * (workerName.size() + function.size() + result.size() + error.size() + explanation.size());
    for (const QString &arg : args)
        bytes += qsizetype(sizeof(QString)) + 2 * arg.size();
    for (const SourceLocation &location : locations)
        bytes += qsizetype(sizeof(SourceLocation)) + 2 * (location.file.size() + location.function.size());
    return bytes;
}

void CallLog::dropOldest()
{
    const CallRecord &oldest = m_calls.front();
    const auto it = m_index.constFind(key(oldest.worker, oldest.callId));
    if (it != m_index.cend() && it.value() == m_dropped)
        m_index.erase(it);
    m_bytes -= oldest.approxBytes();
    m_calls.pop_front();
    ++m_dropped;
}

void CallLog::trim(const CallRecord *keep)
{
    while (m_bytes > m_maxBytes && !m_calls.empty() && &m_calls.front() != keep)
        dropOldest();
}

CallRecord &CallLog::apply(const PageEvent &event, const QString &workerName)
{
    if (const auto at = position(event.worker, event.callId)) {
        CallRecord *call = &m_calls[*at];
        const qsizetype before = call->approxBytes();
        if (event.kind == PageEvent::Kind::CallEnd) {
            call->finished = true;
            call->ok = event.ok;
            call->endedAt = event.t;
            // A late failure (a result that could not be cloned) keeps the timings known.
            if (event.ms >= 0)
                call->workerMs = event.ms;
            if (event.mainMs >= 0)
                call->mainMs = event.mainMs;
            (event.ok ? call->result : call->error) = event.text;
        } else {
            call->startedAt = event.t;
            call->args = event.args;
        }
        m_bytes += call->approxBytes() - before;
        trim(call);
        return *call;
    }
    if (size() >= m_capacity)
        dropOldest();
    CallRecord call;
    call.worker = event.worker;
    call.workerName = workerName;
    call.callId = event.callId;
    call.function = event.name;
    call.startedAt = event.t;
    call.args = event.args;
    m_index.insert(key(call.worker, call.callId), m_dropped + size());
    m_bytes += call.approxBytes();
    m_calls.push_back(std::move(call));
    if (event.kind == PageEvent::Kind::CallEnd)
        return apply(event, workerName);
    trim(&m_calls.back());
    return m_calls.back();
}

QList<CallRecord> CallLog::filtered(const CallFilter &filter) const
{
    QList<CallRecord> result;
    for (const CallRecord &call : m_calls) {
        if (filter.matches(call))
            result.append(call);
    }
    return result;
}

void CallLog::explain(CallRecord &call, const QString &explanation, const QList<SourceLocation> &locations)
{
    const qsizetype before = call.approxBytes();
    call.explanation = explanation;
    call.locations = locations;
    m_bytes += call.approxBytes() - before;
    trim(&call);
}

void CallLog::clear()
{
    m_calls.clear();
    m_index.clear();
    m_bytes = 0;
    m_dropped = 0;
}

QByteArray CallLog::toJson(const CallFilter &filter) const
{
    return QByteArray::fromStdString(callsToJson(filtered(filter)).dump(2));
}

} // namespace Loom::Runtime
