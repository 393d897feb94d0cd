#include "runtime/run/runreport.h"

#include "runtime/bridge/jsonexport.h"
#include "runtime/bridge/pagesession.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace Loom::Runtime {

namespace {
std::string utf8(const QString &text)
{
    return text.toStdString();
}

const char *levelName(ConsoleLine::Level level)
{
    switch (level) {
    case ConsoleLine::Level::Info:
        return "info";
    case ConsoleLine::Level::Warning:
        return "warning";
    case ConsoleLine::Level::Error:
        return "error";
    }
    return "info";
}
} // namespace

void RunReport::setProject(const QString &projectDir, const QUrl &url)
{
    m_projectDir = projectDir;
    m_url = url;
}

void RunReport::addConsoleLine(const ConsoleLine &line)
{
    const qsizetype bytes = qsizetype(sizeof(ConsoleLine)) + 2 * line.text.size();
    if (m_console.size() >= MaxConsoleLines || m_consoleBytes + bytes > MaxConsoleBytes) {
        ++m_droppedConsole;
        return;
    }
    m_consoleBytes += bytes;
    m_console.append(line);
}

void RunReport::addNote(const QString &note)
{
    if (!m_notes.contains(note))
        m_notes.append(note);
}

void RunReport::setOutcome(const RunOutcome &outcome)
{
    m_outcome = outcome;
}

QByteArray RunReport::toJson() const
{
    QByteArray full = toJson(-1);
    if (full.size() <= MaxReportBytes)
        return full;
    full.clear();
    full.squeeze();
    return toJson(ShortTextChars);
}

QByteArray RunReport::toJson(qsizetype maxText) const
{
    nlohmann::ordered_json json;
    json["schema"] = "loom-run-report/1";
    json["project"] = utf8(m_projectDir);
    json["url"] = utf8(m_url.toString());
    json["status"] = utf8(statusName(m_outcome.status));
    json["message"] = utf8(m_outcome.message);
    json["crossOriginIsolated"] = m_outcome.crossOriginIsolated ? nlohmann::ordered_json(*m_outcome.crossOriginIsolated)
                                                                : nlohmann::ordered_json(nullptr);
    json["timings"] = {{"loadMs", m_outcome.loadMs}, {"totalMs", m_outcome.totalMs}};
    json["pythonErrors"] = m_outcome.pythonErrors;
    json["javaScriptErrors"] = m_outcome.javaScriptErrors;

    auto steps = nlohmann::ordered_json::array();
    for (const StepOutcome &step : m_outcome.steps)
        steps.push_back(
            {{"step", utf8(step.step.describe())}, {"ok", step.ok}, {"ms", step.ms}, {"text", utf8(step.text)}});
    json["steps"] = std::move(steps);
    auto unmet = nlohmann::ordered_json::array();
    for (const QString &message : m_expectUnmet)
        unmet.push_back(utf8(message));
    json["expect"] = {{"checked", m_expectChecked}, {"unmet", unmet}};

    auto console = nlohmann::ordered_json::array();
    for (const ConsoleLine &line : m_console) {
        console.push_back({{"ms", line.ms},
                           {"thread", line.fromWorker ? "worker" : "main"},
                           {"level", levelName(line.level)},
                           {"text", cutText(line.text, maxText)}});
    }
    if (m_session) {
        json["workers"] = workersToJson(m_session->workers().workers());
        json["calls"] = callsToJson(m_session->calls().filtered({}), maxText);
        json["callsDropped"] = m_session->calls().dropped();
        json["console"] = consoleToJson(m_session->console().entries(), maxText);
        json["consoleDropped"] = m_session->console().dropped();
        json["responsiveness"] = responsivenessToJson(m_session->responsiveness());
        const BridgeCounters counters = m_session->counters();
        json["bridge"] = {{"events", counters.received},
                          {"droppedInPage", counters.pageDropped},
                          {"droppedInLoom", counters.inboxDropped},
                          {"rejected", counters.rejected},
                          {"resentBatches", counters.resent},
                          {"droppedPastWorkerCap", m_session->workers().droppedEvents()}};
        if (const QList<DebugHit> hits = m_session->debugHits(); !hits.isEmpty()) {
            auto points = nlohmann::ordered_json::array();
            for (const DebugHit &hit : hits) {
                nlohmann::ordered_json entry = {{"thread", hit.thread.toStdString()}};
                if (!hit.unavailable.isEmpty() || !hit.notice.isEmpty()) {
                    entry[hit.notice.isEmpty() ? "unavailable" : "notice"] =
                        (hit.notice.isEmpty() ? hit.unavailable : hit.notice).toStdString();
                    points.push_back(std::move(entry));
                    continue;
                }
                entry["file"] = hit.file.toStdString();
                entry["line"] = hit.line;
                entry["function"] = hit.function.toStdString();
                auto stack = nlohmann::ordered_json::array();
                for (const DebugHit::Frame &frame : hit.stack)
                    stack.push_back({{"file", frame.file.toStdString()},
                                     {"line", frame.line},
                                     {"function", frame.function.toStdString()}});
                entry["stack"] = std::move(stack);
                if (hit.localsMissing.isEmpty()) {
                    auto locals = nlohmann::ordered_json::object();
                    for (const auto &[name, value] : hit.locals)
                        locals[name.toStdString()] = cutText(value, maxText);
                    entry["locals"] = std::move(locals);
                } else {
                    entry["localsMissing"] = hit.localsMissing.toStdString();
                }
                if (!hit.log.isEmpty()) {
                    entry["log"] = hit.log.toStdString();
                    entry["value"] = hit.value.toStdString();
                }
                if (!hit.error.isEmpty())
                    entry["error"] = hit.error.toStdString();
                if (!hit.exception.isEmpty()) {
                    entry["exception"] = cutText(hit.exception, maxText);
                    entry["exceptionKind"] = hit.exceptionKind.toStdString();
                }
                if (hit.lastRecorded)
                    entry["lastRecorded"] = true;
                entry["ms"] = hit.t - m_session->pageStartedAt();
                points.push_back(std::move(entry));
            }
            json["breakpoints"] = std::move(points);
            json["breakpointsDropped"] = m_session->debugHitsDropped();
        }
    }
    json["jsConsole"] = std::move(console);
    json["jsConsoleDropped"] = m_droppedConsole;

    auto external = nlohmann::ordered_json::array();
    for (const QString &url : m_network.external)
        external.push_back(utf8(url));
    auto failed = nlohmann::ordered_json::array();
    for (const FailedLoad &load : m_outcome.failedLoads) {
        failed.push_back(
            {{"ms", load.ms}, {"url", utf8(load.url)}, {"thread", utf8(load.thread)}, {"reason", utf8(load.reason)}});
    }
    json["network"] = {{"mappedToRuntime", m_network.mapped},
                       {"external", external},
                       {"externalCount", m_network.externalCount},
                       {"failedLoads", failed}};

    auto notes = nlohmann::ordered_json::array();
    for (const QString &note : m_notes)
        notes.push_back(utf8(note));
    json["notes"] = notes;
    // Past MaxReportBytes, every text was cut to this many characters.
    json["truncated"] = maxText >= 0 ? nlohmann::ordered_json(maxText) : nlohmann::ordered_json(false);
    return QByteArray::fromStdString(json.dump(2)) + '\n';
}

} // namespace Loom::Runtime
