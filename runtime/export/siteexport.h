#pragma once

#include "runtime/packages/packagecache.h"
#include "runtime/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace Loom::Runtime {

class VendorFiles;

enum class ExportMode {
    Bundled, // the runtime the project uses is copied next to its pages: works with no internet
    Cdn,     // pages load PyScript from jsDelivr, pinned to the version Loom runs
};

struct ExportOptions
{
    QString projectDir;
    QString outPath; // a folder; with zip, the archive file
    ExportMode mode = ExportMode::Bundled;
    bool zip = false;
    bool force = false; // write into a non-empty folder (or over an existing archive)
    // Bundled: ship Pyodide's standard library with each module compiled, as Loom's server
    // serves it (VendorComponent::precompiledStdlib; 7.1 MB instead of npm's 2.6 MB, and each
    // visit's Pyodide starts about 1.4 s sooner), not npm's.
    bool compiledStdlib = false;
    const VendorFiles *runtime = nullptr;
    // Bundled: the Pyodide packages the configs ask for ship with the site (with their
    // dependencies and micropip), from Loom's package cache; what it misses is fetched now, and
    // an export that cannot get a file stops and names it. Told of each file as it downloads.
    std::function<void(const PackageProgress &)> packageProgress = {};
};

struct ExportedFile
{
    QString path; // relative to the site's root, '/'-separated
    qint64 bytes = 0;
};

struct ExportReport
{
    QString outPath; // absolute
    ExportMode mode = ExportMode::Bundled;
    bool zip = false;
    QList<ExportedFile> files; // sorted by path
    qint64 totalBytes = 0;     // the site's bytes, uncompressed
    qint64 archiveBytes = 0;   // with zip: the archive's size
    QStringList pages;         // the HTML pages, rewritten
    QStringList interpreters;  // "pyodide", "micropython": what the pages use
    QStringList packages;      // bundled: the Pyodide package files shipped beside pyodide.mjs
    QStringList notes;         // what the user should know (a page without PyScript's core, a skipped link...)
};

// The official jsDelivr URL of one file of @pyscript/core's dist at exactly `version`.
QString cdnCoreUrl(QStringView version, QStringView file);

// Refuses what an export must never do, before anything is written: a project folder without
// index.html, an OUT that is the project, lies inside it or contains it, a non-empty OUT folder
// (or an existing archive) without force.
Result<void> checkExportTarget(const ExportOptions &options);

// Writes a deployable static site of the project: every visible file of the project (never a
// hidden one, never one reached through a link leading out), each HTML page with PyScript's core
// pointed at ./pyscript/core.js and marked `offline` (bundled) or at the pinned CDN URL (cdn),
// mini-coi.js as the first child of each page's <head> (for hosts without header control, such
// as GitHub Pages), and the header files of hosts that have it (_headers, .htaccess, nginx and
// Apache snippets). Bundled mode ships PyScript's core next to every folder holding a page, with
// only the interpreters the project uses, and the Pyodide packages index.html's configs ask for
// (Pyodide reads them from its own folder, as its lock says). Nothing is written outside OUT; the project is only read.
Result<ExportReport> exportSite(const ExportOptions &options);

} // namespace Loom::Runtime
