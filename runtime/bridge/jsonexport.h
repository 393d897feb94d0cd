#pragma once

// nlohmann/json views of the runtime models, for reports and exports. Internal to runtime/:
// ui/ never includes this header.
#include "runtime/bridge/calllog.h"
#include "runtime/bridge/consolelog.h"
#include "runtime/bridge/responsiveness.h"
#include "runtime/bridge/workerregistry.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

nlohmann::ordered_json locationsToJson(const QList<SourceLocation> &locations);
// maxText >= 0: each text (arguments, results, errors, console lines) cut to that many characters,
// with how many were left out (for a report that would pass its size cap).
nlohmann::ordered_json callsToJson(const QList<CallRecord> &calls, qsizetype maxText = -1);
nlohmann::ordered_json workersToJson(const QList<WorkerInfo> &workers);
nlohmann::ordered_json consoleToJson(const QList<ConsoleEntry> &entries, qsizetype maxText = -1);
std::string cutText(const QString &text, qsizetype maxText);
nlohmann::ordered_json responsivenessToJson(const Responsiveness &responsiveness);

} // namespace Loom::Runtime
