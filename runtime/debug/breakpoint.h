#pragma once

#include "runtime/result.h"

#include <QList>
#include <QString>

namespace Loom::Runtime {

// A place a debug run watches: a line of a project file (a .py file, or index.html for its inline
// scripts). With a log expression it is a log point: the value is recorded and the thread goes on.
struct Breakpoint
{
    QString file;      // relative to the project, "/" separated
    int line = 0;      // 1-based
    QString condition; // Python: stop only when true in the frame
    QString log;       // Python: a log point's expression

    bool operator==(const Breakpoint &) const = default;
};

// `--break FILE:LINE[:CONDITION]` and `--log FILE:LINE:EXPRESSION`: the condition or expression
// is everything after the second colon (it may hold colons of its own).
Result<Breakpoint> parseBreakpointSpec(const QString &spec, bool logPoint);

} // namespace Loom::Runtime
