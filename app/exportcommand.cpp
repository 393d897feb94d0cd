#include "exportcommand.h"

#include "runtime/export/siteexport.h"
#include "runtime/vendor/vendorfiles.h"

#include <QDir>
#include <QElapsedTimer>

#include <cstdio>

namespace Loom::App {

namespace {
QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / 1e6, 'f', 2) + QStringLiteral(" MB");
}
} // namespace

ExitCode exportProject(const CommandLine &commandLine, const Runtime::VendorFiles &runtime)
{
    Runtime::ExportOptions options;
    options.projectDir = commandLine.projectDir;
    options.outPath = commandLine.outPath;
    options.mode = commandLine.exportMode == u"cdn" ? Runtime::ExportMode::Cdn : Runtime::ExportMode::Bundled;
    options.zip = commandLine.zip;
    options.compiledStdlib = commandLine.compiledStdlib;
    options.force = commandLine.force;
    options.runtime = &runtime;
    options.packageProgress = [](const Runtime::PackageProgress &progress) {
        if (progress.finished && progress.error.isEmpty())
            std::printf("Loom: fetched %s into the package cache (%s)\n", qPrintable(progress.fileName),
                        qPrintable(megabytes(progress.received)));
        std::fflush(stdout);
    };

    // What the user asked for is refused as usage; what fails while writing is the environment's.
    if (auto checked = Runtime::checkExportTarget(options); !checked) {
        std::fprintf(stderr, "loom: %s\n", qPrintable(checked.error()));
        return ExitCode::Usage;
    }
    QElapsedTimer timer;
    timer.start();
    const auto report = Runtime::exportSite(options);
    if (!report) {
        std::fprintf(stderr, "loom: export failed: %s\n", qPrintable(report.error()));
        return ExitCode::Environment;
    }
    for (const Runtime::ExportedFile &file : report->files)
        std::printf("%12lld  %s\n", static_cast<long long>(file.bytes), qPrintable(file.path));
    if (!report->packages.isEmpty())
        std::printf("Loom: Pyodide packages shipped: %s\n", qPrintable(report->packages.join(QStringLiteral(", "))));
    for (const QString &note : report->notes)
        std::printf("note: %s\n", qPrintable(note));
    const QString mode = report->mode == Runtime::ExportMode::Cdn
                             ? QStringLiteral("cdn (PyScript %1 from jsDelivr)").arg(runtime.version(u"pyscript"))
                             : QStringLiteral("bundled (interpreters: %1)")
                                   .arg(report->interpreters.isEmpty()
                                            ? QStringLiteral("none")
                                            : report->interpreters.join(QStringLiteral(", ")));
    std::printf("Loom: exported %lld files, %lld bytes (%s), %s, to %s in %.2f s\n",
                static_cast<long long>(report->files.size()), static_cast<long long>(report->totalBytes),
                qPrintable(megabytes(report->totalBytes)), qPrintable(mode),
                qPrintable(QDir::toNativeSeparators(report->outPath)), double(timer.elapsed()) / 1000.0);
    if (report->zip)
        std::printf("Loom: archive %lld bytes (%s)\n", static_cast<long long>(report->archiveBytes),
                    qPrintable(megabytes(report->archiveBytes)));
    return ExitCode::Success;
}

} // namespace Loom::App
