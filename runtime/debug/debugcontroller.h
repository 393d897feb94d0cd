#pragma once

#include "runtime/debug/debughit.h"

#include <QList>
#include <QString>

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace Loom::Runtime {

// Where a paused thread of a debug run waits: its hit arrives on a server thread, which holds
// the thread's synchronous request until the user resumes it (its answer is what the thread does
// next). Thread-safe. The owner is told of every change through onChange (any thread: relay it).
class DebugController final
{
public:
    struct Paused
    {
        quint64 id = 0;
        DebugHit hit;
    };

    // Threads paused at once, at most: each holds a server thread (of 256). A page is untrusted:
    // past this, a hit is answered at once and the thread goes on.
    static constexpr qsizetype MaxPaused = 64;

    explicit DebugController(std::function<void()> onChange = {});
    ~DebugController();
    Q_DISABLE_COPY_MOVE(DebugController)

    // Server thread: shows the hit and waits until resume(id) or releaseAll(); the thread's next
    // action as JSON ({"action": "continue"}).
    std::string pause(DebugHit hit);
    // The threads paused now, oldest first.
    QList<Paused> paused() const;
    // How a paused thread goes on: to the next breakpoint, or one step (the next line of the
    // project's code: anywhere, in this frame or a caller, in a caller).
    enum class Resume { Continue, StepInto, StepOver, StepOut };
    // A pause that was answered already (resumed, or asked to evaluate) is left as it is.
    void resume(quint64 id, Resume how = Resume::Continue);
    // The paused thread evaluates a Python expression in the frame-th frame of its stack and
    // stays paused: it comes back as a new pause (a new id) whose hit carries the value.
    void evaluate(quint64 id, int frame, const QString &expression);
    // Every thread paused now goes on (the page goes away: a new run, Stop); later hits pause.
    void releaseAll();

private:
    // The paused thread `id` does `action` next (JSON); nothing when it was answered already.
    void answer(quint64 id, std::string action);
    void changed() const;

    std::function<void()> m_onChange;
    mutable std::mutex m_mutex;
    std::condition_variable m_resumed;
    QList<Paused> m_paused;
    std::map<quint64, std::optional<std::string>> m_released; // id -> its answer, once given
    quint64 m_nextId = 1;
    bool m_closed = false; // destroyed: nothing waits any more
};

} // namespace Loom::Runtime
