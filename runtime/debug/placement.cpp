#include "runtime/debug/placement.h"

#include "runtime/python/pythonengine.h"

namespace Loom::Runtime {

using namespace Qt::StringLiterals;

PlacedBreakpoints placeWhereTheyStop(const Project &project, const QList<Breakpoint> &breakpoints)
{
    const auto answer = PythonEngine::instance().callAndWait(u"loom_analysis"_s, u"stoppable_lines"_s,
                                                             stoppableLinesRequest(project, breakpoints));
    if (!answer)
        return {breakpoints, {}};
    return placeBreakpoints(breakpoints, parseStoppableLines(*answer));
}

} // namespace Loom::Runtime
