#include "checkcommand.h"

#include "runtime/packages/projectpackages.h"
#include "runtime/project/projectcheck.h"
#include "runtime/vendor/vendorfiles.h"

#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace Loom::App {

ExitCode checkCommand(const CommandLine &cl)
{
    if (!QFileInfo(cl.projectDir).isDir()) {
        std::fprintf(stderr, "error: %s is not a folder\n", qPrintable(cl.projectDir));
        return ExitCode::Usage;
    }
    Runtime::CheckInput input{QDir(cl.projectDir).absolutePath(), {}, !cl.online};
    // Offline, a package counts as missing unless Loom's package cache holds it.
    if (auto runtime = Runtime::VendorFiles::load(Runtime::VendorFiles::defaultDir()))
        input.packagesReady = Runtime::readyPackages(*runtime);
    auto diagnostics = Runtime::checkProject(input);
    if (!diagnostics) {
        std::fprintf(stderr, "error: %s\n", qPrintable(diagnostics.error()));
        return ExitCode::Environment;
    }
    int errors = 0;
    for (const Runtime::Diagnostic &diagnostic : std::as_const(*diagnostics)) {
        std::printf("%s\n", qPrintable(diagnostic.toString()));
        errors += diagnostic.severity == Runtime::Diagnostic::Severity::Error ? 1 : 0;
    }
    const qsizetype warnings = diagnostics->size() - errors;
    std::printf("Loom: %s: %d error(s), %lld warning(s)\n", qPrintable(QDir::toNativeSeparators(cl.projectDir)), errors,
                static_cast<long long>(warnings));
    return errors > 0 ? ExitCode::PageError : ExitCode::Success;
}

} // namespace Loom::App
