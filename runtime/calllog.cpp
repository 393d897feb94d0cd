#include "calllog.h"

#include "jsonexport.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

bool CallFilter::matches(const CallRecord &call) const
{
    return (worker.isEmpty() || call.workerName == worker) && (function.isEmpty() || call.function == function)
        && (!errorsOnly || (call.finished && !call.ok));
}

CallRecord &CallLog::apply(const PageEvent &event, const QString &workerName)
{
    // Recent calls are at the back: search from there.
    for (auto it = m_calls.rbegin(); it != m_calls.rend(); ++it) {
        if (it->worker == event.worker && it->callId == event.callId) {
            if (event.kind == PageEvent::Kind::CallEnd) {
                it->finished = true;
                it->ok = event.ok;
                it->endedAt = event.t;
                // A late failure (a result that could not be cloned) keeps the timings known.
                if (event.ms >= 0)
                    it->workerMs = event.ms;
                if (event.mainMs >= 0)
                    it->mainMs = event.mainMs;
                (event.ok ? it->result : it->error) = event.text;
            } else {
                it->startedAt = event.t;
                it->args = event.args;
            }
            return *it;
        }
    }
    if (qsizetype(m_calls.size()) >= m_capacity) {
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
    m_calls.push_back(call);
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
    m_dropped = 0;
}

QByteArray CallLog::toJson(const CallFilter &filter) const
{
    return QByteArray::fromStdString(callsToJson(filtered(filter)).dump(2));
}

} // namespace Loom::Runtime
