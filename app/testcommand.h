#pragma once

#include "commandline.h"

namespace Loom::App {

// `loom test [PATH...]`: finds the projects with a scenario under the PATHs (testprojects.h),
// keeps the shard's, runs each as its own `loom run DIR --headless --report R` process, -j at a
// time, prints a line as each ends and a table at the end, and writes the JUnit XML. Exit code 0
// when every project passed, 1 when one did not, 2 usage (no project found), 4 environment.
// Needs a QCoreApplication.
ExitCode testCommand(const CommandLine &commandLine);

} // namespace Loom::App
