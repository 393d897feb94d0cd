#pragma once

// nlohmann/json views of the runtime models, for reports and exports. Internal to runtime/:
// ui/ never includes this header.
#include "calllog.h"
#include "consolelog.h"
#include "responsiveness.h"
#include "workerregistry.h"

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

nlohmann::ordered_json locationsToJson(const QList<SourceLocation> &locations);
nlohmann::ordered_json callsToJson(const QList<CallRecord> &calls);
nlohmann::ordered_json workersToJson(const QList<WorkerInfo> &workers);
nlohmann::ordered_json consoleToJson(const QList<ConsoleEntry> &entries);
nlohmann::ordered_json responsivenessToJson(const Responsiveness &responsiveness);

} // namespace Loom::Runtime
