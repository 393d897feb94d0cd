#pragma once

#include "commandline.h"

#include "runtime/run/scenario.h"
#include "runtime/vendor/vendorfiles.h"

namespace Loom::App {

// `loom run --headless`: serves the project, drives its page, prints what happens as it
// happens, writes the report, and returns the exit code. Needs a QGuiApplication.
ExitCode runHeadless(const CommandLine &commandLine, const Runtime::VendorFiles &runtime, const QString &projectDir,
                     const Runtime::Scenario &scenario);

// `loom serve`: the dev server alone, until SIGINT or SIGTERM.
ExitCode serve(const CommandLine &commandLine, const Runtime::VendorFiles &runtime);

} // namespace Loom::App
