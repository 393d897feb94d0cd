#include "runtime/debug/breakpoint.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

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

const char *exceptionBreakName(ExceptionBreak mode)
{
    switch (mode) {
    case ExceptionBreak::Never:
        return "none";
    case ExceptionBreak::Uncaught:
        return "uncaught";
    case ExceptionBreak::Raised:
        return "raised";
    }
    return "none";
}

PlacedBreakpoints placeBreakpoints(const QList<Breakpoint> &breakpoints, const QHash<QString, QList<int>> &stoppable)
{
    PlacedBreakpoints placed;
    for (Breakpoint point : breakpoints) {
        const auto lines = stoppable.constFind(point.file);
        if (lines != stoppable.cend() && !lines->contains(point.line)) {
            const auto next = std::ranges::find_if(*lines, [&point](int line) { return line > point.line; });
            if (next == lines->cend()) {
                placed.changes.append(QStringLiteral("The breakpoint at %1:%2 can never stop: no code follows it.")
                                          .arg(point.file)
                                          .arg(point.line));
                continue;
            }
            placed.changes.append(QStringLiteral("The breakpoint at %1:%2 moved to line %3: no code on line %2.")
                                      .arg(point.file)
                                      .arg(point.line)
                                      .arg(*next));
            point.line = *next;
        }
        const bool taken = std::ranges::any_of(placed.breakpoints, [&point](const Breakpoint &other) {
            return other.file == point.file && other.line == point.line;
        });
        if (!taken)
            placed.breakpoints.append(point);
    }
    return placed;
}

QByteArray stoppableLinesRequest(const Project &project, const QList<Breakpoint> &breakpoints)
{
    QJsonArray sources;
    QStringList files;
    for (const Breakpoint &point : breakpoints) {
        if (!files.contains(point.file))
            files.append(point.file);
    }
    for (const QString &file : std::as_const(files)) {
        if (file == Project::entryPageName()) {
            for (const PageScript &script : project.entryScripts()) {
                if (script.src.isEmpty() && !script.code.isEmpty())
                    sources.append(QJsonObject{{QStringLiteral("file"), file},
                                               {QStringLiteral("text"), script.code},
                                               {QStringLiteral("line"), script.codeLine}});
            }
        } else if (file.endsWith(u".py")) {
            QFile source(project.filePath(file));
            if (source.size() < 4 * 1024 * 1024 && source.open(QIODevice::ReadOnly))
                sources.append(QJsonObject{{QStringLiteral("file"), file},
                                           {QStringLiteral("text"), QString::fromUtf8(source.readAll())},
                                           {QStringLiteral("line"), 1}});
        }
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("sources"), sources}}).toJson(QJsonDocument::Compact);
}

QHash<QString, QList<int>> parseStoppableLines(const QByteArray &answer)
{
    QHash<QString, QList<int>> stoppable;
    const QJsonObject object = QJsonDocument::fromJson(answer).object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        QList<int> lines;
        for (const QJsonValue &line : it.value().toArray()) {
            if (line.toInt() > 0)
                lines.append(line.toInt());
        }
        std::ranges::sort(lines);
        stoppable.insert(it.key(), lines);
    }
    return stoppable;
}

bool isValidHitCondition(const QString &condition)
{
    static const QRegularExpression valid(QStringLiteral(R"(^\s*(==|>=|>|%)?\s*[1-9][0-9]{0,8}\s*$)"));
    return condition.trimmed().isEmpty() || valid.match(condition).hasMatch();
}

QString breakpointToSetting(const Breakpoint &point)
{
    QJsonObject object{{QStringLiteral("file"), point.file}, {QStringLiteral("line"), point.line}};
    if (!point.condition.isEmpty())
        object.insert(QStringLiteral("condition"), point.condition);
    if (!point.hitCondition.isEmpty())
        object.insert(QStringLiteral("hitCondition"), point.hitCondition);
    if (!point.log.isEmpty())
        object.insert(QStringLiteral("log"), point.log);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

Result<Breakpoint> breakpointFromSetting(const QString &stored)
{
    if (!stored.startsWith(u'{'))
        return parseBreakpointSpec(stored, false);
    const QJsonObject object = QJsonDocument::fromJson(stored.toUtf8()).object();
    auto point = parseBreakpointSpec(object.value(QStringLiteral("file")).toString() + u':'
                                         + QString::number(object.value(QStringLiteral("line")).toInt()),
                                     false);
    if (!point)
        return point;
    point->condition = object.value(QStringLiteral("condition")).toString();
    point->hitCondition = object.value(QStringLiteral("hitCondition")).toString();
    if (!isValidHitCondition(point->hitCondition))
        point->hitCondition.clear();
    point->log = object.value(QStringLiteral("log")).toString();
    return point;
}

} // namespace Loom::Runtime
