#include "runtime/bridge/pageevent.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
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

// A records event's "fns": the worker's export names by index, which its calls of numbers name
// them by. An entry that is not a name of up to MaxExportName characters is left empty: a record
// naming it is rejected.
QStringList exportNames(const Json &event)
{
    QStringList names;
    const auto it = event.find("fns");
    if (it == event.end() || !it->is_array())
        return names;
    for (const Json &name : *it) {
        if (names.size() == EventLimits::MaxExportNames)
            break;
        const bool usable = name.is_string() && !name.get_ref<const std::string &>().empty()
                            && name.get_ref<const std::string &>().size() <= 4 * EventLimits::MaxExportName;
        names.append(usable ? QString::fromStdString(name.get<std::string>()) : QString());
        if (names.last().size() > EventLimits::MaxExportName)
            names.last().clear();
    }
    return names;
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

// ---- records: a worker's held events as its log holds them (instrument.js, decodeLog) --------
// 8-byte slots in this machine's byte order (the page runs here). A record starts with a slot of
// two 32-bit integers, its kind and its size in slots; then its fields, doubles; a value is two
// slots: 0 and a number, or 1 and a length, followed by that many UTF-16 characters, four a slot.
// A call of numbers packs its id (32 bits), the count of arguments and its export's index (16
// each) in one slot, then its time, the arguments, and once it returned a number, its end's time
// and the number (its ms: the two times' difference).
constexpr qint32 CallStartRecord = 1, CallEndRecord = 2, EventRecord = 3, NumberCallRecord = 4;

class RecordReader
{
public:
    explicit RecordReader(std::string_view bytes)
        : m_bytes(bytes)
        , m_slots(bytes.size() / 8)
    {}

    bool atEnd() const { return m_at >= m_slots; }

    // The next record's kind, its fields readable until its end; false if it makes no sense.
    bool next(qint32 *kind)
    {
        if (m_at >= m_slots)
            return false;
        const qint32 size = integer(m_at, 1);
        if (size < 1 || size_t(size) > m_slots - m_at)
            return false;
        *kind = integer(m_at, 0);
        m_end = m_at + size_t(size);
        m_field = m_at + 1;
        m_at = m_end;
        return true;
    }

    // The next field as its 32-bit halves.
    std::optional<std::pair<qint32, quint32>> halves()
    {
        if (m_field >= m_end)
            return std::nullopt;
        const auto both = std::pair(integer(m_field, 0), quint32(integer(m_field, 1)));
        ++m_field;
        return both;
    }

    std::optional<double> number()
    {
        if (m_field >= m_end)
            return std::nullopt;
        return slot(m_field++);
    }

    // A value as text: a number as the page would print it.
    std::optional<QString> value()
    {
        if (m_field + 2 > m_end)
            return std::nullopt;
        const double tag = slot(m_field);
        const double length = slot(m_field + 1);
        m_field += 2;
        if (tag == 0)
            return javaScriptNumberText(length);
        if (tag != 1)
            return std::nullopt;
        return characters(length);
    }

    // `length` UTF-16 characters, four a slot.
    std::optional<QString> characters(double length)
    {
        if (!(length >= 0) || length != std::floor(length) || length > double(m_end - m_field) * 4)
            return std::nullopt;
        const auto n = qsizetype(length);
        const qsizetype kept = std::min(n, EventLimits::MaxText);
        QString text(kept, Qt::Uninitialized);
        std::memcpy(text.data(), m_bytes.data() + m_field * 8, size_t(kept) * 2);
        if (n > kept)
            text += u'…';
        m_field += size_t((n + 3) / 4);
        return text;
    }

    size_t fieldsLeft() const { return m_end - m_field; }

private:
    double slot(size_t index) const
    {
        double value;
        std::memcpy(&value, m_bytes.data() + index * 8, 8);
        return value;
    }

    qint32 integer(size_t index, size_t half) const
    {
        qint32 value;
        std::memcpy(&value, m_bytes.data() + index * 8 + half * 4, 4);
        return value;
    }

    std::string_view m_bytes;
    size_t m_slots;
    size_t m_at = 0;
    size_t m_end = 0;
    size_t m_field = 0;
};

// A call's event of the given kind with the id and time a record starts with; nullopt if they
// are missing or out of range.
std::optional<PageEvent> callEvent(RecordReader &reader, Kind kind, int worker, double origin)
{
    PageEvent event;
    event.kind = kind;
    event.worker = worker;
    const auto id = reader.number();
    const auto at = reader.number();
    if (!id || !at || *id < 1 || *id > std::numeric_limits<int>::max() || *id != std::floor(*id))
        return std::nullopt;
    event.callId = int(*id);
    event.t = origin + *at;
    if (!std::isfinite(event.t) || event.t < 0)
        return std::nullopt;
    return event;
}

// A call's start or end from its record; nullopt if a field is missing or out of range.
std::optional<PageEvent> callFromRecord(RecordReader &reader, bool start, int worker, double origin)
{
    auto call = callEvent(reader, start ? Kind::CallStart : Kind::CallEnd, worker, origin);
    if (!call)
        return std::nullopt;
    PageEvent &event = *call;
    if (start) {
        const auto name = reader.value();
        const auto count = reader.number();
        if (!name || name->isEmpty() || !count || !(*count >= 0))
            return std::nullopt;
        event.name = *name;
        for (double i = 0; i < *count; ++i) {
            auto arg = reader.value();
            if (!arg)
                return std::nullopt;
            if (event.args.size() < EventLimits::MaxArgs)
                event.args.append(std::move(*arg));
        }
        return event;
    }
    const auto ms = reader.number();
    const auto ok = reader.number();
    const auto name = reader.value();
    auto body = reader.value();
    if (!ms || !std::isfinite(*ms) || !ok || (*ok != 0 && *ok != 1) || !name || name->isEmpty() || !body)
        return std::nullopt;
    event.ms = *ms;
    event.ok = *ok == 1;
    event.name = *name;
    event.text = std::move(*body);
    return event;
}

// A call of numbers: its start, and its end if it returned; empty if a field is missing or out of
// range, its export is not among `exports`, or the record holds more or less than its fields.
QList<PageEvent> numberCallFromRecord(RecordReader &reader, int worker, double origin, const QStringList &exports)
{
    const auto packed = reader.halves();
    const auto at = reader.number();
    if (!packed || !at || packed->first < 1)
        return {};
    const quint32 count = packed->second & 0xffff;
    const quint32 index = packed->second >> 16;
    if (index >= quint32(exports.size()) || exports[index].isEmpty()
        || (reader.fieldsLeft() != count && reader.fieldsLeft() != count + 2))
        return {};
    PageEvent start;
    start.kind = Kind::CallStart;
    start.worker = worker;
    start.callId = packed->first;
    start.t = origin + *at;
    if (!std::isfinite(start.t) || start.t < 0)
        return {};
    start.name = exports[index];
    for (quint32 i = 0; i < count; ++i) {
        const double arg = *reader.number();
        if (start.args.size() < EventLimits::MaxArgs)
            start.args.append(javaScriptNumberText(arg));
    }
    if (reader.fieldsLeft() == 0)
        return {start};
    const double end = *reader.number();
    const double result = *reader.number();
    if (!std::isfinite(origin + end) || end < *at)
        return {};
    PageEvent ended;
    ended.kind = Kind::CallEnd;
    ended.worker = worker;
    ended.callId = start.callId;
    ended.t = origin + end;
    ended.ms = end - *at;
    ended.ok = true;
    ended.name = start.name;
    ended.text = javaScriptNumberText(result);
    return {std::move(start), std::move(ended)};
}

} // namespace

