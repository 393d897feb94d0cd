// Pages are pointed at the local runtime without moving any other byte.
#include "runtime/project/htmlrewriter.h"

#include <QRegularExpression>
#include <QTest>

using namespace Loom::Runtime;
using namespace Qt::StringLiterals;

namespace {
const RewriteOptions Options{QStringLiteral("/__loom__/runtime/pyscript-0.7.31/core.js"),
                             QStringLiteral("/__loom__/runtime/pyscript-0.7.31/core.css"), QStringLiteral("0.7.31"),
                             QStringLiteral("2026.7.3")};
const QByteArray LocalCore = "<script offline type=\"module\" src=\"/__loom__/runtime/pyscript-0.7.31/core.js\">";
} // namespace

class tst_HtmlRewriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coreUrl_isRecognised_data();
    void coreUrl_isRecognised();
    void page_usesLocalRuntime_data();
    void page_usesLocalRuntime();
    void stylesheet_pointsAtLocalCss();
    void inlineModuleImport_isRewritten();
    void existingOffline_isNotDuplicated();
    void otherVersion_isNoted();
    void otherDistFilesAndDynamicImports_areRewritten();
    void sameRelease_isNotNoted();
    void pageWithoutCore_isUnchangedAndNoted();
};

void tst_HtmlRewriter::coreUrl_isRecognised_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("matches");
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("stylesheet");
    QTest::newRow("pyscript.net") << u"https://pyscript.net/releases/2025.11.1/core.js"_s << true << u"2025.11.1"_s
                                  << false;
    QTest::newRow("pyscript.net css") << u"https://pyscript.net/releases/2025.11.1/core.css"_s << true << u"2025.11.1"_s
                                      << true;
    QTest::newRow("jsdelivr") << u"https://cdn.jsdelivr.net/npm/@pyscript/core@0.7.31/dist/core.js"_s << true
                              << u"0.7.31"_s << false;
    QTest::newRow("unpkg") << u"https://unpkg.com/@pyscript/core@0.7.31/dist/core.js"_s << true << u"0.7.31"_s << false;
    QTest::newRow("scheme-relative") << u"//pyscript.net/releases/2024.1.1/core.js"_s << true << u"2024.1.1"_s << false;
    QTest::newRow("offline recipe") << u"./pyscript/core.js"_s << true << QString() << false;
    QTest::newRow("parent folder") << u"../pyscript/core.js"_s << true << QString() << false;
    QTest::newRow("node_modules") << u"./node_modules/@pyscript/core/dist/core.js"_s << true << QString() << false;
    QTest::newRow("with query") << u"https://pyscript.net/releases/2025.11.1/core.js?v=2"_s << true << u"2025.11.1"_s
                                << false;
    QTest::newRow("other core.js") << u"./lib/core.js"_s << false << QString() << false;
    QTest::newRow("other cdn package") << u"https://cdn.jsdelivr.net/npm/other@1/dist/core.js"_s << false << QString()
                                       << false;
    QTest::newRow("lookalike host") << u"https://pyscript.net.evil.example/releases/1/core.js"_s << false << QString()
                                    << false;
}

void tst_HtmlRewriter::coreUrl_isRecognised()
{
    QFETCH(QString, url);
    QFETCH(bool, matches);
    QFETCH(QString, version);
    QFETCH(bool, stylesheet);
    const auto reference = matchCoreUrl(url);
    QCOMPARE(reference.has_value(), matches);
    if (matches) {
        QCOMPARE(reference->version, version);
        QCOMPARE(reference->asset == CoreReference::Asset::Stylesheet, stylesheet);
    }
}

void tst_HtmlRewriter::page_usesLocalRuntime_data()
{
    QTest::addColumn<QByteArray>("html");
    QTest::newRow("inline worker") << QByteArray(R"(<!DOCTYPE html>
<html><head>
<script type="module" src="https://pyscript.net/releases/2025.11.1/core.js"></script>
</head><body>
<script type="mpy">
from pyscript import workers
</script>
<script type="py" worker name="calc">
def add(a, b):
    return a + b
__export__ = ["add"]
</script>
</body></html>
)");
    QTest::newRow("src worker, config file") << QByteArray(R"(<html><head>
  <script type='module' src='https://cdn.jsdelivr.net/npm/@pyscript/core@0.7.31/dist/core.js'></script>
</head><body>
  <script type="mpy" src="./main.py"></script>
  <script type="py" worker name="primes" src="./worker.py" config="./worker.json"></script>
</body></html>
)");
    QTest::newRow("create_named_worker") << QByteArray(R"(<html><head>
<SCRIPT TYPE="module" SRC="https://unpkg.com/@pyscript/core@0.7.31/dist/core.js"></SCRIPT>
</head><body><script type="py">
from pyscript import create_named_worker
w = await create_named_worker(src="./w.py", name="dyn")
</script></body></html>
)");
    QTest::newRow("relative, unquoted") << QByteArray(R"(<html><head>
<script type=module src=./pyscript/core.js></script></head>
<body><mpy-script>print(1)</mpy-script></body></html>
)");
}

