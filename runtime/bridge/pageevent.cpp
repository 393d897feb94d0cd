#include "runtime/bridge/pageevent.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <utility>

namespace Loom::Runtime {

namespace {

using Json = nlohmann::json;
using Kind = PageEvent::Kind;

// The wire format is defined in resources/bridge/events.schema.json: what this parser accepts
// follows it (tst_pageevent checks the kinds and the schema's examples).
const std::pair<const char *, Kind> KindNames[] = {
    {"page", Kind::Page},
    {"main-ready", Kind::MainReady},
    {"main-run", Kind::MainRun},
    {"worker-created", Kind::WorkerCreated},
    {"worker-interpreter", Kind::WorkerInterpreter},
    {"export", Kind::WorkerExport},
    {"worker-ready", Kind::WorkerReady},
    {"worker-failed", Kind::WorkerFailed},
    {"worker-error", Kind::WorkerError},
    {"worker-stopped", Kind::WorkerStopped},
    {"call-start", Kind::CallStart},
    {"call-end", Kind::CallEnd},
    {"stdout", Kind::Stdout},
    {"stderr", Kind::Stderr},
    {"resp", Kind::Responsiveness},
};

bool isWorkerKind(Kind kind)
{
    switch (kind) {
    case Kind::Page:
    case Kind::MainReady:
    case Kind::MainRun:
    case Kind::Responsiveness:
        return false;
    case Kind::Stdout:
    case Kind::Stderr:
        return false; // either: checked separately
    default:
        return true;
    }
}

// A field that must be a string, if present. nullopt: wrong type (the event is malformed).
std::optional<QString> text(const Json &event, const char *key, bool required = false)
{
    const auto it = event.find(key);
    if (it == event.end())
        return required ? std::nullopt : std::optional<QString>(QString());
    if (!it->is_string())
        return std::nullopt;
    const std::string &value = it->get_ref<const std::string &>();
    QString result = QString::fromUtf8(value.data(), qsizetype(std::min<size_t>(value.size(), EventLimits::MaxText)));
    if (qsizetype(value.size()) > EventLimits::MaxText)
        result += u'…';
    return result;
}

std::optional<double> number(const Json &event, const char *key, bool required = false, double fallback = -1)
{
    const auto it = event.find(key);
    if (it == event.end())
        return required ? std::nullopt : std::optional<double>(fallback);
    if (!it->is_number())
        return std::nullopt;
    const double value = it->get<double>();
    if (!std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<int> boundedInt(const Json &event, const char *key, int low, int high, bool required)
{
    const auto value = number(event, key, required, 0);
    if (!value || *value < low || *value > high || *value != std::floor(*value))
        return std::nullopt;
    return int(*value);
}

std::optional<bool> flag(const Json &event, const char *key)
{
    const auto it = event.find(key);
    if (it == event.end())
        return false;
    if (!it->is_boolean())
        return std::nullopt;
    return it->get<bool>();
}

std::optional<ScriptRef> script(const Json &event)
{
    const auto it = event.find("script");
    if (it == event.end())
        return ScriptRef{};
    if (!it->is_object())
        return std::nullopt;
    ScriptRef ref;
    for (auto [key, target] : {std::pair{"id", &ref.id}, std::pair{"src", &ref.src}, std::pair{"type", &ref.type},
                               std::pair{"name", &ref.name}, std::pair{"config", &ref.config}}) {
        const auto value = text(*it, key);
        if (!value)
            return std::nullopt;
        *target = *value;
    }
    const auto index = boundedInt(*it, "index", -1, 1'000'000, false);
    if (!index)
        return std::nullopt;
    ref.index = it->contains("index") ? *index : -1;
    return ref;
}

// The event's kind; "call" (a call of a burst, its start and end in one event) is read as both.
enum class Shape { Unknown, One, Call };

Shape shapeOf(const Json &event, Kind *kind)
{
    if (!event.is_object())
        return Shape::Unknown;
    const auto kindName = event.find("k");
    if (kindName == event.end() || !kindName->is_string())
        return Shape::Unknown;
    if (*kindName == "call")
        return Shape::Call;
    for (const auto &[name, known] : KindNames) {
        if (*kindName == name) {
            *kind = known;
            return Shape::One;
        }
    }
    return Shape::Unknown;
}

// One event of the given kind, its time from timeKey ("te" is a call's end in a "call" event).
std::optional<PageEvent> parseEvent(const Json &event, Kind kind, const char *timeKey = "t")
{
    PageEvent result;
    result.kind = kind;
    const auto t = number(event, timeKey, true);
    if (!t || *t < 0)
        return std::nullopt;
    result.t = *t;

    const bool io = result.kind == Kind::Stdout || result.kind == Kind::Stderr;
    const auto worker = boundedInt(event, "w", isWorkerKind(result.kind) ? 1 : 0, EventLimits::MaxWorkerId,
                                   isWorkerKind(result.kind));
    if (!worker)
        return std::nullopt;
    result.worker = *worker;

    const auto thread = text(event, "thread");
    const auto name = text(event, "fn");
    const auto type = text(event, "type");
    const auto ref = script(event);
    if (!thread || !name || !type || !ref)
        return std::nullopt;
    result.thread = *thread;
    result.name = *name;
    result.type = *type;
    result.script = *ref;
    if (io && result.worker == 0 && !result.thread.startsWith(u"main:"))
        return std::nullopt; // io must say whose it is

    switch (result.kind) {
    case Kind::Page: {
        const auto isolated = flag(event, "isolated");
        const auto sab = flag(event, "sab");
        if (!isolated || !sab)
            return std::nullopt;
        result.isolated = *isolated;
        result.sharedArrayBuffer = *sab;
        break;
    }
    case Kind::WorkerExport:
        if (result.name.isEmpty())
            return std::nullopt;
        break;
    case Kind::Stdout:
    case Kind::Stderr:
    case Kind::WorkerFailed:
    case Kind::WorkerError: {
        const auto body = text(event, "text", result.kind == Kind::Stdout || result.kind == Kind::Stderr);
        if (!body)
            return std::nullopt;
        result.text = *body;
        break;
    }
    case Kind::CallStart:
    case Kind::CallEnd: {
        const auto id = boundedInt(event, "id", 1, std::numeric_limits<int>::max(), true);
        if (!id || result.name.isEmpty())
            return std::nullopt;
        result.callId = *id;
        if (result.kind == Kind::CallStart) {
            const auto args = event.find("args");
            if (args != event.end()) {
                if (!args->is_array())
                    return std::nullopt;
                for (const Json &arg : *args) {
                    if (!arg.is_string())
                        return std::nullopt;
                    if (result.args.size() < EventLimits::MaxArgs)
                        result.args.append(QString::fromStdString(arg.get<std::string>()).left(EventLimits::MaxText));
                }
            }
        } else {
            const auto ok = flag(event, "ok");
            if (!ok)
                return std::nullopt;
            const auto body = text(event, *ok ? "result" : "error");
            const auto ms = number(event, "ms");
            const auto mainMs = number(event, "mainMs");
            if (!body || !ms || !mainMs)
                return std::nullopt;
            result.ok = *ok;
            result.text = *body;
            result.ms = *ms;
            result.mainMs = *mainMs;
        }
        break;
    }
    case Kind::Responsiveness: {
        const auto lag = boundedInt(event, "lag", 0, 24 * 3600 * 1000, true);
        const auto longTasks = boundedInt(event, "lt", 0, 1'000'000, false);
        const auto longest = boundedInt(event, "ltMax", 0, 24 * 3600 * 1000, false);
        if (!lag || !longTasks || !longest)
            return std::nullopt;
        result.lag = *lag;
        result.longTasks = *longTasks;
        result.longestTask = *longest;
        break;
    }
    default:
        break;
    }
    return result;
}

} // namespace

QStringList pageEventKindNames()
{
    QStringList names;
    for (const auto &[name, kind] : KindNames)
        names.append(QString::fromLatin1(name));
    names.append(QStringLiteral("call")); // read as a call-start and a call-end
    return names;
}

Result<EventBatch> parseEventBatch(std::string_view json)
{
    Json document = Json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded())
        return failure(QStringLiteral("the batch is not JSON"));
    if (!document.is_object() || !document.contains("events") || !document["events"].is_array())
        return failure(QStringLiteral("the batch has no \"events\" list"));

    EventBatch batch;
    // A batch id is short and printable; anything else is not an id, and the batch is taken as new.
    if (const auto id = text(document, "id"); id && id->size() <= EventLimits::MaxBatchId)
        batch.id = *id;
    // The page's own count of what its queue dropped since the last flush: bounded by what a page
    // can queue between two flushes (EventLimits::MaxDroppedPerBatch), else ignored.
    if (const auto dropped = boundedInt(document, "dropped", 0, EventLimits::MaxDroppedPerBatch, false))
        batch.droppedByPage = *dropped;
    const Json &events = document["events"];
    for (const Json &event : events) {
        Kind kind = Kind::Page;
        const Shape shape = shapeOf(event, &kind);
        const qsizetype size = shape == Shape::Call ? 2 : 1;
        if (batch.events.size() + size > EventLimits::MaxEventsPerBatch) {
            ++batch.rejected;
            continue;
        }
        if (shape == Shape::One) {
            if (auto parsed = parseEvent(event, kind))
                batch.events.append(std::move(*parsed));
            else
                ++batch.rejected;
        } else if (shape == Shape::Call) {
            auto start = parseEvent(event, Kind::CallStart);
            auto end = parseEvent(event, Kind::CallEnd, "te");
            if (start && end && end->t >= start->t) {
                batch.events.append(std::move(*start));
                batch.events.append(std::move(*end));
            } else {
                ++batch.rejected;
            }
        } else {
            ++batch.rejected;
        }
    }
    return batch;
}

qsizetype PageEvent::approxBytes() const
{
    qsizetype bytes = qsizetype(sizeof(PageEvent)) + 2 * (thread.size() + name.size() + text.size() + type.size());
    bytes += 2 * (script.name.size() + script.type.size() + script.src.size() + script.config.size());
    for (const QString &arg : args)
        bytes += qsizetype(sizeof(QString)) + 2 * arg.size();
    return bytes;
}

} // namespace Loom::Runtime
