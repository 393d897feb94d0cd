#include "runtime/bridge/traceback.h"

#include "runtime/bridge/failedload.h"

#include "runtime/project/projectscan.h"

#include <QDir>
#include <QRegularExpression>

namespace Loom::Runtime {

QList<SourceLocation> mapTraceback(const QString &traceback, const PageScript &script, const QString &htmlFile)
{
    static const QRegularExpression frame(QStringLiteral(R"re(File "(<exec>|<stdin>)", line (\d+)(?:, in (\S+))?)re"));
    QList<SourceLocation> locations;
    auto matches = frame.globalMatch(traceback);
    while (matches.hasNext()) {
        const auto match = matches.next();
        const int line = match.captured(2).toInt();
        SourceLocation location;
        location.function = match.captured(3);
        if (!script.src.isEmpty()) {
            location.file = QDir::cleanPath(script.src);
            if (location.file.startsWith(u"./"))
                location.file = location.file.mid(2);
            location.line = line;
        } else {
            location.file = htmlFile;
            location.line = script.tagLine + line;
        }
        locations.append(location);
    }
    return locations;
}

QString errorSummary(const QString &traceback)
{
    static const QRegularExpression exceptionLine(
        QStringLiteral(R"(^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning)\b)"));
    const QStringList lines = traceback.trimmed().split(u'\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString line = it->trimmed();
        if (exceptionLine.match(line).hasMatch())
            return line;
    }
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString line = it->trimmed();
        if (!line.isEmpty())
            return line;
    }
    return traceback.trimmed();
}

QString explainError(const QString &error, const QStringList &exports, ErrorContext context)
{
    if (error.contains(u"DataCloneError") || error.contains(u"could not be cloned")
        || error.contains(u"No conversion known")) {
        return QStringLiteral("This value cannot cross between threads: pass and return plain lists, dicts, numbers, "
                              "strings and booleans (convert numpy arrays with .tolist()).");
    }
    // A bare name: "k.getElementById is not a function" is a JavaScript object missing a method.
    static const QRegularExpression notFunction(
        QStringLiteral(R"((?<![\w.])([A-Za-z_][A-Za-z0-9_]*) is not a function)"));
    if (const auto match = notFunction.match(error); context == ErrorContext::Call && match.hasMatch()) {
        return QStringLiteral("The worker does not export \"%1\": add it to __export__%2.")
            .arg(match.captured(1),
                 exports.isEmpty() ? QString() : QStringLiteral(" (it exports: %1)").arg(exports.join(u", ")));
    }
    // The interpreter itself (pyodide.mjs, micropython.mjs) could not be imported: a URL Loom
    // does not ship, unreachable. Nothing to do with packages.
    if (const auto load = FailedLoad::fromConsole(error)) {
        return QStringLiteral("The worker could not load %1: the host is unreachable (offline?) or the URL is wrong. "
                              "Loom answers the PyScript, Pyodide and MicroPython URLs of the versions it ships "
                              "from its own copy; other URLs need the network.")
            .arg(load->url);
    }
    if (error.contains(u"micropip") || error.contains(u"loadPackage")
        || (error.contains(u"Failed to fetch") && (error.contains(u".whl") || error.contains(u"package")))) {
        return QStringLiteral("The worker could not install its packages: a \"packages\" entry needs the network the "
                              "first time. Pyodide's packages and PyPI's wheels come through Loom's package cache, "
                              "fetched once and kept; a file Loom could not get is named in a \"failed to load\" line "
                              "of this run, and `loom packages DIR` (Run > Fetch Packages in the IDE) shows what the "
                              "project needs and fetches what is missing.");
    }
    return {};
}

bool isPythonError(QStringView text)
{
    return text.contains(u"Traceback (most recent call last)") || text.startsWith(u"PythonError")
           || text.startsWith(u"Uncaught PythonError");
}

bool isUncaughtPythonError(QStringView text)
{
    if (text.startsWith(u"PythonError") || text.startsWith(u"Uncaught PythonError"))
        return true;
    const qsizetype header = text.indexOf(u"Traceback (most recent call last)");
    return header >= 0 && text.mid(header).trimmed().contains(u'\n');
}

} // namespace Loom::Runtime
