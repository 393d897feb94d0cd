#include "runtime/packages/projectpackages.h"

#include "runtime/project/projectcheck.h"
#include "runtime/python/pythonengine.h"
#include "runtime/vendor/vendorfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

using namespace Qt::StringLiterals;
using Json = nlohmann::json;

namespace {
// "numpy==2.0", "pandas[excel]>=2" -> "pandas" (PEP 508's name, normalised).
QString requirementName(const QString &requirement)
{
    static const QRegularExpression end(uR"([<>=!~\[; ])"_s);
    const QString trimmed = requirement.trimmed();
    const qsizetype at = trimmed.indexOf(end);
    return normalisedPackageName(at < 0 ? trimmed : trimmed.left(at));
}

bool isProjectWheel(const QString &requirement)
{
    static const QRegularExpression local(uR"(^(\.{1,2}/|/|emfs://|file://))"_s);
    return local.match(requirement).hasMatch();
}

bool isUrl(const QString &requirement)
{
    static const QRegularExpression url(uR"(^[a-z][a-z0-9+.-]*://)"_s, QRegularExpression::CaseInsensitiveOption);
    return url.match(requirement).hasMatch();
}

void lookUp(PackageNeed &need, const PackageCache &cache, const PypiCache &pypi)
{
    if (need.origin == PackageNeed::Origin::Index)
        need.cachedPath = pypi.cachedWheel(need.name);
    else if (need.file)
        need.cachedPath = cache.cachedPath(*need.file);
    if (!need.cachedPath.isEmpty())
        need.bytes = QFileInfo(need.cachedPath).size();
}
} // namespace

QList<PackageNeed> PackagePlan::missing() const
{
    QList<PackageNeed> out;
    for (const PackageNeed &need : needs) {
        if ((need.origin == PackageNeed::Origin::Lock || need.origin == PackageNeed::Origin::Index)
            && need.cachedPath.isEmpty())
            out.append(need);
    }
    return out;
}

Result<QList<PackageRequest>> requestedPackages(const CheckInput &input)
{
    const CheckRequest request = prepareCheck(input);
    auto reply = PythonEngine::instance().callAndWait(u"loom_analysis"_s, u"project_packages"_s, request.json);
    if (!reply)
        return failure(reply.error());
    QList<PackageRequest> requests;
    const Json json = Json::parse(reply->toStdString(), nullptr, false);
    if (!json.is_array())
        return failure(u"Loom's checker returned no package list."_s);
    for (const Json &entry : json) {
        if (!entry.is_object() || !entry.value("packages", Json()).is_array())
            continue;
        PackageRequest parsed;
        parsed.file = QString::fromStdString(entry.value("file", std::string()));
        parsed.line = entry.value("line", 0);
        parsed.worker = entry.value("worker", false);
        for (const Json &requirement : entry.at("packages")) {
            if (requirement.is_string())
                parsed.requirements.append(QString::fromStdString(requirement.get<std::string>()));
        }
        if (!parsed.requirements.isEmpty())
            requests.append(std::move(parsed));
    }
    return requests;
}

PackagePlan planPackages(const QList<PackageRequest> &requests, const PyodideLock &lock, const PackageCache &cache,
                         const PypiCache &pypi)
{
    PackagePlan plan;
    plan.requests = requests;
    QHash<QString, qsizetype> index; // name -> position in plan.needs
    const auto add = [&](PackageNeed need) -> PackageNeed & {
        if (const auto it = index.constFind(need.name); it != index.cend()) {
            PackageNeed &known = plan.needs[*it];
            for (const QString &by : std::as_const(need.requestedBy)) {
                if (!known.requestedBy.contains(by))
                    known.requestedBy.append(by);
            }
            known.dependency = known.dependency && need.dependency;
            return known;
        }
        lookUp(need, cache, pypi);
        index.insert(need.name, plan.needs.size());
        plan.needs.append(std::move(need));
        return plan.needs.last();
    };
    if (requests.isEmpty())
        return plan;

    // PyScript loads micropip first, then hands it every requirement.
    if (const LockedFile *micropip = lock.byPackage(u"micropip"_s))
        add({u"micropip"_s, PackageNeed::Origin::Lock, *micropip, {u"PyScript"_s}, true, {}, -1});
    QStringList queue;
    for (const PackageRequest &request : requests) {
        const QString where = u"%1:%2"_s.arg(request.file).arg(request.line);
        for (const QString &requirement : request.requirements) {
            if (isProjectWheel(requirement)) {
                add({requirement, PackageNeed::Origin::Project, std::nullopt, {where}, false, {}, -1});
            } else if (isUrl(requirement)) {
                add({requirement, PackageNeed::Origin::Url, std::nullopt, {where}, false, {}, -1});
            } else if (const LockedFile *file = lock.byPackage(requirementName(requirement))) {
                add({normalisedPackageName(file->package), PackageNeed::Origin::Lock, *file, {where}, false, {}, -1});
                queue.append(file->package);
            } else {
                add({requirementName(requirement), PackageNeed::Origin::Index, std::nullopt, {where}, false, {}, -1});
            }
        }
    }
    QSet<QString> expanded;
    while (!queue.isEmpty()) {
        const LockedFile *file = lock.byPackage(queue.takeFirst());
        if (!file || expanded.contains(file->fileName))
            continue;
        expanded.insert(file->fileName);
        for (const QString &dependency : file->depends) {
            if (const LockedFile *needed = lock.byPackage(dependency)) {
                add({normalisedPackageName(needed->package),
                     PackageNeed::Origin::Lock,
                     *needed,
                     {normalisedPackageName(file->package)},
                     true,
                     {},
                     -1});
                queue.append(needed->package);
            }
        }
    }
    return plan;
}

