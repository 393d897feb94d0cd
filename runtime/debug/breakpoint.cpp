#include "runtime/debug/breakpoint.h"

#include <QDir>

namespace Loom::Runtime {

Result<Breakpoint> parseBreakpointSpec(const QString &spec, bool logPoint)
{
    const QString usage = logPoint ? QStringLiteral("--log FILE:LINE:EXPRESSION")
                                   : QStringLiteral("--break FILE:LINE[:CONDITION]");
    const qsizetype first = spec.indexOf(u':');
    if (first <= 0)
        return failure(QStringLiteral("%1: \"%2\" names no file and line").arg(usage, spec));
    const qsizetype second = spec.indexOf(u':', first + 1);
    bool ok = false;
    const int line = spec.mid(first + 1, second < 0 ? -1 : second - first - 1).toInt(&ok);
    if (!ok || line < 1)
        return failure(QStringLiteral("%1: \"%2\" has no line number (1 or more) after the file").arg(usage, spec));
    Breakpoint point;
    point.file = QDir::cleanPath(QDir::fromNativeSeparators(spec.left(first)));
    if (point.file.startsWith(u"./"))
        point.file = point.file.mid(2);
    if (point.file.startsWith(u"../") || QDir::isAbsolutePath(point.file))
        return failure(QStringLiteral("%1: %2 is not a path inside the project").arg(usage, point.file));
    point.line = line;
    const QString rest = second < 0 ? QString() : spec.mid(second + 1).trimmed();
    if (logPoint) {
        if (rest.isEmpty())
            return failure(QStringLiteral("%1: \"%2\" has no expression to log").arg(usage, spec));
        point.log = rest;
    } else {
        point.condition = rest;
    }
    return point;
}

} // namespace Loom::Runtime
