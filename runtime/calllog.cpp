#include "calllog.h"

#include "jsonexport.h"

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

CallRecord &CallLog::apply(const PageEvent &event, const QString &workerName)
{
    if (const auto at = position(event.worker, event.callId)) {
        CallRecord *call = &m_calls[*at];
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
        return *call;
    }
    if (size() >= m_capacity) {
        const CallRecord &oldest = m_calls.front();
        const auto it = m_index.constFind(key(oldest.worker, oldest.callId));
        if (it != m_index.cend() && it.value() == m_dropped)
            m_index.erase(it);
        m_calls.pop_front();
        ++m_dropped;
    }
    CallRecord call;
    call.worker = event.worker;
    call.workerName = workerName;
    call.callId = event.callId;
    call.function = event.name;
    call.startedAt = event.t;
    call.args = event.args;
    m_index.insert(key(call.worker, call.callId), m_dropped + size());
    m_calls.push_back(std::move(call));
    if (event.kind == PageEvent::Kind::CallEnd)
        return apply(event, workerName);
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

void CallLog::clear()
{
    m_calls.clear();
    m_index.clear();
    m_dropped = 0;
}

QByteArray CallLog::toJson(const CallFilter &filter) const
{
    return QByteArray::fromStdString(callsToJson(filtered(filter)).dump(2));
}

} // namespace Loom::Runtime
