#pragma once

#include "commandline.h"

namespace Loom::Runtime {
class VendorFiles;
}

namespace Loom::App {

// `loom packages DIR`: the Pyodide packages the project's configs ask for, resolved with their
// dependencies from the lock, and which of them are in Loom's package cache. --fetch downloads
// what is missing (a line per file), --json prints the listing as JSON, --clear empties the
// cache. Exit code 4 when a fetch fails or the cache cannot be cleared.
ExitCode packagesCommand(const CommandLine &commandLine, const Runtime::VendorFiles &runtime);

} // namespace Loom::App
