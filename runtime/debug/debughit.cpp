#include "runtime/debug/debughit.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

namespace {
constexpr qsizetype MaxText = 4096;
constexpr int MaxFrames = 64;
constexpr int MaxLocals = 64;

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
    hit.file = text(document, "file");
    hit.line = number(document, "line");
    if (hit.unavailable.isEmpty() && (hit.file.isEmpty() || hit.line == 0))
        return failure(QStringLiteral("a debug hit names its file and line"));
    hit.function = text(document, "function");
    if (const auto stack = document.find("stack"); stack != document.end() && stack->is_array()) {
        for (const auto &frame : *stack) {
            if (hit.stack.size() >= MaxFrames)
                break;
            if (frame.is_object())
                hit.stack.append({text(frame, "file"), number(frame, "line"), text(frame, "function")});
        }
    }
    if (const auto locals = document.find("locals"); locals != document.end() && locals->is_object()) {
        for (const auto &[name, value] : locals->items()) {
            if (hit.locals.size() >= MaxLocals)
                break;
            if (value.is_string())
                hit.locals.append({QString::fromStdString(name).left(200),
                                   QString::fromStdString(value.get<std::string>()).left(MaxText)});
        }
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
