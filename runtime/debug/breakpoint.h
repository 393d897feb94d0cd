#pragma once

#include "runtime/project/project.h"
#include "runtime/result.h"

#include <QHash>
#include <QList>
#include <QString>

namespace Loom::Runtime {

// A place a debug run watches: a line of a project file (a .py file, or index.html for its inline
// scripts). With a log expression it is a log point: the value is recorded and the thread goes on.
struct Breakpoint
{
    QString file;              // relative to the project, "/" separated
    int line = 0;              // 1-based
    QString condition = {};    // Python: stop only when true in the frame
    QString hitCondition = {}; // "5" (the 5th hit), "==5", ">5", ">=5", "%5" (every 5th), as debugpy
    QString log = {};          // Python: a log point's expression

    bool operator==(const Breakpoint &) const = default;
};

// Where a debug run's threads pause on exceptions: where one leaves the project's code uncaught,
// wherever the project's code raises one, or never. Pyodide's threads only: MicroPython's settrace
// cannot tell a caught exception from an uncaught one (its threads say so once).
enum class ExceptionBreak { Never, Uncaught, Raised };
const char *exceptionBreakName(ExceptionBreak mode); // "none", "uncaught", "raised"

// What a debug run watches.
struct DebugOptions
{
    QList<Breakpoint> breakpoints = {};
    ExceptionBreak exceptions = ExceptionBreak::Uncaught;
};

// Breakpoints placed where a thread can stop, as debuggers place them: one on a line without code
// (blank, a comment, the middle of a docstring) moves to the next line of its file that has some;
// one past the last such line can never stop and is left out. Each move or drop is said in
// `changes`. Files missing from `stoppable` (not checked, or not compiling) are left as they are.
struct PlacedBreakpoints
{
    QList<Breakpoint> breakpoints = {};
    QStringList changes = {};
};
PlacedBreakpoints placeBreakpoints(const QList<Breakpoint> &breakpoints, const QHash<QString, QList<int>> &stoppable);
// The question for loom_analysis.stoppable_lines: the breakpoints' sources, read from the project
// (a .py file whole; index.html's inline scripts, each from its first line); and its answer read.
QByteArray stoppableLinesRequest(const Project &project, const QList<Breakpoint> &breakpoints);
QHash<QString, QList<int>> parseStoppableLines(const QByteArray &answer);

// Whether `condition` is a hit condition Loom understands (empty is: no condition).
bool isValidHitCondition(const QString &condition);

// A breakpoint as the IDE keeps it in its settings (a JSON object), and back; the older
// "file:line" form is read too.
QString breakpointToSetting(const Breakpoint &point);
Result<Breakpoint> breakpointFromSetting(const QString &stored);

// `--break FILE:LINE[:CONDITION]` and `--log FILE:LINE:EXPRESSION`: the condition or expression
// is everything after the second colon (it may hold colons of its own).
Result<Breakpoint> parseBreakpointSpec(const QString &spec, bool logPoint);

} // namespace Loom::Runtime
