// Pyodide's packages through Loom: fetched once from an upstream (here a stand-in on loopback),
// checked against the lock's sha256, kept, and served from the cache when the upstream is gone.
#include "runtime/packages/packagecache.h"
#include "runtime/server/devserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <httplib.h>

#include <atomic>
#include <thread>

using namespace Loom::Runtime;
using namespace Qt::StringLiterals;

namespace {
// A wheel's bytes need not be a real wheel here: what is tested is Loom's path (fetch, check,
// keep, serve). The lock's entry carries their real sha256, as Pyodide's lock does for its files.
const QByteArray WheelBytes = QByteArray("PK\x03\x04 loom test wheel ", 24).repeated(1000);
const QString WheelName = u"loomtest-1.0-py3-none-any.whl"_s;

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// A stand-in for Pyodide's CDN folder: serves `files` under /full/, counts requests.
class Upstream
{
public:
    explicit Upstream(std::map<std::string, std::string> files)
        : m_files(std::move(files))
    {
        m_server.Get(R"(/full/(.+))", [this](const httplib::Request &req, httplib::Response &res) {
            ++requests;
            const auto it = m_files.find(req.matches[1].str());
            if (it == m_files.end()) {
                res.status = 404;
                return;
            }
            res.set_content(it->second, "application/zip");
        });
        port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        m_server.wait_until_ready();
    }
    ~Upstream() { stop(); }
    void stop()
    {
        if (m_thread.joinable()) {
            m_server.stop();
            m_thread.join();
        }
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/full/"_s.arg(port)); }

    int port = 0;
    std::atomic<int> requests = 0;

private:
    std::map<std::string, std::string> m_files;
    httplib::Server m_server;
    std::thread m_thread;
};

LockedFile testWheel(const QByteArray &hash = sha256(WheelBytes))
{
    return LockedFile{u"loomtest"_s, u"1.0"_s, WheelName, hash, {}};
}
} // namespace

class tst_PackageCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lock_isReadFromPyodidesOwnFile();
    void firstFetch_isKept_thenServedWithoutTheUpstream();
    void wrongSha256_isRefusedAndNotKept();
    void concurrentRequests_fetchOnce();
    void unreachableUpstream_saysWhatWhereAndWhatToDo();
    void devServer_servesPackagesThroughTheCache();
    void defaults_followTheEnvironment();
};

void tst_PackageCache::lock_isReadFromPyodidesOwnFile()
{
    const auto runtime = VendorFiles::load(VendorFiles::defaultDir());
    QVERIFY(runtime);
    const auto lock = PyodideLock::load(
        runtime->localFile(QString(runtime->component(u"pyodide")->dir + u"/pyodide-lock.json"_s)));
    QVERIFY2(lock, qPrintable(lock ? QString() : lock.error()));
    QVERIFY(lock->size() > 300);
    const LockedFile *micropip = lock->byPackage(u"micropip"_s);
    QVERIFY(micropip);
    QCOMPARE(micropip->fileName, u"micropip-0.11.1-py3-none-any.whl"_s);
    QCOMPARE(micropip->sha256, QByteArray("668cd1270f480ac9f93da4a2b4873a252743e4ad3da723d37a7e4c637c4f2314"));
    QVERIFY(lock->byPackage(u"NumPy"_s)); // PEP 503 names
    QVERIFY(!lock->byFileName(u"../pyodide.mjs"_s));
    QVERIFY(!PyodideLock::parse("{\"packages\": 1}"));
}

void tst_PackageCache::firstFetch_isKept_thenServedWithoutTheUpstream()
{
    QTemporaryDir cache;
    Upstream upstream({{WheelName.toStdString(), WheelBytes.toStdString()}});
    PackageCache packages({cache.filePath(u"packages"_s), upstream.url()});
    const auto first = packages.obtain(testWheel());
    QVERIFY2(first, qPrintable(first ? QString() : first.error()));
    QCOMPARE(upstream.requests.load(), 1);
    QFile kept(*first);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), WheelBytes);

    upstream.stop();                                                     // offline from now on
    PackageCache later({cache.filePath(u"packages"_s), upstream.url()}); // another run, same cache
    const auto second = later.obtain(testWheel());
    QVERIFY2(second, qPrintable(second ? QString() : second.error()));
    QCOMPARE(*second, *first);
}

void tst_PackageCache::wrongSha256_isRefusedAndNotKept()
{
    QTemporaryDir cache;
    Upstream upstream({{WheelName.toStdString(), "another build of the file"}});
    PackageCache packages({cache.filePath(u"packages"_s), upstream.url()});
    const auto result = packages.obtain(testWheel());
    QVERIFY(!result);
    QVERIFY2(result.error().contains(u"does not match Pyodide's lock"), qPrintable(result.error()));
    QVERIFY2(result.error().contains(WheelName), qPrintable(result.error()));
    QVERIFY(packages.cachedPath(testWheel()).isEmpty());
    QVERIFY(QDir(cache.filePath(u"packages"_s)).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

void tst_PackageCache::concurrentRequests_fetchOnce()
{
    QTemporaryDir cache;
    Upstream upstream({{WheelName.toStdString(), WheelBytes.toStdString()}});
    PackageCache packages({cache.filePath(u"packages"_s), upstream.url()});
    std::atomic<int> ok = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            if (packages.obtain(testWheel()))
                ++ok;
        });
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(ok.load(), 8);
    QCOMPARE(upstream.requests.load(), 1);
    // A second process (another cache object on the same folder) reads what the first kept.
    PackageCache other({cache.filePath(u"packages"_s), upstream.url()});
    QVERIFY(!other.cachedPath(testWheel()).isEmpty());
}

