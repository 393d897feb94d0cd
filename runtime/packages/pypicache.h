#pragma once

#include "runtime/packages/packagecache.h"
#include "runtime/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QUrl>

#include <functional>
#include <mutex>

namespace Loom::Runtime {

// PyPI through Loom, for packages Pyodide's lock does not have (`packages = ["arrr"]`): micropip
// asks PyPI's simple index (pypi.org/simple/<name>/, JSON) which wheels exist, then fetches one
// from files.pythonhosted.org and checks it against the index's sha256. Loom's interceptor sends
// both here. The index answer is kept (a later offline run reads the kept one); a wheel is kept
// by its URL once its sha256 matches what the index gave, and served from disk afterwards. Safe
// with concurrent runs (atomic renames). Fetches block: server and pool threads only.
class PypiCache final
{
public:
    struct Options
    {
        QString dir;        // <cache root>/pypi
        QUrl indexUpstream; // a folder: <name>/ is appended
        QUrl filesUpstream; // stands for https://files.pythonhosted.org/
    };
    // <root>/pypi; $LOOM_PYPI_INDEX_URL, else https://pypi.org/simple/; $LOOM_PYPI_FILES_URL,
    // else https://files.pythonhosted.org/.
    static Options defaults();
    static const QUrl &filesHost(); // https://files.pythonhosted.org/
    static constexpr QLatin1StringView IndexType{"application/vnd.pypi.simple.v1+json"};

    explicit PypiCache(Options options);
    Q_DISABLE_COPY_MOVE(PypiCache)

    struct Index
    {
        QByteArray json;  // PEP 691's JSON
        QString note;     // set when the kept copy answers for an unreachable index
        int status = 200; // 404: the index has no such project (passed on as such)
    };
    // The index page of a project: fetched and kept, else the kept copy.
    Result<Index> index(const QString &name);
    // A file below files.pythonhosted.org ("packages/ab/cd/…/x-1.0-py3-none-any.whl"), kept or
    // fetched now and checked against the index's sha256.
    Result<QString> file(const QString &path, const std::function<void(const PackageProgress &)> &progress = {});

    // What `loom packages --fetch` does for a project micropip will look up: the index, and the
    // newest pure-Python wheel it lists (py3-none-any), kept. Not its dependencies: micropip
    // resolves those at run time (run the page once online to keep them too).
    Result<QString> obtainWheel(const QString &name, const std::function<void(const PackageProgress &)> &progress = {});
    // The kept wheel obtainWheel would pick, from the kept index; empty when either is missing.
    QString cachedWheel(const QString &name) const;

    // What the cache holds, never touching the network: the kept index of a project, and the
    // path of a kept file (empty when missing).
    std::optional<QByteArray> cachedIndex(const QString &name) const;
    QString cachedFile(const QString &path) const;
    // "packages/…" of a files.pythonhosted.org URL, or empty for any other URL or an unsafe path.
    static QString filePath(const QUrl &url);
    // Where Loom's server answers a PyPI URL micropip asks for: /__loom__/pypi/simple/<name>/
    // for pypi.org/simple/<name>/, /__loom__/pypi/files/<path> for a wheel of
    // files.pythonhosted.org; empty for anything else (it is the page's business).
    static QString loomPath(const QUrl &url);
    static constexpr QLatin1StringView UrlPrefix{"/__loom__/pypi/"};

    const Options &options() const { return m_options; }

private:
    static QString bestWheel(const QByteArray &indexJson); // "packages/…", or empty
    QByteArray expectedSha256(const QString &path);
    void learnDigests(const QByteArray &indexJson);

    Options m_options;
    std::mutex m_mutex;
    QHash<QString, QByteArray> m_digests; // file path -> sha256, from the indexes seen
    bool m_scanned = false;               // the kept indexes were read for digests
};

} // namespace Loom::Runtime
