#include "packagescommand.h"

#include "runtime/packages/projectpackages.h"
#include "runtime/project/projectcheck.h"
#include "runtime/vendor/vendorfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace Loom::App {

using namespace Qt::StringLiterals;
using Runtime::PackageNeed;

namespace {
QString size(qint64 bytes)
{
    if (bytes < 0)
        return u"-"_s;
    if (bytes < 1000 * 1000)
        return QString::number(double(bytes) / 1e3, 'f', 1) + u" kB"_s;
    return QString::number(double(bytes) / 1e6, 'f', 1) + u" MB"_s;
}

QString originName(PackageNeed::Origin origin)
{
    switch (origin) {
    case PackageNeed::Origin::Lock:
        return u"pyodide"_s;
    case PackageNeed::Origin::Index:
        return u"pypi"_s;
    case PackageNeed::Origin::Url:
        return u"url"_s;
    case PackageNeed::Origin::Project:
        return u"project"_s;
    }
    return {};
}

QString status(const PackageNeed &need)
{
    switch (need.origin) {
    case PackageNeed::Origin::Lock:
    case PackageNeed::Origin::Index:
        return need.cachedPath.isEmpty() ? u"missing"_s : u"cached"_s;
    case PackageNeed::Origin::Url:
        return u"from its URL at run time (needs the network)"_s;
    case PackageNeed::Origin::Project:
        return u"a file of the project"_s;
    }
    return {};
}

ExitCode clearCache(const Runtime::VendorFiles &runtime)
{
    // Pyodide's package files and PyPI's index pages and wheels; the browser's own caches stay.
    for (const QString &dir : {Runtime::runtimeCacheOptions(runtime).dir, Runtime::PypiCache::defaults().dir}) {
        qint64 files = 0;
        qint64 bytes = 0;
        for (QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext();) {
            it.next();
            ++files;
            bytes += it.fileInfo().size();
        }
        if (QFileInfo::exists(dir) && !QDir(dir).removeRecursively()) {
            std::fprintf(stderr, "loom: cannot remove %s: check its permissions\n",
                         qPrintable(QDir::toNativeSeparators(dir)));
            return ExitCode::Environment;
        }
        std::printf("Loom: cleared %s (%lld files, %s)\n", qPrintable(QDir::toNativeSeparators(dir)),
                    static_cast<long long>(files), qPrintable(size(bytes)));
    }
    return ExitCode::Success;
}

void printJson(const Runtime::PackagePlan &plan, const Runtime::VendorFiles &runtime,
               const Runtime::PackageCache &cache)
{
    using Json = nlohmann::ordered_json;
    Json requests = Json::array();
    for (const Runtime::PackageRequest &request : plan.requests) {
        Json names = Json::array();
        for (const QString &name : request.requirements)
            names.push_back(name.toStdString());
        requests.push_back({{"file", request.file.toStdString()},
                            {"line", request.line},
                            {"worker", request.worker},
                            {"packages", std::move(names)}});
    }
    Json packages = Json::array();
    int missing = 0;
    for (const PackageNeed &need : plan.needs) {
        Json by = Json::array();
        for (const QString &who : need.requestedBy)
            by.push_back(who.toStdString());
        Json entry = {{"name", need.name.toStdString()},
                      {"origin", originName(need.origin).toStdString()},
                      {"dependency", need.dependency},
                      {"requestedBy", std::move(by)}};
        if (need.file) {
            entry["version"] = need.file->version.toStdString();
            entry["file"] = need.file->fileName.toStdString();
            entry["sha256"] = need.file->sha256.toStdString();
        } else if (!need.cachedPath.isEmpty()) {
            entry["file"] = QFileInfo(need.cachedPath).fileName().toStdString();
        }
        if (need.origin == PackageNeed::Origin::Lock || need.origin == PackageNeed::Origin::Index) {
            entry["cached"] = !need.cachedPath.isEmpty();
            entry["bytes"] = need.bytes >= 0 ? Json(need.bytes) : Json(nullptr);
            missing += need.cachedPath.isEmpty() ? 1 : 0;
        }
        entry["needsNetwork"] = need.needsNetwork();
        packages.push_back(std::move(entry));
    }
    const Json out = {{"pyodide", runtime.version(u"pyodide").toStdString()},
                      {"cacheDir", cache.options().dir.toStdString()},
                      {"upstream", cache.options().upstream.toString().toStdString()},
                      {"requests", std::move(requests)},
                      {"packages", std::move(packages)},
                      {"missing", missing}};
    std::printf("%s\n", out.dump(2).c_str());
}

void printTable(const Runtime::PackagePlan &plan, const QString &dir)
{
    for (const Runtime::PackageRequest &request : plan.requests) {
        std::printf("%s:%d: %s asks for %s\n", qPrintable(request.file), request.line,
                    request.worker ? "a worker" : "a script", qPrintable(request.requirements.join(u", "_s)));
    }
    std::printf("\n%-24s %-12s %-10s %-9s %s\n", "package", "version", "size", "status", "file / needed by");
    qint64 cachedBytes = 0;
    int cached = 0;
    int missing = 0;
    for (const PackageNeed &need : plan.needs) {
        const QString version = need.file ? need.file->version : u"-"_s;
        const QString detail = need.file                                   ? need.file->fileName
                               : !need.cachedPath.isEmpty()                ? QFileInfo(need.cachedPath).fileName()
                               : need.origin == PackageNeed::Origin::Index ? u"(from PyPI)"_s
                                                                           : QString();
        std::printf("%-24s %-12s %-10s %-9s %s%s\n", qPrintable(need.name), qPrintable(version),
                    qPrintable(size(need.bytes)),
                    qPrintable(need.origin == PackageNeed::Origin::Lock || need.origin == PackageNeed::Origin::Index
                                   ? status(need)
                                   : originName(need.origin)),
                    qPrintable(detail.isEmpty() ? status(need) : detail),
                    qPrintable(need.requestedBy == QStringList{u"PyScript"_s}
                                   ? u" (PyScript installs packages with it)"_s
                                   : u" (%1%2)"_s.arg(need.dependency ? u"dependency of "_s : u""_s,
                                                      need.requestedBy.join(u", "_s))));
        if (need.origin == PackageNeed::Origin::Lock || need.origin == PackageNeed::Origin::Index) {
            if (need.cachedPath.isEmpty()) {
                ++missing;
            } else {
                ++cached;
                cachedBytes += need.bytes;
            }
        }
    }
    if (std::any_of(plan.needs.cbegin(), plan.needs.cend(),
                    [](const PackageNeed &n) { return n.origin == PackageNeed::Origin::Index; })) {
        std::printf("\nnote: for a project only PyPI has, Loom keeps its index and newest pure-Python wheel; micropip "
                    "resolves that wheel's own dependencies at run time (run the page once online to keep them too)\n");
    }
    std::printf("\nLoom: %d of %d package files cached (%s)", cached, cached + missing, qPrintable(size(cachedBytes)));
    if (missing > 0)
        std::printf("; %d missing: fetch them with loom packages %s --fetch\n", missing, qPrintable(dir));
    else
        std::printf(": the project's packages install offline\n");
}
} // namespace

