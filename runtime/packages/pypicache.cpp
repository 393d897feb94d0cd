#include "runtime/packages/pypicache.h"

#include "runtime/server/httpfetch.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QVersionNumber>

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcPypiCache, "loom.runtime.pypicache", QtWarningMsg)

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 MaxIndexBytes = 32LL * 1024 * 1024;
constexpr qint64 MaxFileBytes = 1024LL * 1024 * 1024;

QUrl folder(QString url)
{
    if (!url.endsWith(u'/'))
        url += u'/';
    return QUrl(url);
}

bool safePath(const QString &path)
{
    static const QRegularExpression allowed(uR"(^packages/([A-Za-z0-9_.+-]+/)*[A-Za-z0-9_.+-]+\.whl$)"_s);
    return allowed.match(path).hasMatch() && !path.split(u'/').contains(u".."_s);
}

} // namespace

PypiCache::Options PypiCache::defaults()
{
    const QString index = qEnvironmentVariable("LOOM_PYPI_INDEX_URL");
    const QString files = qEnvironmentVariable("LOOM_PYPI_FILES_URL");
    return {QDir(PackageCache::defaultRoot()).filePath(u"pypi"_s),
            folder(index.isEmpty() ? u"https://pypi.org/simple/"_s : index),
            folder(files.isEmpty() ? filesHost().toString() : files)};
}

const QUrl &PypiCache::filesHost()
{
    static const QUrl host(u"https://files.pythonhosted.org/"_s);
    return host;
}

PypiCache::PypiCache(Options options)
    : m_options(std::move(options))
{}

QString PypiCache::filePath(const QUrl &url)
{
    if (url.scheme() != u"https" || url.host() != filesHost().host() || url.hasQuery())
        return {};
    const QString path = url.path(QUrl::FullyDecoded).mid(1);
    return safePath(path) ? path : QString();
}

QString PypiCache::loomPath(const QUrl &url)
{
    if (const QString path = filePath(url); !path.isEmpty())
        return UrlPrefix + u"files/"_s + path;
    static const QRegularExpression simple(uR"(^/simple/([A-Za-z0-9._-]+)/?$)"_s);
    if (url.scheme() == u"https" && url.host() == u"pypi.org" && !url.hasQuery()) {
        if (const auto match = simple.match(url.path(QUrl::FullyDecoded)); match.hasMatch())
            return UrlPrefix + u"simple/"_s + normalisedPackageName(match.captured(1)) + u'/';
    }
    return {};
}

