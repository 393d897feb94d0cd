#include "runtime/packages/packagecache.h"

#include "runtime/server/httpfetch.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcPackageCache, "loom.runtime.packagecache", QtWarningMsg)

namespace {
constexpr size_t MaxFileBytes = 1024u * 1024u * 1024u; // Pyodide's largest wheels are tens of MB

bool plainFileName(const QString &name)
{
    return !name.isEmpty() && !name.contains(u'/') && !name.contains(u'\\') && name != u"." && name != u".."
           && !name.startsWith(u'.');
}
} // namespace

Result<PyodideLock> PyodideLock::parse(const QByteArray &json)
{
    PyodideLock lock;
    try {
        const auto document = nlohmann::json::parse(json.toStdString());
        for (const auto &[key, entry] : document.at("packages").items()) {
            LockedFile file;
            file.package = QString::fromStdString(entry.at("name").get<std::string>());
            file.version = QString::fromStdString(entry.value("version", std::string()));
            file.fileName = QString::fromStdString(entry.at("file_name").get<std::string>());
            file.sha256 = QByteArray::fromStdString(entry.at("sha256").get<std::string>()).toLower();
            for (const auto &dependency : entry.value("depends", nlohmann::json::array()))
                file.depends.append(QString::fromStdString(dependency.get<std::string>()));
            if (!plainFileName(file.fileName) || file.sha256.size() != 64)
                continue; // a lock Loom ships is well-formed; anything else is not served
            lock.m_packages.insert(normalisedPackageName(QString::fromStdString(key)), file.fileName);
            lock.m_files.insert(file.fileName, std::move(file));
        }
    } catch (const nlohmann::json::exception &error) {
        return failure(QStringLiteral("Pyodide's lock file cannot be read: %1").arg(QString::fromUtf8(error.what())));
    }
    return lock;
}

Result<PyodideLock> PyodideLock::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("Pyodide's lock file %1 cannot be read.").arg(QDir::toNativeSeparators(path)));
    return parse(file.readAll());
}

const LockedFile *PyodideLock::byFileName(const QString &fileName) const
{
    const auto it = m_files.constFind(fileName);
    return it == m_files.cend() ? nullptr : &*it;
}

const LockedFile *PyodideLock::byPackage(const QString &name) const
{
    const auto it = m_packages.constFind(normalisedPackageName(name));
    return it == m_packages.cend() ? nullptr : byFileName(*it);
}

bool isPackageFileName(const QString &name)
{
    static const QRegularExpression archive(
        QStringLiteral(R"(^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*\.(whl|zip|tar|tar\.gz|tgz)$)"));
    return archive.match(name).hasMatch();
}

QString normalisedPackageName(const QString &name)
{
    QString out;
    out.reserve(name.size());
    bool dash = false;
    for (const QChar c : name) {
        if (c == u'-' || c == u'_' || c == u'.') {
            if (!dash)
                out += u'-';
            dash = true;
        } else {
            out += c.toLower();
            dash = false;
        }
    }
    return out;
}

PackageCache::PackageCache(Options options)
    : m_options(std::move(options))
{}

PackageCache::~PackageCache() = default;

QString PackageCache::defaultRoot()
{
    const QString fromEnv = qEnvironmentVariable("LOOM_CACHE_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation))
        .filePath(QStringLiteral("loom"));
}

QString PackageCache::defaultDir(const QString &pyodideVersion)
{
    return QDir(defaultRoot()).filePath(QStringLiteral("pyodide-%1/packages").arg(pyodideVersion));
}

QUrl PackageCache::defaultUpstream(const QString &pyodideVersion)
{
    QString url = qEnvironmentVariable("LOOM_PYODIDE_PACKAGES_URL");
    if (url.isEmpty())
        url = QStringLiteral("https://cdn.jsdelivr.net/pyodide/v%1/full/").arg(pyodideVersion);
    if (!url.endsWith(u'/'))
        url += u'/';
    return QUrl(url);
}

QString PackageCache::cachedPath(const LockedFile &file) const
{
    const QString path = QDir(m_options.dir).filePath(file.fileName);
    return QFileInfo::exists(path) ? path : QString();
}

Result<QString> PackageCache::obtain(const LockedFile &file, const Progress &progress)
{
    if (!plainFileName(file.fileName))
        return failure(QStringLiteral("\"%1\" is not a package file name.").arg(file.fileName));
    {
        // One fetch per file in this process; the others wait for it and then read the cache.
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [&] { return !m_inFlight.contains(file.fileName); });
        if (const QString path = cachedPath(file); !path.isEmpty())
            return path;
        m_inFlight.insert(file.fileName);
    }
    Result<QString> result = fetch(file, progress);
    {
        std::lock_guard lock(m_mutex);
        m_inFlight.erase(file.fileName);
    }
    m_done.notify_all();
    return result;
}

