// Which public URLs are the vendored runtime, and what Loom's network layer does with them.
#include "runtime/vendor/vendorinterceptor.h"
#include "runtime/vendor/vendorurls.h"

#include <QTest>

using namespace Loom::Runtime;
using namespace Qt::StringLiterals;

class tst_VendorUrls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void match_data();
    void match();
    void notTheRuntime_data();
    void notTheRuntime();
    void servedName_saysReleaseAndVersion();
    void localUrls_data();
    void localUrls();

private:
    std::optional<VendorUrlMap> m_map;
};

void tst_VendorUrls::initTestCase()
{
    auto runtime = VendorFiles::load(VendorFiles::defaultDir());
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
    QCOMPARE(runtime->component(u"pyscript")->release, u"2026.7.3"_s);
    m_map.emplace(*runtime);
}

void tst_VendorUrls::match_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("localPath"); // empty: not vendored, goes out
    QTest::addColumn<bool>("sameVersion");

    QTest::newRow("release tag") << u"https://pyscript.net/releases/2026.7.3/core.js"_s << u"pyscript"_s
                                 << u"pyscript-0.7.31/core.js"_s << true;
    QTest::newRow("release, other dist file") << u"https://pyscript.net/releases/2026.7.3/storage.js"_s << u"pyscript"_s
                                              << u"pyscript-0.7.31/storage.js"_s << true;
    QTest::newRow("older release") << u"https://pyscript.net/releases/2025.11.1/core.css"_s << u"pyscript"_s
                                   << u"pyscript-0.7.31/core.css"_s << false;
    QTest::newRow("jsdelivr version") << u"https://cdn.jsdelivr.net/npm/@pyscript/core@0.7.31/dist/core.js"_s
                                      << u"pyscript"_s << u"pyscript-0.7.31/core.js"_s << true;
    QTest::newRow("jsdelivr, no version") << u"https://cdn.jsdelivr.net/npm/@pyscript/core/dist/core.js"_s
                                          << u"pyscript"_s << u"pyscript-0.7.31/core.js"_s << true;
    QTest::newRow("fastly") << u"https://fastly.jsdelivr.net/npm/@pyscript/core@0.7.31/dist/core.js"_s << u"pyscript"_s
                            << u"pyscript-0.7.31/core.js"_s << true;
    QTest::newRow("unpkg") << u"https://unpkg.com/@pyscript/core@0.7.31/dist/core.js"_s << u"pyscript"_s
                           << u"pyscript-0.7.31/core.js"_s << true;
    QTest::newRow("source map: not vendored")
        << u"https://pyscript.net/releases/2026.7.3/core.js.map"_s << u"pyscript"_s << QString() << true;
    // What PyScript itself asks for when no interpreter is configured (PyWorker, workers).
    QTest::newRow("pyodide default") << u"https://cdn.jsdelivr.net/pyodide/v314.0.2/full/pyodide.mjs"_s << u"pyodide"_s
                                     << u"pyodide-314.0.2/pyodide.mjs"_s << true;
    QTest::newRow("pyodide lock") << u"https://cdn.jsdelivr.net/pyodide/v314.0.2/full/pyodide-lock.json"_s
                                  << u"pyodide"_s << u"pyodide-314.0.2/pyodide-lock.json"_s << true;
    QTest::newRow("pyodide package: through the package cache")
        << u"https://cdn.jsdelivr.net/pyodide/v314.0.2/full/micropip-0.11.1-py3-none-any.whl"_s << u"pyodide"_s
        << u"pyodide-314.0.2/micropip-0.11.1-py3-none-any.whl"_s << true;
    QTest::newRow("another pyodide's package: goes out")
        << u"https://cdn.jsdelivr.net/pyodide/v0.26.4/full/micropip-0.8.0-py3-none-any.whl"_s << u"pyodide"_s
        << QString() << false;
    QTest::newRow("pyodide, older") << u"https://cdn.jsdelivr.net/pyodide/v0.26.4/full/pyodide.mjs"_s << u"pyodide"_s
                                    << u"pyodide-314.0.2/pyodide.mjs"_s << false;
    QTest::newRow("npm pyodide") << u"https://cdn.jsdelivr.net/npm/pyodide@314.0.2/pyodide.mjs"_s << u"pyodide"_s
                                 << u"pyodide-314.0.2/pyodide.mjs"_s << true;
    QTest::newRow("micropython default")
        << u"https://cdn.jsdelivr.net/npm/@micropython/micropython-webassembly-pyscript@1.28.0-6/micropython.mjs"_s
        << u"micropython"_s << u"micropython-1.28.0-6/micropython.mjs"_s << true;
    QTest::newRow("micropython settrace variant")
        << u"https://cdn.jsdelivr.net/npm/@micropython/micropython-webassembly-pyscript@1.28.0-6/micropython-settrace.wasm"_s
        << u"micropython"_s << u"micropython-1.28.0-6/micropython-settrace.wasm"_s << true;
}

void tst_VendorUrls::match()
{
    QFETCH(QString, url);
    QFETCH(QString, key);
    QFETCH(QString, localPath);
    QFETCH(bool, sameVersion);
    const auto match = m_map->match(QUrl(url));
    QVERIFY(match);
    QCOMPARE(match->key, key);
    QCOMPARE(match->localPath, localPath);
    QCOMPARE(match->sameVersion, sameVersion);
}

void tst_VendorUrls::notTheRuntime_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("other npm package") << u"https://cdn.jsdelivr.net/npm/lodash@4/lodash.js"_s;
    QTest::newRow("other host, same path") << u"https://evil.example/releases/2026.7.3/core.js"_s;
    QTest::newRow("look-alike host") << u"https://pyscript.net.evil.example/releases/2026.7.3/core.js"_s;
    QTest::newRow("pyscript.net, not a release") << u"https://pyscript.net/latest/pyscript.js"_s;
    QTest::newRow("not http") << u"ftp://pyscript.net/releases/2026.7.3/core.js"_s;
    QTest::newRow("core outside dist") << u"https://cdn.jsdelivr.net/npm/@pyscript/core@0.7.31/src/core.js"_s;
}

void tst_VendorUrls::notTheRuntime()
{
    QFETCH(QString, url);
    QVERIFY(!m_map->match(QUrl(url)));
}

void tst_VendorUrls::servedName_saysReleaseAndVersion()
{
    QCOMPARE(m_map->servedName(u"pyscript"_s), u"PyScript 2026.7.3 (core 0.7.31)"_s);
    QCOMPARE(m_map->servedName(u"pyodide"_s), u"Pyodide 314.0.2"_s);
}

void tst_VendorUrls::localUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("local");
    QTest::newRow("loopback") << u"http://127.0.0.1:8000/x.js"_s << true;
    QTest::newRow("localhost") << u"http://localhost:8000/x.js"_s << true;
    QTest::newRow("ipv6 loopback") << u"http://[::1]:8000/x.js"_s << true;
    QTest::newRow("blob") << u"blob:http://127.0.0.1:8000/1234"_s << true;
    QTest::newRow("data") << u"data:text/plain,hi"_s << true;
    QTest::newRow("internet") << u"https://cdn.jsdelivr.net/npm/x"_s << false;
    QTest::newRow("private network") << u"http://192.168.1.2/x"_s << false;
    QTest::newRow("websocket out") << u"wss://example.com/socket"_s << false;
}

void tst_VendorUrls::localUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, local);
    QCOMPARE(isLocalUrl(QUrl(url)), local);
}

QTEST_GUILESS_MAIN(tst_VendorUrls)
#include "tst_vendorurls.moc"
