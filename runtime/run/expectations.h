#pragma once

#include "runtime/bridge/consolelog.h"
#include "runtime/run/pagerunner.h"
#include "runtime/run/scenario.h"

#include <QList>
#include <QStringList>

namespace Loom::Runtime {

class PageSession;

// Checks a scenario's expected outcome against what the run's models saw and the browser's own
// console (the lines PageRunner::consoleLine gave). Returns one message in plain words per
// expectation not met (empty: all met).
QStringList unmetExpectations(const Expectations &expect, const PageSession &session,
                              const QList<ConsoleLine> &browserConsole = {});

// A run's verdict on its scenario's expected outcome, checked once its steps passed (a failed
// step already says why): the unmet expectations; any unmet makes `outcome` a page error with a
// message that counts them. Nothing to check: empty, and `outcome` unchanged.
QStringList judgeExpectations(const Expectations &expect, const PageSession &session,
                              const QList<ConsoleLine> &browserConsole, RunOutcome &outcome);

// The console part alone. Python's output reaches both consoles (PyScript still logs what the
// bridge reports), so a browser line that repeats a Python line of the same kind of thread is that
// line's echo: it counts once, as the Python line, except for the thread "browser", which sees the
// browser's console as it is.
QStringList unmetConsoleExpectations(const QList<ExpectedConsoleLine> &expected, const QList<ConsoleEntry> &python,
                                     const QList<ConsoleLine> &browser);

} // namespace Loom::Runtime