Result<QString> PackageCache::fetch(const LockedFile &file, const Progress &progress)
{
    const QUrl url = m_options.upstream.resolved(QUrl(file.fileName));
    const QString what = QStringLiteral("Pyodide's package %1 (%2)").arg(file.package, file.fileName);
    const auto cannot = [&](const QString &why) {
        return failure(QStringLiteral("%1 is not in Loom's package cache (%2) and cannot be fetched from %3: %4.")
                           .arg(what, QDir::toNativeSeparators(m_options.dir), url.toString(), why));
    };
    auto reply = httpGet({url, {}, qint64(MaxFileBytes), progress});
    if (!reply)
        return cannot(reply.error());
    if (reply->status != 200)
        return cannot(QStringLiteral("the server answered HTTP %1").arg(reply->status));

    const QByteArray &bytes = reply->body;
    const QByteArray actual = sha256Hex(bytes);
    if (actual != file.sha256) {
        qCWarning(lcPackageCache) << "sha256 mismatch for" << file.fileName << actual << "expected" << file.sha256;
        return failure(QStringLiteral("%1 fetched from %2 does not match Pyodide's lock (sha256 %3, expected %4): "
                                      "Loom neither keeps nor serves it. The upstream serves another build of "
                                      "this file; point LOOM_PYODIDE_PACKAGES_URL at a mirror of Pyodide's own.")
                           .arg(what, url.toString(), QString::fromLatin1(actual), QString::fromLatin1(file.sha256)));
    }
    const QString path = QDir(m_options.dir).filePath(file.fileName);
    if (auto written = writeAtomically(path, bytes); !written)
        return failure(QStringLiteral("%1 cannot be written to %2: %3")
                           .arg(what, QDir::toNativeSeparators(path), written.error()));
    qCInfo(lcPackageCache) << "cached" << file.fileName << bytes.size() << "bytes from" << url;
    return path;
}

DownloadReport::DownloadReport(const std::function<void(const PackageProgress &)> &report, const QString &fileName,
                               const QString &package)
    : m_report(report)
    , m_progress{fileName, package, 0, -1, false, {}}
{
    m_sinceReport.start();
    if (m_report)
        m_report(m_progress);
}

void DownloadReport::received(qint64 received, qint64 total)
{
    m_progress.received = received;
    m_progress.total = total;
    if (m_report && m_sinceReport.elapsed() >= PackageProgress::ThrottleMs) {
        m_report(m_progress);
        m_sinceReport.restart();
    }
}

Result<QString> DownloadReport::finished(Result<QString> result)
{
    m_progress.finished = true;
    if (!result)
        m_progress.error = result.error();
    if (m_report)
        m_report(m_progress);
    return result;
}

Result<QString> obtainPackage(PackageCache &cache, const LockedFile &file,
                              const std::function<void(const PackageProgress &)> &report)
{
    if (!report)
        return cache.obtain(file);
    if (const QString path = cache.cachedPath(file); !path.isEmpty())
        return path;
    DownloadReport download(report, file.fileName, file.package);
    return download.finished(
        cache.obtain(file, [&](qint64 received, qint64 total) { download.received(received, total); }));
}

} // namespace Loom::Runtime
