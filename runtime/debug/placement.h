#pragma once

#include "runtime/debug/breakpoint.h"

namespace Loom::Runtime {

// Breakpoints placed where a thread can stop (placeBreakpoints), from the files' line tables as
// the embedded CPython reads them (loom_analysis.stoppable_lines). Reads the files and waits for
// the Python thread: call it off the UI thread. If Python cannot say, the breakpoints stay as they
// are.
PlacedBreakpoints placeWhereTheyStop(const Project &project, const QList<Breakpoint> &breakpoints);

} // namespace Loom::Runtime