ExitCode packagesCommand(const CommandLine &cl, const Runtime::VendorFiles &runtime)
{
    if (cl.clear)
        return clearCache(runtime);
    if (!QFileInfo(cl.projectDir).isDir()) {
        std::fprintf(stderr, "loom: %s is not a folder\n", qPrintable(cl.projectDir));
        return ExitCode::Usage;
    }
    auto loaded = Runtime::ProjectPackages::load(cl.projectDir, runtime);
    if (!loaded) {
        std::fprintf(stderr, "loom: %s\n", qPrintable(loaded.error()));
        return ExitCode::Environment;
    }
    Runtime::ProjectPackages &packages = **loaded;
    Runtime::PackagePlan plan = packages.plan();
    if (plan.requests.isEmpty() && !cl.json) {
        std::printf("Loom: no Pyodide config of %s asks for packages\n",
                    qPrintable(QDir::toNativeSeparators(cl.projectDir)));
        return ExitCode::Success;
    }

    if (cl.fetch) {
        const QList<PackageNeed> missing = plan.missing();
        const bool tty = isatty(fileno(stdout)) != 0;
        int index = 0;
        QString current;
        auto fetched = packages.fetch(plan, [&](const Runtime::PackageProgress &progress) {
            if (progress.fileName != current) {
                current = progress.fileName;
                ++index;
            }
            if (!progress.finished) {
                if (tty) {
                    std::printf("\r\033[K[%d/%lld] %s: %s of %s", index, static_cast<long long>(missing.size()),
                                qPrintable(progress.fileName), qPrintable(size(progress.received)),
                                qPrintable(size(progress.total)));
                    std::fflush(stdout);
                }
                return;
            }
            if (tty)
                std::printf("\r\033[K");
            if (progress.error.isEmpty()) {
                std::printf("[%d/%lld] fetched %s (%s), %s, sha256 checked\n", index,
                            static_cast<long long>(missing.size()), qPrintable(progress.fileName),
                            qPrintable(progress.package), qPrintable(size(progress.received)));
            }
            std::fflush(stdout);
        });
        plan = packages.plan();
        if (!fetched) {
            std::fprintf(stderr, "loom: %s\n", qPrintable(fetched.error()));
            return ExitCode::Environment;
        }
        if (missing.isEmpty() && !cl.json)
            std::printf("Loom: nothing to fetch\n");
    }
    if (cl.json)
        printJson(plan, runtime, packages.cache());
    else
        printTable(plan, cl.projectDir);
    return ExitCode::Success;
}

} // namespace Loom::App
