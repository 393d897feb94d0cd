#pragma once

#include "commandline.h"

namespace Loom::Runtime {
class RuntimeFiles;
}

namespace Loom::App {

// `loom export DIR OUT`: writes the static site and prints what was written, file by file.
ExitCode exportProject(const CommandLine &commandLine, const Runtime::RuntimeFiles &runtime);

} // namespace Loom::App
