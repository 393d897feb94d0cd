#include "runtime/debug/debugcontroller.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

namespace {
const std::string Continue = R"({"action": "continue"})";
} // namespace

DebugController::DebugController(std::function<void()> onChange)
    : m_onChange(std::move(onChange))
{}

DebugController::~DebugController()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_resumed.notify_all();
}

std::string DebugController::pause(DebugHit hit)
{
    std::unique_lock lock(m_mutex);
    if (m_closed || m_paused.size() >= MaxPaused)
        return Continue;
    const quint64 id = m_nextId++;
    m_paused.append({id, std::move(hit)});
    m_released[id] = std::nullopt;
    lock.unlock();
    changed();
    lock.lock();
    m_resumed.wait(lock, [this, id] { return m_closed || m_released[id].has_value(); });
    std::string answer = m_released[id].value_or(Continue);
    m_released.erase(id);
    m_paused.removeIf([id](const Paused &paused) { return paused.id == id; });
    lock.unlock();
    changed();
    return answer;
}

QList<DebugController::Paused> DebugController::paused() const
{
    std::lock_guard lock(m_mutex);
    return m_paused;
}

void DebugController::resume(quint64 id, Resume how)
{
    switch (how) {
    case Resume::Continue:
        return answer(id, Continue);
    case Resume::StepInto:
        return answer(id, R"({"action": "step", "step": "into"})");
    case Resume::StepOver:
        return answer(id, R"({"action": "step", "step": "over"})");
    case Resume::StepOut:
        return answer(id, R"({"action": "step", "step": "out"})");
    }
}

void DebugController::evaluate(quint64 id, int frame, const QString &expression)
{
    answer(id, nlohmann::json{{"action", "evaluate"}, {"frame", frame}, {"expression", expression.toStdString()}}.dump(
                   -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void DebugController::answer(quint64 id, std::string action)
{
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_released.find(id);
        if (it == m_released.end() || it->second)
            return; // gone, or answered already (a second F8 must not turn an evaluation into a continue)
        it->second = std::move(action);
    }
    m_resumed.notify_all();
}

void DebugController::releaseAll()
{
    {
        std::lock_guard lock(m_mutex);
        for (auto &[id, answer] : m_released)
            answer = Continue;
    }
    m_resumed.notify_all();
}

void DebugController::changed() const
{
    if (m_onChange)
        m_onChange();
}

} // namespace Loom::Runtime
