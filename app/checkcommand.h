#pragma once

#include "commandline.h"

namespace Loom::App {

// `loom check DIR`: prints each problem found before the page runs, FILE:LINE:COL: severity:
// message [kind], then a count. Exit code 1 when there are errors (warnings alone pass).
ExitCode checkCommand(const CommandLine &commandLine);

} // namespace Loom::App
