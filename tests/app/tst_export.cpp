// `loom export` end to end: runs the real loom binary and inspects the site it writes.
#include "tests/support/files.h"
#include "tests/support/loomprocess.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Loom::TestSupport;

namespace {
const QString Primes = QStringLiteral(LOOM_SOURCE_DIR "/samples/primes");

const QString RuntimeDir = QStringLiteral(LOOM_BINARY_DIR "/share/loom/runtime");

// A component's entry in the built runtime's manifest ("dir", "version", ...).
QString runtimeValue(QStringView component, QStringView key)
{
    const auto manifest = QJsonDocument::fromJson(readFile(RuntimeDir + u"/runtime.json"_s));
    return manifest.object().value(component).toObject().value(key).toString();
}

QString pyscriptVersion()
{
    return runtimeValue(u"pyscript", u"version");
}

const QByteArray MpyOnlyPage =
    "<!DOCTYPE html>\n<html>\n<head>\n  <meta charset=\"utf-8\">\n"
    "  <script type=\"module\" src=\"https://pyscript.net/releases/2025.11.1/core.js\"></script>\n"
    "</head>\n<body>\n  <script type=\"mpy\">print(\"hello from MicroPython\")</script>\n"
    "</body>\n</html>\n";
} // namespace

class tst_Export : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bundledPrimes_shipsWhatItUses();
    void mpyOnlyProject_shipsNoPyodide();
    void cdnMode_referencesOnlyThePinnedVersion();
    void compiledStdlib_shipsTheCopyLoomServes();
    void nonEmptyOut_refusedWithoutForce();
    void outInsideProject_isRefused();
    void hiddenFilesAndLinksOut_areNotExported();
    void subfolderPage_getsItsOwnRuntime();
    void zip_writesOneArchive();
    void miniCoi_isFirstInHead_data();
    void miniCoi_isFirstInHead();
};