QStringList readyPackages(const PyodideLock &lock, const PackageCache &cache, const PypiCache &pypi)
{
    QHash<QString, bool> cached; // file name -> in the cache
    for (const LockedFile &file : lock.files())
        cached.insert(file.fileName, !cache.cachedPath(file).isEmpty());
    QStringList ready;
    for (const LockedFile &root : lock.files()) {
        bool all = true;
        QSet<QString> seen;
        QList<const LockedFile *> queue{&root};
        while (all && !queue.isEmpty()) {
            const LockedFile *file = queue.takeFirst();
            if (seen.contains(file->fileName))
                continue;
            seen.insert(file->fileName);
            all = cached.value(file->fileName);
            for (const QString &dependency : file->depends) {
                if (const LockedFile *needed = lock.byPackage(dependency))
                    queue.append(needed);
            }
        }
        if (all)
            ready.append(normalisedPackageName(root.package));
    }
    // PyPI projects whose index and wheel Loom kept.
    for (QDirIterator it(QDir(pypi.options().dir).filePath(u"simple"_s), {u"*.json"_s}, QDir::Files); it.hasNext();) {
        const QString name = it.nextFileInfo().completeBaseName();
        if (!pypi.cachedWheel(name).isEmpty() && !lock.byPackage(name))
            ready.append(name);
    }
    ready.sort();
    return ready;
}

std::optional<QStringList> readyPackages(const VendorFiles &runtime)
{
    const auto lock = runtimeLock(runtime);
    if (!lock)
        return std::nullopt;
    return readyPackages(*lock, PackageCache(runtimeCacheOptions(runtime)), PypiCache(PypiCache::defaults()));
}

QString fetchAdvice(const QString &projectDir)
{
    QString dir = QDir::toNativeSeparators(projectDir);
    if (dir.contains(u' ') || dir.contains(u'\''))
        dir = u'"' + dir + u'"';
    return u"Fetch it once with the network: loom packages %1 --fetch (in the IDE: Run > Fetch Packages), or run the "
           "page once online; Loom keeps what it fetches, and later runs work offline."_s.arg(dir);
}

Result<PyodideLock> runtimeLock(const VendorFiles &runtime)
{
    const VendorComponent *pyodide = runtime.component(u"pyodide");
    const QString file = pyodide ? runtime.localFile(QString(pyodide->dir + u"/pyodide-lock.json")) : QString();
    if (file.isEmpty())
        return failure(u"Loom's runtime has no pyodide-lock.json: it cannot tell Pyodide's packages."_s);
    return PyodideLock::load(file);
}

PackageCache::Options runtimeCacheOptions(const VendorFiles &runtime)
{
    const QString version = runtime.version(u"pyodide");
    return {PackageCache::defaultDir(version), PackageCache::defaultUpstream(version)};
}

Result<void> fetchMissing(const PackagePlan &plan, PackageCache &cache, PypiCache &pypi,
                          const std::function<void(const PackageProgress &)> &progress)
{
    for (const PackageNeed &need : plan.missing()) {
        auto fetched = need.origin == PackageNeed::Origin::Index ? pypi.obtainWheel(need.name, progress)
                                                                 : obtainPackage(cache, *need.file, progress);
        if (!fetched)
            return failure(fetched.error());
    }
    return {};
}

ProjectPackages::ProjectPackages(QList<PackageRequest> requests, PyodideLock lock, const VendorFiles &runtime)
    : m_requests(std::move(requests))
    , m_lock(std::move(lock))
    , m_cache(runtimeCacheOptions(runtime))
    , m_pypi(PypiCache::defaults())
{}

Result<std::unique_ptr<ProjectPackages>> ProjectPackages::load(const QString &projectDir, const VendorFiles &runtime)
{
    auto lock = runtimeLock(runtime);
    if (!lock)
        return failure(lock.error());
    auto requests = requestedPackages({QDir(projectDir).absolutePath(), {}, true});
    if (!requests)
        return failure(requests.error());
    return std::unique_ptr<ProjectPackages>(new ProjectPackages(std::move(*requests), std::move(*lock), runtime));
}

} // namespace Loom::Runtime