// ECMAScript's Number::toString: the shortest digits that read back as the number (as
// std::to_chars gives them), placed as JavaScript places them.
QString javaScriptNumberText(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value < 0 ? QStringLiteral("-Infinity") : QStringLiteral("Infinity");
    if (value == 0)
        return QStringLiteral("0"); // -0 too
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, std::abs(value),
                                            std::chars_format::scientific);
    if (error != std::errc())
        return QString::number(value);
    const std::string_view scientific(buffer, size_t(end - buffer)); // d[.ddd]e±XX
    const size_t e = scientific.find('e');
    std::string digits(scientific.substr(0, e));
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    const int k = int(digits.size());
    const int n = std::stoi(std::string(scientific.substr(e + 1))) + 1; // the point after n digits
    std::string text = value < 0 ? "-" : "";
    if (k <= n && n <= 21) {
        text += digits + std::string(size_t(n - k), '0');
    } else if (0 < n && n <= 21) {
        text += digits.substr(0, size_t(n)) + '.' + digits.substr(size_t(n));
    } else if (-6 < n && n <= 0) {
        text += "0." + std::string(size_t(-n), '0') + digits;
    } else {
        text += digits.substr(0, 1);
        if (k > 1)
            text += '.' + digits.substr(1);
        text += (n - 1 < 0 ? "e-" : "e+") + std::to_string(std::abs(n - 1));
    }
    return QString::fromLatin1(text);
}

