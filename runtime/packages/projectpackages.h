#pragma once

#include "runtime/packages/packagecache.h"
#include "runtime/packages/pypicache.h"
#include "runtime/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Loom::Runtime {

class VendorFiles;
struct CheckInput;

// One Pyodide config's "packages", where it is written (a script's config, a config file, a
// create_named_worker call).
struct PackageRequest
{
    QString file; // relative to the project
    int line = 0;
    bool worker = false;
    QStringList requirements; // as written: "numpy", "pandas==2.3", "./wheels/x.whl"
};

// One file a project's packages need, and whether Loom has it.
struct PackageNeed
{
    enum class Origin {
        Lock,    // a package of Pyodide's lock: served from Loom's package cache
        Index,   // not in the lock: micropip looks for it on PyPI at run time
        Url,     // a wheel URL: micropip fetches it at run time
        Project, // a wheel of the project ("./x.whl", "emfs://"): served with the project
    };
    QString name; // normalised (PEP 503) for Lock and Index, the requirement as written otherwise
    Origin origin = Origin::Lock;
    std::optional<LockedFile> file; // Lock only
    QStringList requestedBy;        // "index.html:12" for what a config names, the dependent's name for a dependency
    bool dependency = false;
    QString cachedPath; // empty: not in Loom's cache (Lock, Index), or not cached by Loom (the others)
    qint64 bytes = -1;  // the cached file's size

    bool needsNetwork() const
    {
        return origin == Origin::Url || ((origin == Origin::Lock || origin == Origin::Index) && cachedPath.isEmpty());
    }
};

// micropip first (PyScript installs every config's packages with it), then what configs ask
// for, then their dependencies from the lock, each once.
struct PackagePlan
{
    QList<PackageRequest> requests;
    QList<PackageNeed> needs;

    QList<PackageNeed> missing() const; // lock files and PyPI wheels not in the cache
};

// What the configs of a project ask for (the embedded Python reads them as `loom check` does:
// inline JSON, JSON and TOML files, <py-config>, create_named_worker calls). Not on the UI thread.
Result<QList<PackageRequest>> requestedPackages(const CheckInput &input);

// The requests resolved against the lock, with their dependencies, and looked up in the cache.
PackagePlan planPackages(const QList<PackageRequest> &requests, const PyodideLock &lock, const PackageCache &cache,
                         const PypiCache &pypi);

// The packages that can be installed offline: the lock's whose files, their dependencies'
// included, are in the cache (micropip among them when it is cached), and PyPI projects with a
// kept index and wheel. Normalised names, for the offline check.
QStringList readyPackages(const PyodideLock &lock, const PackageCache &cache, const PypiCache &pypi);

// readyPackages for the vendored Pyodide and the user's cache; unset when the lock is unreadable.
std::optional<QStringList> readyPackages(const VendorFiles &runtime);

// How to get a project's missing packages, in a sentence: the command, the IDE's action, or a
// run with the network.
QString fetchAdvice(const QString &projectDir);

// The vendored Pyodide's lock, and the cache of its version (the environment's overrides).
Result<PyodideLock> runtimeLock(const VendorFiles &runtime);
PackageCache::Options runtimeCacheOptions(const VendorFiles &runtime);

// Everything the plan misses, fetched through the cache, telling `progress` as obtainPackage
// does; the first failure stops and is returned.
Result<void> fetchMissing(const PackagePlan &plan, PackageCache &cache, PypiCache &pypi,
                          const std::function<void(const PackageProgress &)> &progress = {});

// A project's packages against the vendored Pyodide's lock and the user's caches: where
// `loom packages`, Run > Fetch Packages and bundled exports start. Reads the configs with the
// embedded Python: not on the UI thread.
class ProjectPackages final
{
public:
    static Result<std::unique_ptr<ProjectPackages>> load(const QString &projectDir, const VendorFiles &runtime);
    Q_DISABLE_COPY_MOVE(ProjectPackages)

    const QList<PackageRequest> &requests() const { return m_requests; }
    // What the caches hold now.
    PackagePlan plan() const { return planPackages(m_requests, m_lock, m_cache, m_pypi); }
    Result<void> fetch(const PackagePlan &plan, const std::function<void(const PackageProgress &)> &progress = {})
    {
        return fetchMissing(plan, m_cache, m_pypi, progress);
    }
    const PackageCache &cache() const { return m_cache; }

private:
    ProjectPackages(QList<PackageRequest> requests, PyodideLock lock, const VendorFiles &runtime);

    QList<PackageRequest> m_requests;
    PyodideLock m_lock;
    PackageCache m_cache;
    PypiCache m_pypi;
};

} // namespace Loom::Runtime