void tst_Export::bundledPrimes_shipsWhatItUses()
{
    const auto before = folderSnapshot(Primes);
    QTemporaryDir temp;
    const QString site = temp.filePath(u"site"_s);
    const Run run = runLoom({u"export"_s, Primes, site});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.output.contains(u"bundled (interpreters: pyodide, micropython)"_s), qPrintable(run.output));

    for (const char *file :
         {"index.html", "main.py", "worker.py", "style.css", "mini-coi.js", "pyscript/core.js", "pyscript/core.css",
          "pyscript/pyodide/pyodide.mjs", "pyscript/pyodide/pyodide.asm.wasm", "pyscript/pyodide/python_stdlib.zip",
          "pyscript/micropython/micropython.mjs", "pyscript/micropython/micropython.wasm", "_headers",
          "nginx.conf.snippet", "apache.conf.snippet", ".htaccess"})
        QVERIFY2(QFileInfo(site + u'/' + QLatin1StringView(file)).isFile(), file);

    const QByteArray html = readFile(site + u"/index.html"_s);
    // mini-coi is the first child of <head>, on the <head> line: the page's line numbers stay.
    QVERIFY2(html.contains("<head><script src=\"./mini-coi.js\"></script>\n  <meta charset"), html.constData());
    QVERIFY(html.contains("<script offline type=\"module\" src=\"./pyscript/core.js\"></script>"));
    QVERIFY(html.contains("href=\"./pyscript/core.css\""));
    QVERIFY(!html.contains("cdn.jsdelivr.net"));
    QCOMPARE(html.count('\n'), readFile(Primes + u"/index.html"_s).count('\n'));

    // No Loom instrumentation anywhere, in any file.
    QDirIterator it(site, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QVERIFY2(!readFile(path).contains("__loom__"), qPrintable(path));
    }
    const QByteArray headers = readFile(site + u"/_headers"_s);
    QVERIFY(headers.contains("/*\n"));
    QVERIFY(headers.contains("  Cross-Origin-Opener-Policy: same-origin\n"));
    QVERIFY(headers.contains("  Cross-Origin-Embedder-Policy: require-corp\n"));
    QVERIFY(headers.contains("  Cross-Origin-Resource-Policy: cross-origin\n"));
    QVERIFY(readFile(site + u"/nginx.conf.snippet"_s)
                .contains("add_header Cross-Origin-Embedder-Policy \"require-corp\" always;"));
    QVERIFY(readFile(site + u"/.htaccess"_s).contains("Header always set Cross-Origin-Opener-Policy \"same-origin\""));

    // Pyodide's standard library as npm ships it: the copy with compiled modules that Loom's own
    // server answers with is for loopback, where its 4.5 MB more cost nothing.
    const QString pyodideDir = runtimeValue(u"pyodide", u"dir");
    QVERIFY(!pyodideDir.isEmpty());
    QVERIFY(readFile(site + u"/pyscript/pyodide/python_stdlib.zip"_s)
            == readFile(RuntimeDir + u'/' + pyodideDir + u"/python_stdlib.zip"_s));
    QVERIFY(!QFileInfo::exists(site + u"/pyscript/pyodide/python_stdlib.pyc.zip"_s));

    // The site redistributes PyScript, Pyodide and MicroPython: beside each, who holds it and the
    // whole text of its licenses (a web host has no /usr/share/common-licenses to point at).
    const QString pyscriptNotices = QString::fromUtf8(readFile(site + u"/pyscript/NOTICES.txt"_s));
    QVERIFY2(pyscriptNotices.contains(u"@pyscript/core %1 from npm"_s.arg(pyscriptVersion())),
             qPrintable(pyscriptNotices));
    QVERIFY(pyscriptNotices.contains(u"Anaconda, Inc."_s));
    QVERIFY(pyscriptNotices.contains(u"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"_s)); // Apache-2.0
    QVERIFY(pyscriptNotices.contains(u"Permission is hereby granted, free of charge"_s)); // coincident, CodeMirror, ...
    QVERIFY(!pyscriptNotices.contains(u"/usr/share/common-licenses"_s));
    const QString pyodideNotices = QString::fromUtf8(readFile(site + u"/pyscript/pyodide/NOTICES.txt"_s));
    QVERIFY2(pyodideNotices.contains(u"pyodide %1 from npm"_s.arg(runtimeValue(u"pyodide", u"version"))),
             qPrintable(pyodideNotices));
    QVERIFY(pyodideNotices.contains(u"Mozilla Public License Version 2.0"_s));
    QVERIFY(pyodideNotices.contains(u"This LICENSE AGREEMENT is between the Python Software Foundation"_s));
    const QString mpyNotices = QString::fromUtf8(readFile(site + u"/pyscript/micropython/NOTICES.txt"_s));
    QVERIFY(mpyNotices.contains(u"Damien P. George"_s));
    QVERIFY(mpyNotices.contains(u"Permission is hereby granted, free of charge"_s));

    // The report names every file with its size, and the total.
    QVERIFY(run.output.contains(QRegularExpression(u"\\s%1  pyscript/pyodide/pyodide.asm.wasm\\n"_s.arg(
        QFileInfo(site + u"/pyscript/pyodide/pyodide.asm.wasm"_s).size()))));
    QVERIFY(!run.output.contains(u"sample.json"_s) || QFileInfo::exists(site + u"/sample.json"_s));
    QCOMPARE(folderSnapshot(Primes), before);
}