QStringList pageEventKindNames()
{
    QStringList names;
    for (const auto &[name, kind] : KindNames)
        names.append(QString::fromLatin1(name));
    names.append(QStringLiteral("call"));    // read as a call-start and a call-end
    names.append(QStringLiteral("records")); // read as the events of a worker's records
    return names;
}

Result<EventBatch> parseEventBatch(std::string_view json, std::string_view records)
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
    batch.last = document.value("last", Json()) == Json(true);
    const Json &events = document["events"];
    const auto room = [&batch](qsizetype size) {
        if (batch.events.size() + size <= EventLimits::MaxEventsPerBatch)
            return true;
        ++batch.rejected;
        return false;
    };
    size_t recordsRead = 0;
    for (const Json &event : events) {
        if (event.is_object() && event.value("k", Json()) == "records") {
            // Their bytes come next in `records`; a count that does not fit is not a batch.
            const auto bytes = number(event, "b", true);
            if (!bytes || *bytes < 0 || *bytes != std::floor(*bytes) || std::fmod(*bytes, 8) != 0
                || *bytes > double(records.size() - recordsRead))
                return failure(QStringLiteral("the batch's records do not match its \"records\" events"));
            RecordReader reader(records.substr(recordsRead, size_t(*bytes)));
            recordsRead += size_t(*bytes);
            const auto worker = boundedInt(event, "w", 1, EventLimits::MaxWorkerId, true);
            const auto origin = number(event, "o", true);
            const QStringList exports = exportNames(event);
            qint32 kind = 0;
            while (!reader.atEnd()) {
                if (!reader.next(&kind)) { // the rest cannot be read: one rejected for it
                    ++batch.rejected;
                    break;
                }
                if (!worker || !origin || *origin < 0) {
                    ++batch.rejected;
                    continue;
                }
                if (kind == NumberCallRecord) {
                    auto calls = numberCallFromRecord(reader, *worker, *origin, exports);
                    if (calls.isEmpty())
                        ++batch.rejected;
                    else if (room(calls.size()))
                        batch.events.append(std::move(calls));
                } else if (kind == CallStartRecord || kind == CallEndRecord) {
                    auto call = callFromRecord(reader, kind == CallStartRecord, *worker, *origin);
                    if (!call)
                        ++batch.rejected;
                    else if (room(1))
                        batch.events.append(std::move(*call));
                } else if (kind == EventRecord) {
                    const auto line = reader.value();
                    Json held = line ? Json::parse(line->toStdString(), nullptr, false) : Json();
                    Kind heldKind = Kind::Page;
                    if (!held.is_object() || shapeOf(held, &heldKind) != Shape::One) {
                        ++batch.rejected;
                        continue;
                    }
                    held["w"] = *worker;
                    auto parsed = parseEvent(held, heldKind);
                    if (!parsed)
                        ++batch.rejected;
                    else if (room(1))
                        batch.events.append(std::move(*parsed));
                } else {
                    ++batch.rejected;
                }
            }
            continue;
        }
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
    if (recordsRead != records.size())
        return failure(QStringLiteral("the batch's records do not match its \"records\" events"));
    return batch;
}

Result<EventBatch> parseRecordBatch(std::string_view body)
{
    const size_t newline = body.find('\n');
    if (newline == std::string_view::npos)
        return failure(QStringLiteral("the batch has no records after its JSON"));
    return parseEventBatch(body.substr(0, newline), body.substr(newline + 1));
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
