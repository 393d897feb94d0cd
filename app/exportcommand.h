#pragma once

#include "commandline.h"

namespace Loom::Runtime {
class VendorFiles;
}

namespace Loom::App {

// `loom export DIR OUT`: writes the static site and prints what was written, file by file.
ExitCode exportProject(const CommandLine &commandLine, const Runtime::VendorFiles &runtime);

} // namespace Loom::App
