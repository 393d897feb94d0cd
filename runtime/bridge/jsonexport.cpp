#include "runtime/bridge/jsonexport.h"

#include <cmath>
#include <utility>

namespace Loom::Runtime {

namespace {
std::string s(const QString &text)
{
    return text.toStdString();
}

nlohmann::ordered_json strings(const QStringList &list, qsizetype maxText)
{
    auto array = nlohmann::ordered_json::array();
    for (const QString &item : list)
        array.push_back(cutText(item, maxText));
    return array;
}

nlohmann::ordered_json ms(double value)
{
    return value < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(std::round(value * 100) / 100);
}
} // namespace

std::string cutText(const QString &text, qsizetype maxText)
{
    if (maxText < 0 || text.size() <= maxText)
        return text.toStdString();
    return QString(text.left(maxText) + QStringLiteral("… [%1 more characters]").arg(text.size() - maxText))
        .toStdString();
}

nlohmann::ordered_json locationsToJson(const QList<SourceLocation> &locations)
{
    auto array = nlohmann::ordered_json::array();
    for (const SourceLocation &location : locations)
        array.push_back({{"file", s(location.file)}, {"line", location.line}, {"function", s(location.function)}});
    return array;
}

nlohmann::ordered_json callsToJson(const QList<CallRecord> &calls, qsizetype maxText)
{
    auto array = nlohmann::ordered_json::array();
    for (const CallRecord &call : calls) {
        nlohmann::ordered_json json{{"worker", s(call.workerName)},
                                    {"id", call.callId},
                                    {"function", s(call.function)},
                                    {"args", strings(call.args, maxText)},
                                    {"startedAt", ms(call.startedAt)},
                                    {"workerMs", ms(call.workerMs)},
                                    {"mainMs", ms(call.mainMs)},
                                    {"finished", call.finished},
                                    {"ok", call.ok}};
        if (call.ok)
            json["result"] = cutText(call.result, maxText);
        else if (call.finished) {
            json["error"] = cutText(call.error, maxText);
            json["explanation"] = s(call.explanation);
            json["locations"] = locationsToJson(call.locations);
        }
        array.push_back(std::move(json));
    }
    return array;
}

nlohmann::ordered_json workersToJson(const QList<WorkerInfo> &workers)
{
    auto array = nlohmann::ordered_json::array();
    for (const WorkerInfo &worker : workers) {
        array.push_back(
            {{"id", worker.id},
             {"name", s(worker.name)},
             {"type", s(worker.type)},
             {"src", s(worker.src)},
             {"config", s(worker.config)},
             {"line", worker.tagLine > 0 ? nlohmann::ordered_json(worker.tagLine) : nlohmann::ordered_json(nullptr)},
             {"state", s(workerStateName(worker.state))},
             {"createdAt", ms(worker.createdAt)},
             {"interpreterReadyMs", ms(worker.interpreterAt > 0 ? worker.interpreterAt - worker.createdAt : -1)},
             {"timeToReadyMs", ms(worker.timeToReadyMs())},
             {"exports", strings(worker.exports, -1)},
             {"calls", worker.calls},
             {"inFlight", worker.inFlight},
             {"meanMs", ms(worker.meanMs())},
             {"maxMs", ms(worker.maxMs)},
             {"lastError", s(worker.lastError)},
             {"lastErrorLocations", locationsToJson(worker.lastErrorLocations)}});
    }
    return array;
}

nlohmann::ordered_json consoleToJson(const QList<ConsoleEntry> &entries, qsizetype maxText)
{
    auto array = nlohmann::ordered_json::array();
    for (const ConsoleEntry &entry : entries) {
        nlohmann::ordered_json json{{"t", ms(entry.t)},
                                    {"source", s(entry.source)},
                                    {"stream", entry.isError ? "stderr" : "stdout"},
                                    {"text", cutText(entry.text, maxText)}};
        if (!entry.locations.isEmpty())
            json["locations"] = locationsToJson(entry.locations);
        if (!entry.explanation.isEmpty())
            json["explanation"] = s(entry.explanation);
        if (!entry.call.isEmpty())
            json["call"] = s(entry.call);
        array.push_back(std::move(json));
    }
    return array;
}

nlohmann::ordered_json responsivenessToJson(const Responsiveness &responsiveness)
{
    auto recent = nlohmann::ordered_json::array();
    for (const Responsiveness::Sample &sample : responsiveness.samples())
        recent.push_back({{"t", ms(sample.t)}, {"lagMs", sample.lagMs}, {"longTasks", sample.longTasks}});
    // The level of the worst stall, as the run's summary line says it; a main thread blocked
    // when the run ended counts, for as long as it had not answered.
    return {{"level", levelName(responsiveness.worstLevel())},
            {"worstStallMs", responsiveness.worstStallMs()},
            {"blockedAtEndMs", responsiveness.blockedAtEndMs()},
            {"longTasks", responsiveness.longTaskCount()},
            {"samples", responsiveness.sampleCount()},
            {"thresholdsMs", {{"amber", Responsiveness::AmberMs}, {"red", Responsiveness::RedMs}}},
            {"recent", recent}};
}

} // namespace Loom::Runtime