void tst_Export::mpyOnlyProject_shipsNoPyodide()
{
    QTemporaryDir temp;
    const QString project = temp.filePath(u"project"_s);
    QVERIFY(writeFile(project + u"/index.html"_s, MpyOnlyPage));
    const QString site = temp.filePath(u"site"_s);
    const Run run = runLoom({u"export"_s, project, site});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(QFileInfo::exists(site + u"/pyscript/core.js"_s));
    QVERIFY(QFileInfo::exists(site + u"/pyscript/micropython/micropython.mjs"_s));
    QVERIFY(QFileInfo::exists(site + u"/pyscript/micropython/NOTICES.txt"_s));
    QVERIFY2(!QFileInfo::exists(site + u"/pyscript/pyodide"_s), qPrintable(run.output));
    QVERIFY(!run.output.contains(u"pyscript/pyodide/"_s));
    // The page's own version is reported: the export pins the one Loom runs.
    QVERIFY2(run.output.contains(u"2025.11.1"_s), qPrintable(run.output));

    // create_named_worker defaults to type="py": a page that starts one needs Pyodide.
    QVERIFY(writeFile(
        project + u"/main.py"_s,
        "from pyscript import create_named_worker\nw = await create_named_worker(src=\"./w.py\", name=\"w\")\n"));
    const QString site2 = temp.filePath(u"site2"_s);
    QCOMPARE(runLoom({u"export"_s, project, site2}).exitCode, 0);
    QVERIFY(QFileInfo::exists(site2 + u"/pyscript/pyodide/pyodide.mjs"_s));

    // ... and type="mpy" does not.
    QVERIFY(writeFile(project + u"/main.py"_s,
                      "w = await create_named_worker(src=\"./w.py\", name=\"w\", type=\"mpy\")\n"));
    const QString site3 = temp.filePath(u"site3"_s);
    QCOMPARE(runLoom({u"export"_s, project, site3}).exitCode, 0);
    QVERIFY(!QFileInfo::exists(site3 + u"/pyscript/pyodide"_s));
}

// --compiled-stdlib: the site ships Pyodide's standard library as Loom's server answers it (each
// module compiled), says so, and is otherwise the same export; a cdn export cannot ship it.
// tests/browser/export_primes.mjs runs such a site in Debian's Chromium.
void tst_Export::compiledStdlib_shipsTheCopyLoomServes()
{
    QTemporaryDir temp;
    const QString site = temp.filePath(u"site"_s);
    const Run run = runLoom({u"export"_s, Primes, site, u"--compiled-stdlib"_s});
    QCOMPARE(run.exitCode, 0);
    const QString pyodideDir = RuntimeDir + u'/' + runtimeValue(u"pyodide", u"dir");
    const QByteArray shipped = readFile(site + u"/pyscript/pyodide/python_stdlib.zip"_s);
    QVERIFY(!shipped.isEmpty());
    QVERIFY(shipped == readFile(pyodideDir + u'/' + runtimeValue(u"pyodide", u"precompiledStdlib")));
    QVERIFY(shipped != readFile(pyodideDir + u"/python_stdlib.zip"_s));
    QVERIFY2(run.output.contains(u"note: pyscript/pyodide/python_stdlib.zip is the standard library with each "
                                 u"module compiled (--compiled-stdlib)"_s),
             qPrintable(run.output));
    QVERIFY(QFileInfo(site + u"/pyscript/pyodide/pyodide.asm.wasm"_s).isFile());
    QVERIFY(!QFileInfo::exists(site + u"/pyscript/pyodide/python_stdlib.pyc.zip"_s));

    const Run cdn = runLoom(
        {u"export"_s, Primes, temp.filePath(u"cdn"_s), u"--mode"_s, u"cdn"_s, u"--compiled-stdlib"_s});
    QCOMPARE(cdn.exitCode, 2);
    QVERIFY2(cdn.output.contains(u"--compiled-stdlib ships a file of the runtime: it needs the bundled mode"_s),
             qPrintable(cdn.output));
    QVERIFY(!QFileInfo::exists(temp.filePath(u"cdn"_s)));
}

