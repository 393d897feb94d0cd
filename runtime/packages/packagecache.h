#pragma once

#include "runtime/result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>

namespace Loom::Runtime {

// PEP 503: "Scikit_Learn" and "scikit-learn" are one package.
QString normalisedPackageName(const QString &name);

// A name Pyodide's package files have ("numpy-2.4.3-cp314-….whl", "openssl-1.1.1n.zip"): no
// folder, no leading dot.
bool isPackageFileName(const QString &name);

// One file of Pyodide's lock (pyodide-lock.json): what Pyodide fetches for a package, and the
// sha256 it will check (it enforces the lock's hash as subresource integrity).
struct LockedFile
{
    QString package; // "numpy"
    QString version;
    QString fileName;  // "numpy-2.4.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
    QByteArray sha256; // hex, lower case
    QStringList depends;
};

// The packages a Pyodide version knows, read from its pyodide-lock.json.
class PyodideLock final
{
public:
    static Result<PyodideLock> parse(const QByteArray &json);
    static Result<PyodideLock> load(const QString &path);

    const LockedFile *byFileName(const QString &fileName) const;
    const LockedFile *byPackage(const QString &name) const;
    qsizetype size() const { return m_files.size(); }
    const QHash<QString, LockedFile> &files() const { return m_files; }

private:
    QHash<QString, LockedFile> m_files; // by file name
    QHash<QString, QString> m_packages; // normalised package name -> file name
};

// A package file on its way into the cache, for progress displays: reported when a download
// starts, at most every ThrottleMs while it runs, and once when it ends.
struct PackageProgress
{
    static constexpr int ThrottleMs = 100;
    QString fileName;
    QString package;
    qint64 received = 0;
    qint64 total = -1; // unknown
    bool finished = false;
    QString error; // finished without the file
};

// Pyodide's package files on this machine: fetched once from the upstream (Pyodide's CDN folder
// for the vendored version, or $LOOM_PYODIDE_PACKAGES_URL), checked against the lock's sha256,
// stored atomically, and served from disk afterwards, by the IDE, headless runs and `loom serve`
// alike. A file that fails the check is neither stored nor served. Safe with concurrent runs: in
// one process a file is fetched once while others wait; across processes each writes its own
// temporary file and renames it into place. Fetches block: call from server threads.
class PackageCache final
{
public:
    struct Options
    {
        QString dir;   // the cache folder for this Pyodide version
        QUrl upstream; // a folder URL: the file name is appended
    };
    explicit PackageCache(Options options);
    ~PackageCache();
    Q_DISABLE_COPY_MOVE(PackageCache)

    // $LOOM_CACHE_DIR, else $XDG_CACHE_HOME/loom (~/.cache/loom).
    static QString defaultRoot();
    // <root>/pyodide-<version>/packages
    static QString defaultDir(const QString &pyodideVersion);
    // $LOOM_PYODIDE_PACKAGES_URL, else https://cdn.jsdelivr.net/pyodide/v<version>/full/
    static QUrl defaultUpstream(const QString &pyodideVersion);

    // The path of the verified file, from the cache or fetched now. On failure, what and why,
    // in a sentence; the caller says how to get it (it knows the project).
    // `progress` (bytes received, total or -1) is called on this thread while it downloads.
    using Progress = std::function<void(qint64 received, qint64 total)>;
    Result<QString> obtain(const LockedFile &file, const Progress &progress = {});
    // The cached path, or empty: never touches the network.
    QString cachedPath(const LockedFile &file) const;

    const Options &options() const { return m_options; }

private:
    Result<QString> fetch(const LockedFile &file, const Progress &progress);

    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_done;
    std::set<QString> m_inFlight;
};

// One file's download told to `report` (if set) as PackageProgress describes: its start when
// made, its bytes as they come (throttled), its end.
class DownloadReport final
{
public:
    DownloadReport(const std::function<void(const PackageProgress &)> &report, const QString &fileName,
                   const QString &package);
    void received(qint64 received, qint64 total);
    Result<QString> finished(Result<QString> result); // says so, and hands the result on

private:
    const std::function<void(const PackageProgress &)> &m_report;
    PackageProgress m_progress;
    QElapsedTimer m_sinceReport;
};

// cache.obtain(file), telling `report` (if set) of its download as PackageProgress describes:
// nothing when the file is cached already.
Result<QString> obtainPackage(PackageCache &cache, const LockedFile &file,
                              const std::function<void(const PackageProgress &)> &report);

} // namespace Loom::Runtime