std::optional<QByteArray> PypiCache::cachedIndex(const QString &name) const
{
    QFile file(QDir(m_options.dir).filePath(u"simple/%1.json"_s.arg(normalisedPackageName(name))));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

QString PypiCache::cachedFile(const QString &path) const
{
    if (!safePath(path))
        return {};
    const QString local = QDir(m_options.dir).filePath(u"files/"_s + path);
    return QFileInfo::exists(local) ? local : QString();
}

void PypiCache::learnDigests(const QByteArray &indexJson)
{
    const auto json = nlohmann::json::parse(indexJson.toStdString(), nullptr, false);
    if (!json.is_object() || !json.contains("files") || !json["files"].is_array())
        return;
    for (const auto &file : json["files"]) {
        if (!file.is_object() || !file.value("url", nlohmann::json()).is_string())
            continue;
        const auto hashes = file.value("hashes", nlohmann::json::object());
        if (!hashes.is_object() || !hashes.value("sha256", nlohmann::json()).is_string())
            continue;
        // Relative URLs are against the index page; PyPI's are absolute.
        const QString path = filePath(QUrl(QString::fromStdString(file["url"].get<std::string>())));
        if (!path.isEmpty())
            m_digests.insert(path, QByteArray::fromStdString(hashes["sha256"].get<std::string>()).toLower());
    }
}

QByteArray PypiCache::expectedSha256(const QString &path)
{
    std::lock_guard lock(m_mutex);
    if (const auto it = m_digests.constFind(path); it != m_digests.cend())
        return *it;
    if (!m_scanned) {
        // Another process (or an earlier run) fetched the index: its kept copy says.
        m_scanned = true;
        for (QDirIterator it(QDir(m_options.dir).filePath(u"simple"_s), {u"*.json"_s}, QDir::Files); it.hasNext();) {
            QFile file(it.next());
            if (file.size() <= MaxIndexBytes && file.open(QIODevice::ReadOnly))
                learnDigests(file.readAll());
        }
    }
    return m_digests.value(path);
}

Result<PypiCache::Index> PypiCache::index(const QString &name)
{
    const QString normal = normalisedPackageName(name);
    static const QRegularExpression validName(uR"(^[a-z0-9]([a-z0-9-]*[a-z0-9])?$)"_s);
    if (!validName.match(normal).hasMatch())
        return failure(u"\"%1\" is not a package name."_s.arg(name));
    const QUrl url = m_options.indexUpstream.resolved(QUrl(normal + u'/'));
    // What micropip asks for; only PEP 691's JSON is kept (micropip parses by content type).
    const QByteArray type(IndexType.data(), IndexType.size());
    auto reply = httpGet({url, {{"Accept", type}}, MaxIndexBytes, {}});
    QString why;
    if (!reply) {
        why = reply.error();
    } else if (reply->status == 404) {
        return Index{reply->body, {}, 404};
    } else if (reply->status != 200) {
        why = u"the server answered HTTP %1"_s.arg(reply->status);
    } else if (!reply->contentType.startsWith(type)) {
        why = u"the answer is not PyPI's JSON index (%1)"_s.arg(QString::fromLatin1(reply->contentType));
    } else {
        const QString kept = QDir(m_options.dir).filePath(u"simple/%1.json"_s.arg(normal));
        if (auto written = writeAtomically(kept, reply->body); !written)
            qCWarning(lcPypiCache) << "cannot keep" << kept << written.error();
        std::lock_guard lock(m_mutex);
        learnDigests(reply->body);
        return Index{reply->body, {}};
    }
    if (auto kept = cachedIndex(normal)) {
        {
            std::lock_guard lock(m_mutex);
            learnDigests(*kept);
        }
        return Index{*kept,
                     u"PyPI's index for %1 is unreachable (%2): Loom answers with the copy it kept."_s.arg(name, why)};
    }
    return failure(u"PyPI's index for %1 is not in Loom's package cache (%2) and cannot be fetched from %3: %4."_s.arg(
        name, QDir::toNativeSeparators(m_options.dir), url.toString(), why));
}

Result<QString> PypiCache::file(const QString &path, const std::function<void(const PackageProgress &)> &report)
{
    if (!safePath(path))
        return failure(u"\"%1\" is not a wheel of files.pythonhosted.org."_s.arg(path));
    if (const QString kept = cachedFile(path); !kept.isEmpty())
        return kept;
    const QString fileName = path.section(u'/', -1);
    const QUrl url = m_options.filesUpstream.resolved(QUrl(path));
    const QByteArray expected = expectedSha256(path);
    if (expected.isEmpty()) {
        return failure(u"%1 is not listed by any PyPI index Loom has seen, so Loom cannot check it: ask for it through "
                       "micropip (it reads the index first)."_s.arg(fileName));
    }
    DownloadReport download(report, fileName, fileName.section(u'-', 0, 0));
    auto reply = httpGet(
        {url, {}, MaxFileBytes, [&](qint64 received, qint64 total) { download.received(received, total); }});
    if (!reply || reply->status != 200) {
        return download.finished(
            failure(u"The PyPI wheel %1 is not in Loom's package cache (%2) and cannot be fetched from %3: %4."_s.arg(
                fileName, QDir::toNativeSeparators(m_options.dir), url.toString(),
                reply ? u"the server answered HTTP %1"_s.arg(reply->status) : reply.error())));
    }
    const QByteArray actual = sha256Hex(reply->body);
    if (actual != expected) {
        return download.finished(
            failure(u"The PyPI wheel %1 fetched from %2 does not match the sha256 its index gives (%3, expected %4): "
                    "Loom neither keeps nor serves it."_s.arg(fileName, url.toString(), QString::fromLatin1(actual),
                                                              QString::fromLatin1(expected))));
    }
    const QString local = QDir(m_options.dir).filePath(u"files/"_s + path);
    if (auto written = writeAtomically(local, reply->body); !written)
        return download.finished(failure(u"The PyPI wheel %1 cannot be written to %2: %3"_s.arg(
            fileName, QDir::toNativeSeparators(local), written.error())));
    qCInfo(lcPypiCache) << "cached" << path << reply->body.size() << "bytes from" << url;
    return download.finished(local);
}

QString PypiCache::bestWheel(const QByteArray &indexJson)
{
    const auto json = nlohmann::json::parse(indexJson.toStdString(), nullptr, false);
    if (!json.is_object() || !json.contains("files") || !json["files"].is_array())
        return {};
    QString best;
    QVersionNumber bestVersion;
    for (const auto &file : json["files"]) {
        if (!file.is_object() || !file.value("filename", nlohmann::json()).is_string()
            || !file.value("url", nlohmann::json()).is_string()
            || file.value("yanked", nlohmann::json(false)) != nlohmann::json(false))
            continue;
        const QString name = QString::fromStdString(file["filename"].get<std::string>());
        if (!name.endsWith(u"-py3-none-any.whl") && !name.endsWith(u".py3-none-any.whl"))
            continue;
        const QVersionNumber version = QVersionNumber::fromString(name.section(u'-', 1, 1));
        const QString path = filePath(QUrl(QString::fromStdString(file["url"].get<std::string>())));
        if (!path.isEmpty() && (best.isEmpty() || QVersionNumber::compare(version, bestVersion) >= 0)) {
            best = path;
            bestVersion = version;
        }
    }
    return best;
}

QString PypiCache::cachedWheel(const QString &name) const
{
    const auto index = cachedIndex(name);
    return index ? cachedFile(bestWheel(*index)) : QString();
}

Result<QString> PypiCache::obtainWheel(const QString &name,
                                       const std::function<void(const PackageProgress &)> &progress)
{
    auto index = this->index(name);
    if (!index)
        return failure(index.error());
    if (index->status != 200)
        return failure(u"PyPI has no project named %1."_s.arg(name));
    const QString path = bestWheel(index->json);
    if (path.isEmpty())
        return failure(
            u"PyPI's %1 has no pure-Python wheel (py3-none-any): micropip cannot install it in Pyodide."_s.arg(name));
    return file(path, progress);
}

} // namespace Loom::Runtime
