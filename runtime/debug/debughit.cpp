#include "runtime/debug/debughit.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

namespace {
constexpr qsizetype MaxText = 4096;
constexpr int MaxFrames = 64;
constexpr int MaxLocals = 64;
constexpr int MaxParts = 64;
constexpr int MaxFramesWithLocals = 8;

QString text(const nlohmann::ordered_json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>()).left(MaxText);
}

int number(const nlohmann::ordered_json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer())
        return 0;
    const auto value = it->get<long long>();
    return value > 0 && value < 10'000'000 ? int(value) : 0;
}
DebugHit::Variables variables(const nlohmann::ordered_json &object, const char *key)
{
    DebugHit::Variables shown;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_object())
        return shown;
    for (const auto &[name, value] : it->items()) {
        if (shown.size() >= MaxLocals)
            break;
        if (value.is_string())
            shown.append({QString::fromStdString(name).left(200),
                          QString::fromStdString(value.get<std::string>()).left(MaxText)});
    }
    return shown;
}

// {name: [[part, repr], ...]}
QMap<QString, DebugHit::Variables> parts(const nlohmann::ordered_json &object)
{
    QMap<QString, DebugHit::Variables> found;
    const auto it = object.find("parts");
    if (it == object.end() || !it->is_object())
        return found;
    for (const auto &[name, list] : it->items()) {
        if (found.size() >= MaxLocals || !list.is_array())
            break;
        DebugHit::Variables children;
        for (const auto &pair : list) {
            if (children.size() >= MaxParts)
                break;
            if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string())
                children.append({QString::fromStdString(pair[0].get<std::string>()).left(200),
                                 QString::fromStdString(pair[1].get<std::string>()).left(MaxText)});
        }
        found.insert(QString::fromStdString(name).left(200), children);
    }
    return found;
}
} // namespace

Result<DebugHit> parseDebugHit(std::string_view json)
{
    // ordered: the locals keep the order the frame gave them.
    const auto document = nlohmann::ordered_json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (!document.is_object())
        return failure(QStringLiteral("a debug hit is a JSON object"));
    DebugHit hit;
    hit.thread = text(document, "thread");
    if (hit.thread.isEmpty())
        return failure(QStringLiteral("a debug hit names its thread"));
    hit.unavailable = text(document, "unavailable");
    hit.notice = text(document, "notice");
    hit.file = text(document, "file");
    hit.line = number(document, "line");
    if (hit.unavailable.isEmpty() && hit.notice.isEmpty() && (hit.file.isEmpty() || hit.line == 0))
        return failure(QStringLiteral("a debug hit names its file and line"));
    hit.function = text(document, "function");
    if (const auto stack = document.find("stack"); stack != document.end() && stack->is_array()) {
        for (const auto &frame : *stack) {
            if (hit.stack.size() >= MaxFrames)
                break;
            if (frame.is_object())
                hit.stack.append(
                    {text(frame, "file"), number(frame, "line"), text(frame, "function"),
                     hit.stack.size() < MaxFramesWithLocals ? variables(frame, "locals") : DebugHit::Variables(),
                     number(frame, "folded")});
        }
    }
    hit.foldedOuter = number(document, "foldedOuter");
    hit.locals = variables(document, "locals");
    hit.parts = parts(document);
    hit.globals = variables(document, "globals");
    hit.exception = text(document, "exception");
    hit.exceptionKind = text(document, "exceptionKind");
    if (const auto evaluated = document.find("evaluated"); evaluated != document.end() && evaluated->is_object()) {
        hit.evaluated = DebugHit::Evaluation{text(*evaluated, "expression"), text(*evaluated, "value"),
                                             text(*evaluated, "error"), number(*evaluated, "frame")};
    }
    hit.localsMissing = text(document, "localsMissing");
    if (const auto last = document.find("lastRecorded"); last != document.end() && last->is_boolean())
        hit.lastRecorded = last->get<bool>();
    hit.log = text(document, "log");
    hit.value = text(document, "value");
    hit.error = text(document, "valueError");
    if (hit.error.isEmpty())
        hit.error = text(document, "conditionError");
    return hit;
}

} // namespace Loom::Runtime
