#include "runtime/debug/debugcontroller.h"

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
    if (m_closed)
        return Continue;
    const quint64 id = m_nextId++;
    m_paused.append({id, std::move(hit)});
    m_released[id] = false;
    lock.unlock();
    changed();
    lock.lock();
    m_resumed.wait(lock, [this, id] { return m_closed || m_released[id]; });
    m_released.erase(id);
    m_paused.removeIf([id](const Paused &paused) { return paused.id == id; });
    lock.unlock();
    changed();
    return Continue;
}

QList<DebugController::Paused> DebugController::paused() const
{
    std::lock_guard lock(m_mutex);
    return m_paused;
}

void DebugController::resume(quint64 id)
{
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_released.find(id);
        if (it == m_released.end())
            return;
        it->second = true;
    }
    m_resumed.notify_all();
}

void DebugController::releaseAll()
{
    {
        std::lock_guard lock(m_mutex);
        for (auto &[id, released] : m_released)
            released = true;
    }
    m_resumed.notify_all();
}

void DebugController::changed() const
{
    if (m_onChange)
        m_onChange();
}

} // namespace Loom::Runtime