void tst_PackageCache::unreachableUpstream_saysWhatWhereAndWhatToDo()
{
    QTemporaryDir cache;
    const QUrl closed(u"http://127.0.0.1:9/full/"_s);
    PackageCache packages({cache.filePath(u"packages"_s), closed});
    const auto result = packages.obtain(testWheel());
    QVERIFY(!result);
    const QString message = result.error();
    QVERIFY2(message.contains(u"loomtest (%1)"_s.arg(WheelName)), qPrintable(message));
    QVERIFY2(message.contains(closed.resolved(QUrl(WheelName)).toString()), qPrintable(message));
    QVERIFY2(message.contains(u"unreachable"), qPrintable(message));
}

void tst_PackageCache::devServer_servesPackagesThroughTheCache()
{
    // A copy of the vendored runtime whose lock lists the test wheel with its real sha256.
    QTemporaryDir runtimeCopy;
    const QString source = VendorFiles::defaultDir();
    const auto original = VendorFiles::load(source);
    QVERIFY(original);
    QVERIFY(QFile::copy(source + u"/runtime.json"_s, runtimeCopy.filePath(u"runtime.json"_s)));
    for (const QString &key : {u"pyscript"_s, u"pyodide"_s, u"micropython"_s, u"mini-coi"_s}) {
        const VendorComponent *component = original->component(key);
        QVERIFY(QDir().mkpath(runtimeCopy.filePath(component->dir)));
        for (const QString &file : component->folderFiles()) {
            if (file != u"pyodide-lock.json")
                QVERIFY(QFile::link(source + u'/' + component->dir + u'/' + file,
                                    runtimeCopy.filePath(component->dir + u'/' + file)));
        }
    }
    const QString pyodideDir = original->component(u"pyodide"_s)->dir;
    QFile lock(runtimeCopy.filePath(pyodideDir + u"/pyodide-lock.json"_s));
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.write(R"({"info": {}, "packages": {"loomtest": {"name": "loomtest", "version": "1.0", "depends": [],
               "file_name": "loomtest-1.0-py3-none-any.whl", "sha256": ")"
               + sha256(WheelBytes) + R"("}}})");
    lock.close();
    const auto runtime = VendorFiles::load(runtimeCopy.path());
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));

    QTemporaryDir project;
    QTemporaryDir cache;
    Upstream upstream({{WheelName.toStdString(), WheelBytes.toStdString()}});
    const auto serve = [&](const QUrl &from, QString *failure) {
        DevServerOptions options{project.path(), *runtime, 0, true, {}};
        options.packageCacheDir = cache.path();
        options.packageUpstream = from;
        DevServer server(std::move(options));
        server.setFailureHandler([failure](const FailedLoad &load) { *failure = load.reason; });
        if (!server.start())
            return httplib::Result();
        httplib::Client client("127.0.0.1", server.port());
        return client.Get(QString(u"/__loom__/runtime/"_s + pyodideDir + u'/' + WheelName).toStdString());
    };
    QString failure;
    auto first = serve(upstream.url(), &failure);
    QVERIFY(first);
    QCOMPARE(first->status, 200);
    QCOMPARE(QByteArray::fromStdString(first->body), WheelBytes);
    QCOMPARE(first->get_header_value("Cross-Origin-Resource-Policy"), std::string("cross-origin"));
    upstream.stop();
    auto second = serve(upstream.url(), &failure); // a later run, offline
    QVERIFY(second);
    QCOMPARE(second->status, 200);
    QCOMPARE(QByteArray::fromStdString(second->body), WheelBytes);
    QVERIFY(failure.isEmpty());

    QDir(cache.path()).removeRecursively();
    auto third = serve(upstream.url(), &failure); // offline and not cached: a clear failure
    QVERIFY(third);
    QCOMPARE(third->status, 502);
    QVERIFY2(failure.contains(u"loomtest"), qPrintable(failure));
}

void tst_PackageCache::defaults_followTheEnvironment()
{
    qputenv("LOOM_CACHE_DIR", "/tmp/loom-cache-test");
    QCOMPARE(PackageCache::defaultDir(u"314.0.2"_s), u"/tmp/loom-cache-test/pyodide-314.0.2/packages"_s);
    qunsetenv("LOOM_CACHE_DIR");
    qputenv("XDG_CACHE_HOME", "/tmp/xdg-cache");
    QCOMPARE(PackageCache::defaultRoot(), u"/tmp/xdg-cache/loom"_s);
    qputenv("LOOM_PYODIDE_PACKAGES_URL", "http://127.0.0.1:8000/mirror");
    QCOMPARE(PackageCache::defaultUpstream(u"314.0.2"_s), QUrl(u"http://127.0.0.1:8000/mirror/"_s));
    qunsetenv("LOOM_PYODIDE_PACKAGES_URL");
    QCOMPARE(PackageCache::defaultUpstream(u"314.0.2"_s), QUrl(u"https://cdn.jsdelivr.net/pyodide/v314.0.2/full/"_s));
}

QTEST_GUILESS_MAIN(tst_PackageCache)
#include "tst_packagecache.moc"