void tst_Export::cdnMode_referencesOnlyThePinnedVersion()
{
    const QString version = pyscriptVersion();
    QCOMPARE(version, u"0.7.31"_s);
    QTemporaryDir temp;
    const QString site = temp.filePath(u"site"_s);
    const Run run = runLoom({u"export"_s, Primes, site, u"--mode"_s, u"cdn"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(!QFileInfo::exists(site + u"/pyscript"_s));
    QVERIFY(QFileInfo::exists(site + u"/mini-coi.js"_s));
    QVERIFY(QFileInfo::exists(site + u"/_headers"_s));

    const QString html = QString::fromUtf8(readFile(site + u"/index.html"_s));
    const QString core = u"https://cdn.jsdelivr.net/npm/@pyscript/core@%1/dist/core.js"_s.arg(version);
    QVERIFY2(html.contains(u"<script type=\"module\" src=\"%1\"></script>"_s.arg(core)), qPrintable(html));
    QVERIFY(!html.contains(u"offline"_s));
    // Every URL the page names is a pinned one.
    auto urls = QRegularExpression(u"(?:https?:)?//[^\"'\\s)]+"_s).globalMatch(html);
    int count = 0;
    while (urls.hasNext()) {
        const QString url = urls.next().captured(0);
        QVERIFY2(url.startsWith(u"https://cdn.jsdelivr.net/npm/@pyscript/core@%1/dist/"_s.arg(version)),
                 qPrintable(url));
        ++count;
    }
    QCOMPARE(count, 2); // core.js and core.css
}

void tst_Export::nonEmptyOut_refusedWithoutForce()
{
    QTemporaryDir temp;
    const QString site = temp.filePath(u"site"_s);
    QVERIFY(writeFile(site + u"/keep.txt"_s, "mine"));
    Run run = runLoom({u"export"_s, Primes, site});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.output.contains(u"not empty"_s), qPrintable(run.output));
    QCOMPARE(QDir(site).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot), QStringList{u"keep.txt"_s});

    run = runLoom({u"export"_s, Primes, site, u"--force"_s, u"--mode"_s, u"cdn"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(QFileInfo::exists(site + u"/index.html"_s));
    QCOMPARE(readFile(site + u"/keep.txt"_s), "mine");

    QCOMPARE(runLoom({u"export"_s, Primes}).exitCode, 2);
    QCOMPARE(runLoom({u"export"_s, Primes, temp.filePath(u"x"_s), u"--mode"_s, u"fast"_s}).exitCode, 2);
}

void tst_Export::outInsideProject_isRefused()
{
    QTemporaryDir temp;
    const QString project = temp.filePath(u"project"_s);
    QVERIFY(writeFile(project + u"/index.html"_s, MpyOnlyPage));
    const auto before = folderSnapshot(project);
    for (const QString &out : QStringList{project + u"/site"_s, project, project + u"/a/../site"_s, temp.path()}) {
        const Run run = runLoom({u"export"_s, project, out});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains(u"project folder"_s), qPrintable(run.output));
    }
    QCOMPARE(folderSnapshot(project), before);
    QCOMPARE(QDir(temp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{u"project"_s});
}

void tst_Export::hiddenFilesAndLinksOut_areNotExported()
{
    QTemporaryDir temp;
    const QString project = temp.filePath(u"project"_s);
    QVERIFY(writeFile(project + u"/index.html"_s, MpyOnlyPage));
    QVERIFY(writeFile(project + u"/.env"_s, "SECRET=1"));
    QVERIFY(writeFile(project + u"/.git/config"_s, "[core]"));
    QVERIFY(writeFile(project + u"/data/.hidden.txt"_s, "no"));
    QVERIFY(writeFile(project + u"/data/table.csv"_s, "a,b\n"));
    QVERIFY(writeFile(temp.filePath(u"outside.txt"_s), "outside"));
    QVERIFY(QFile::link(temp.filePath(u"outside.txt"_s), project + u"/leak.txt"_s));
    QVERIFY(QFile::link(project + u"/data/table.csv"_s, project + u"/inside.csv"_s));

    const QString site = temp.filePath(u"site"_s);
    const Run run = runLoom({u"export"_s, project, site});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(QFileInfo::exists(site + u"/data/table.csv"_s));
    QCOMPARE(readFile(site + u"/inside.csv"_s), "a,b\n");
    QVERIFY(!QFileInfo(site + u"/inside.csv"_s).isSymLink());
    for (const char *file : {".env", ".git", "data/.hidden.txt", "leak.txt"})
        QVERIFY2(!QFileInfo::exists(site + u'/' + QLatin1StringView(file)), file);
    QVERIFY2(run.output.contains(u"leak.txt is a link leading out of the project"_s), qPrintable(run.output));
}

void tst_Export::subfolderPage_getsItsOwnRuntime()
{
    QTemporaryDir temp;
    const QString project = temp.filePath(u"project"_s);
    QVERIFY(writeFile(project + u"/index.html"_s, MpyOnlyPage));
    QVERIFY(writeFile(project + u"/demo/page.html"_s, MpyOnlyPage));
    const QString site = temp.filePath(u"site"_s);
    QCOMPARE(runLoom({u"export"_s, project, site}).exitCode, 0);
    // PyScript's offline switch loads the interpreters from ./pyscript/ relative to the page.
    for (const char *file : {"demo/mini-coi.js", "demo/pyscript/core.js", "demo/pyscript/micropython/micropython.mjs"})
        QVERIFY2(QFileInfo::exists(site + u'/' + QLatin1StringView(file)), file);
    QVERIFY(readFile(site + u"/demo/page.html"_s).contains("src=\"./pyscript/core.js\""));
}

void tst_Export::zip_writesOneArchive()
{
    QTemporaryDir temp;
    const QString archive = temp.filePath(u"primes.zip"_s);
    Run run = runLoom({u"export"_s, Primes, archive, u"--zip"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(QDir(temp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{u"primes.zip"_s});
    QVERIFY(readFile(archive).startsWith("PK\x03\x04"));

    QProcess list;
    list.start(u"python3"_s, {u"-m"_s, u"zipfile"_s, u"-l"_s, archive});
    QVERIFY(list.waitForFinished(60'000));
    const QString listing = QString::fromUtf8(list.readAllStandardOutput());
    for (const char *file :
         {"index.html", "mini-coi.js", "pyscript/core.js", "pyscript/pyodide/pyodide.mjs", "_headers"})
        QVERIFY2(listing.contains(
                     QRegularExpression(u"(^|\\n)%1 "_s.arg(QRegularExpression::escape(QLatin1StringView(file))))),
                 qPrintable(listing));

    QCOMPARE(runLoom({u"export"_s, Primes, archive, u"--zip"_s}).exitCode, 2);
    QCOMPARE(runLoom({u"export"_s, Primes, archive, u"--zip"_s, u"--force"_s, u"--mode"_s, u"cdn"_s}).exitCode, 0);
}

void tst_Export::miniCoi_isFirstInHead_data()
{
    QTest::addColumn<QByteArray>("page");
    QTest::addColumn<QByteArray>("exported");
    QTest::newRow("no <head> tag") << QByteArray(
        "<!doctype html>\n<title>x</title>\n<script type=\"module\" src=\"./pyscript/core.js\"></script>\n")
                                   << QByteArray(
                                          "<!doctype html><script src=\"./mini-coi.js\"></script>\n<title>x</title>\n"
                                          "<script offline type=\"module\" src=\"./pyscript/core.js\"></script>\n");
    QTest::newRow("head with attributes")
        << QByteArray(
               "<html><HEAD lang=\"en\"><script type=\"module\" src=\"./pyscript/core.js\"></script></HEAD></html>")
        << QByteArray("<html><HEAD lang=\"en\"><script src=\"./mini-coi.js\"></script>"
                      "<script offline type=\"module\" src=\"./pyscript/core.js\"></script></HEAD></html>");
    QTest::newRow("already first: not doubled")
        << QByteArray(
               "<html><head>\n<script src=\"./mini-coi.js\"></script>\n<script type=\"module\" src=\"./pyscript/core.js\"></script></head></html>")
        << QByteArray("<html><head>\n<script src=\"./mini-coi.js\"></script>\n"
                      "<script offline type=\"module\" src=\"./pyscript/core.js\"></script></head></html>");
}

void tst_Export::miniCoi_isFirstInHead()
{
    QFETCH(QByteArray, page);
    QFETCH(QByteArray, exported);
    QTemporaryDir temp;
    QVERIFY(writeFile(temp.filePath(u"project/index.html"_s), page));
    QCOMPARE(runLoom({u"export"_s, temp.filePath(u"project"_s), temp.filePath(u"site"_s)}).exitCode, 0);
    QCOMPARE(readFile(temp.filePath(u"site/index.html"_s)), exported);
    QVERIFY(QFileInfo::exists(temp.filePath(u"site/mini-coi.js"_s)));
}

QTEST_GUILESS_MAIN(tst_Export)
#include "tst_export.moc"