void tst_HtmlRewriter::page_usesLocalRuntime()
{
    QFETCH(QByteArray, html);
    const RewriteResult result = rewriteHtml(html, Options);
    QVERIFY(result.coreFound);
    // The core tag keeps its own spelling; it gains `offline` and the local src.
    static const QRegularExpression localCore(
        QStringLiteral(R"(<script offline [^>]*src="/__loom__/runtime/pyscript-0\.7\.31/core\.js">)"),
        QRegularExpression::CaseInsensitiveOption);
    QVERIFY2(localCore.match(QString::fromUtf8(result.html)).hasMatch(), result.html.constData());
    QVERIFY(!result.html.contains("pyscript.net"));
    QVERIFY(!result.html.contains("jsdelivr"));
    QVERIFY(!result.html.contains("unpkg"));
    // Line numbers are what tracebacks map to: they must not move.
    QCOMPARE(result.html.count('\n'), html.count('\n'));
    // Everything after the core script is byte-identical.
    const qsizetype after = html.indexOf("</script>");
    QCOMPARE(result.html.mid(result.html.indexOf("</script>")), html.mid(after));
}

void tst_HtmlRewriter::stylesheet_pointsAtLocalCss()
{
    const QByteArray html = R"(<link rel="stylesheet" href="https://pyscript.net/releases/2025.11.1/core.css">
<link rel="stylesheet" href="./mine.css">)";
    const RewriteResult result = rewriteHtml(html, Options);
    QVERIFY(result.html.contains(R"(href="/__loom__/runtime/pyscript-0.7.31/core.css")"));
    QVERIFY(result.html.contains(R"(href="./mine.css")"));
}

void tst_HtmlRewriter::inlineModuleImport_isRewritten()
{
    const QByteArray html = R"(<script type="module">
import { hooks } from "https://pyscript.net/releases/2025.11.1/core.js";
hooks.main.onReady.add(() => {});
</script>)";
    const RewriteResult result = rewriteHtml(html, Options);
    QVERIFY2(result.html.contains(R"(import { hooks } from "/__loom__/runtime/pyscript-0.7.31/core.js";)"),
             result.html.constData());
    QVERIFY(result.html.contains("hooks.main.onReady.add"));
}

void tst_HtmlRewriter::existingOffline_isNotDuplicated()
{
    const QByteArray html = R"(<script type="module" src="./pyscript/core.js" offline></script>)";
    const RewriteResult result = rewriteHtml(html, Options);
    QCOMPARE(result.html.count("offline"), 1);
    QVERIFY(result.html.contains(R"(src="/__loom__/runtime/pyscript-0.7.31/core.js")"));
}

void tst_HtmlRewriter::otherVersion_isNoted()
{
    const RewriteResult result = rewriteHtml(
        R"(<script type="module" src="https://pyscript.net/releases/2024.1.1/core.js"></script>)", Options);
    QCOMPARE(result.notes.size(), 1);
    QVERIFY(result.notes.first().contains(u"2024.1.1"));
    QVERIFY(result.notes.first().contains(u"0.7.31"));
    QVERIFY(rewriteHtml(R"(<script type="module" src="https://unpkg.com/@pyscript/core@0.7.31/dist/core.js"></script>)",
                        Options)
                .notes.isEmpty());
}

void tst_HtmlRewriter::otherDistFilesAndDynamicImports_areRewritten()
{
    const QByteArray html = R"(<script type="module">
import { storage } from "https://pyscript.net/releases/2026.7.3/storage.js";
const core = await import('https://cdn.jsdelivr.net/npm/@pyscript/core@0.7.31/dist/core.js');
const other = await import("https://example.com/lib.js");
</script>)";
    const RewriteResult result = rewriteHtml(html, Options);
    QVERIFY2(result.html.contains(R"(import { storage } from "/__loom__/runtime/pyscript-0.7.31/storage.js";)"),
             result.html.constData());
    QVERIFY2(result.html.contains(R"(await import('/__loom__/runtime/pyscript-0.7.31/core.js');)"),
             result.html.constData());
    QVERIFY(result.html.contains(R"(import("https://example.com/lib.js"))"));
    QVERIFY(result.coreFound);
    QCOMPARE(result.html.count('\n'), html.count('\n'));
}

void tst_HtmlRewriter::sameRelease_isNotNoted()
{
    // pyscript.net's release 2026.7.3 is core 0.7.31: the same release under its other name.
    QVERIFY(
        rewriteHtml(R"(<script type="module" src="https://pyscript.net/releases/2026.7.3/core.js"></script>)", Options)
            .notes.isEmpty());
    const RewriteResult older = rewriteHtml(
        R"(<script type="module" src="https://pyscript.net/releases/2025.11.1/core.js"></script>)", Options);
    QCOMPARE(older.notes.size(), 1);
    QVERIFY(older.notes.first().contains(u"2026.7.3 (core 0.7.31)"));
}

void tst_HtmlRewriter::pageWithoutCore_isUnchangedAndNoted()
{
    const QByteArray html = "<html><body><script type=\"py\">print(1)</script></body></html>";
    const RewriteResult result = rewriteHtml(html, Options);
    QVERIFY(!result.coreFound);
    QCOMPARE(result.html, html);
    QCOMPARE(result.notes.size(), 1);
    QVERIFY(result.notes.first().contains(u"core.js"));
}

QTEST_GUILESS_MAIN(tst_HtmlRewriter)
#include "tst_htmlrewriter.moc"
