#pragma once
// Waiting for something while the thread's event loop keeps running.
#include <functional>

namespace Loom::TestSupport {

// Runs a nested event loop until done() (polled every 5 ms) or timeoutMs; done()'s last answer.
// Unlike QTest::qWaitFor it never sleeps the thread between polls, so the thread's timers keep
// their time: bench/uistall's stall meter ticks on through it, and benches need no QtTest.
bool waitFor(const std::function<bool()> &done, int timeoutMs);

} // namespace Loom::TestSupport
