#include "runtime/export/siteexport.h"

#include "runtime/packages/projectpackages.h"
#include "runtime/project/gumbodocument.h"
#include "runtime/project/htmlrewriter.h"
#include "runtime/project/project.h"
#include "runtime/project/projectcheck.h"
#include "runtime/project/projectscan.h"
#include "runtime/vendor/vendorfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcSiteExport, "loom.runtime.siteexport", QtWarningMsg)

namespace fs = std::filesystem;

namespace {

// The headers a worker page needs (see ARCHITECTURE.md, the path of a request).
const char HeadersFile[] =
    R"(# Written by `loom export`: PyScript workers need cross-origin isolation (SharedArrayBuffer).
# Netlify and Cloudflare Pages read this file.
/*
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
  Cross-Origin-Resource-Policy: cross-origin
)";

const char NginxSnippet[] =
    R"(# Written by `loom export`. Put these lines in the server { } (or location { }) block that
# serves this site: PyScript workers need cross-origin isolation (SharedArrayBuffer).
add_header Cross-Origin-Opener-Policy "same-origin" always;
add_header Cross-Origin-Embedder-Policy "require-corp" always;
add_header Cross-Origin-Resource-Policy "cross-origin" always;
# nginx's mime.types must map .wasm to application/wasm and .mjs to text/javascript
# (both are there since nginx 1.21.4 and 1.23.0).
)";

const char ApacheSnippet[] =
    R"(# Written by `loom export`: PyScript workers need cross-origin isolation (SharedArrayBuffer).
# As .htaccess (AllowOverride FileInfo) or inside the site's <VirtualHost> / <Directory>.
<IfModule mod_headers.c>
  Header always set Cross-Origin-Opener-Policy "same-origin"
  Header always set Cross-Origin-Embedder-Policy "require-corp"
  Header always set Cross-Origin-Resource-Policy "cross-origin"
</IfModule>
AddType application/wasm .wasm
AddType text/javascript .mjs
)";

const QString MiniCoiFile = QStringLiteral("mini-coi.js");

bool isInside(const fs::path &root, const fs::path &candidate)
{
    const auto [rootEnd, _] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
    return rootEnd == root.end();
}

fs::path toPath(const QString &path)
{
    return fs::path(QDir::cleanPath(QFileInfo(path).absoluteFilePath()).toStdU16String());
}

QString fromPath(const fs::path &path)
{
    return QString::fromStdU16String(path.generic_u16string());
}

// The canonical form of a path that may not exist yet: its deepest existing ancestor resolved
// (links included), the rest appended.
fs::path weaklyCanonical(const QString &path)
{
    std::error_code error;
    return fs::weakly_canonical(toPath(path), error).lexically_normal();
}

bool isHidden(const fs::path &relative)
{
    return std::ranges::any_of(relative, [](const fs::path &part) { return Project::isHiddenName(part.string()); });
}

bool isPage(const QString &relative)
{
    return relative.endsWith(u".html", Qt::CaseInsensitive) || relative.endsWith(u".htm", Qt::CaseInsensitive);
}

QString parentOf(const QString &relative)
{
    const qsizetype slash = relative.lastIndexOf(u'/');
    return slash < 0 ? QString() : relative.left(slash);
}

QString joinPath(const QString &dir, const QString &name)
{
    return dir.isEmpty() ? name : dir + u'/' + name;
}

// One file of the site: copied from disk or generated.
struct Entry
{
    QString sourceFile; // empty when generated
    QByteArray data;
};

// Interpreters a piece of Python or HTML starts through code rather than tags:
// create_named_worker(..., type="mpy") (its type defaults to "py", pyscript/workers.py) and
// PyScript's JS PyWorker / MPWorker.
void scanDynamicWorkers(const QString &text, QSet<QString> &types)
{
    static const QRegularExpression call(QStringLiteral(R"(\bcreate_named_worker\s*\()"));
    static const QRegularExpression typeArgument(QStringLiteral(R"(\btype\s*=\s*["'](py|mpy)["'])"));
    auto matches = call.globalMatch(text);
    while (matches.hasNext()) {
        const auto match = matches.next();
        // The arguments, up to the matching parenthesis.
        qsizetype depth = 1;
        qsizetype end = match.capturedEnd();
        for (; end < text.size() && depth > 0; ++end) {
            if (text.at(end) == u'(')
                ++depth;
            else if (text.at(end) == u')')
                --depth;
        }
        const auto type = typeArgument.match(text.mid(match.capturedEnd(), end - match.capturedEnd()));
        types.insert(type.hasMatch() ? type.captured(1) : QStringLiteral("py"));
    }
    if (text.contains(QRegularExpression(QStringLiteral(R"(\bPyWorker\s*\()"))))
        types.insert(QStringLiteral("py"));
    if (text.contains(QRegularExpression(QStringLiteral(R"(\bMPWorker\s*\()"))))
        types.insert(QStringLiteral("mpy"));
}

// Inserts `markup` right after the page's <head> tag (or, for a page that omits it, after <html>,
// else at the start), on the same line, so every line number of the page stays the same.
// mini-coi must be the first child of <head>: it registers its service worker before anything
// else loads, and reloads the page once the worker controls it (mini-coi README).
QByteArray insertFirstInHead(const QByteArray &html, const QByteArray &markup, bool *alreadyFirst)
{
    const GumboDocument document(html);
    const GumboNode *root = document.root();
    const GumboElement &htmlElement = root->v.element;
    const GumboElement *head = nullptr;
    for (unsigned i = 0; i < htmlElement.children.length; ++i) {
        const auto *child = static_cast<const GumboNode *>(htmlElement.children.data[i]);
        if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_HEAD) {
            head = &child->v.element;
            break;
        }
    }
    *alreadyFirst = false;
    if (head) {
        for (unsigned i = 0; i < head->children.length; ++i) {
            const auto *child = static_cast<const GumboNode *>(head->children.data[i]);
            if (child->type == GUMBO_NODE_WHITESPACE || child->type == GUMBO_NODE_COMMENT)
                continue;
            if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_SCRIPT
                && gumboAttribute(child->v.element, "src").trimmed().endsWith(u"mini-coi.js")) {
                *alreadyFirst = true;
                return html;
            }
            break;
        }
    }
    const GumboElement *anchor = head && head->original_tag.length > 0 ? head
                                 : htmlElement.original_tag.length > 0 ? &htmlElement
                                                                       : nullptr;
    qsizetype offset = 0;
    if (anchor) {
        offset = qsizetype(anchor->original_tag.data - html.constData()) + qsizetype(anchor->original_tag.length);
    } else if (html.trimmed().startsWith("<!")) {
        const qsizetype end = html.indexOf('>');
        offset = end < 0 ? 0 : end + 1;
    }
    QByteArray result = html;
    result.insert(offset, markup);
    return result;
}

Result<void> writeFile(const fs::path &canonicalOut, const QString &outDir, const QString &relative,
                       const QByteArray &data)
{
    const QString target = QDir(outDir).filePath(relative);
    const QString parent = QFileInfo(target).absolutePath();
    if (!QDir().mkpath(parent))
        return failure(QStringLiteral("cannot create the folder %1").arg(QDir::toNativeSeparators(parent)));
    // A link left in OUT (by a previous export, or planted) must not carry a write outside OUT.
    std::error_code error;
    const fs::path canonicalParent = fs::canonical(toPath(parent), error);
    if (error || !isInside(canonicalOut, canonicalParent))
        return failure(QStringLiteral("refusing to write %1: it leads out of the export folder")
                           .arg(QDir::toNativeSeparators(target)));
    const QFileInfo info(target);
    if (info.isSymLink() && !QFile::remove(target))
        return failure(QStringLiteral("cannot replace the link %1").arg(QDir::toNativeSeparators(target)));
    if (info.isDir() && !info.isSymLink())
        return failure(QStringLiteral("cannot write %1: a folder has that name").arg(QDir::toNativeSeparators(target)));
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return failure(QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(target), file.errorString()));
    return {};
}

Result<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    return file.readAll();
}

Result<qint64> writeArchive(const QString &archivePath, const std::map<QString, Entry> &entries)
{
    int code = 0;
    zip_t *archive = zip_open(QFile::encodeName(archivePath).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const QString message = QString::fromUtf8(zip_error_strerror(&error));
        zip_error_fini(&error);
        return failure(QStringLiteral("cannot create %1: %2").arg(QDir::toNativeSeparators(archivePath), message));
    }
    // libzip reads the buffers at zip_close: keep them alive until then.
    QList<QByteArray> buffers;
    buffers.reserve(qsizetype(entries.size()));
    for (const auto &[relative, entry] : entries) {
        QByteArray data = entry.data;
        if (!entry.sourceFile.isEmpty()) {
            auto read = readFile(entry.sourceFile);
            if (!read) {
                zip_discard(archive);
                return failure(read.error());
            }
            data = *read;
        }
        buffers.append(data);
        zip_source_t *source = zip_source_buffer(archive, buffers.last().constData(),
                                                 zip_uint64_t(buffers.last().size()), 0);
        if (!source
            || zip_file_add(archive, relative.toUtf8().constData(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            if (source)
                zip_source_free(source);
            const QString message = QString::fromUtf8(zip_strerror(archive));
            zip_discard(archive);
            return failure(QStringLiteral("cannot add %1 to the archive: %2").arg(relative, message));
        }
    }
    if (zip_close(archive) < 0) {
        const QString message = QString::fromUtf8(zip_strerror(archive));
        zip_discard(archive);
        return failure(QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(archivePath), message));
    }
    return QFileInfo(archivePath).size();
}

} // namespace

QString cdnCoreUrl(QStringView version, QStringView file)
{
    return u"https://cdn.jsdelivr.net/npm/@pyscript/core@" + version + u"/dist/" + file;
}

Result<void> checkExportTarget(const ExportOptions &options)
{
    if (auto project = Project::open(options.projectDir); !project)
        return failure(project.error());
    if (options.outPath.isEmpty())
        return failure(QStringLiteral("no output path"));

    std::error_code error;
    const fs::path project = fs::canonical(toPath(options.projectDir), error);
    if (error)
        return failure(QStringLiteral("cannot resolve %1").arg(QDir::toNativeSeparators(options.projectDir)));
    const fs::path out = weaklyCanonical(options.outPath);
    if (out == project)
        return failure(QStringLiteral("the output must not be the project folder itself"));
    if (isInside(project, out))
        return failure(QStringLiteral("the output %1 is inside the project folder; choose a folder outside it")
                           .arg(QDir::toNativeSeparators(options.outPath)));
    if (isInside(out, project))
        return failure(QStringLiteral("the output %1 contains the project folder; choose a folder outside it")
                           .arg(QDir::toNativeSeparators(options.outPath)));

    const QFileInfo outInfo(options.outPath);
    if (options.zip) {
        if (outInfo.isSymLink())
            return failure(QStringLiteral("%1 is a link; give the archive's own path")
                               .arg(QDir::toNativeSeparators(options.outPath)));
        if (outInfo.isDir())
            return failure(QStringLiteral("%1 is a folder; --zip takes the archive's file name")
                               .arg(QDir::toNativeSeparators(options.outPath)));
        if (outInfo.exists() && !options.force)
            return failure(
                QStringLiteral("%1 exists; use --force to replace it").arg(QDir::toNativeSeparators(options.outPath)));
        return {};
    }
    if (outInfo.exists() && !outInfo.isDir())
        return failure(QStringLiteral("%1 exists and is not a folder").arg(QDir::toNativeSeparators(options.outPath)));
    if (outInfo.isDir()
        && !QDir(options.outPath).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)
        && !options.force)
        return failure(QStringLiteral("%1 is not empty; use --force to write into it")
                           .arg(QDir::toNativeSeparators(options.outPath)));
    return {};
}

namespace {
// The package files a bundled site ships, fetched into the cache when missing; notes for what
// still needs the network (PyPI names, wheel URLs).
Result<QList<std::pair<QString, QString>>> bundledPackages(const ExportOptions &options, QStringList &notes)
{
    auto packages = ProjectPackages::load(options.projectDir, *options.runtime);
    if (!packages)
        return failure(packages.error());
    // The site ships Pyodide's packages; PyPI's stay on PyPI (micropip asks pypi.org for them).
    PackagePlan plan = (*packages)->plan();
    plan.needs.removeIf([](const PackageNeed &need) { return need.origin != PackageNeed::Origin::Lock; });
    auto fetched = (*packages)->fetch(plan, options.packageProgress);
    if (!fetched) {
        return failure(QStringLiteral("The bundled site ships the Pyodide packages its configs ask for, and one is "
                                      "missing: %1 %2 Then export again.")
                           .arg(fetched.error(), fetchAdvice(options.projectDir)));
    }
    QList<std::pair<QString, QString>> files;
    for (const PackageNeed &need : (*packages)->plan().needs) {
        switch (need.origin) {
        case PackageNeed::Origin::Lock:
            files.append({need.file->fileName, need.cachedPath});
            break;
        case PackageNeed::Origin::Index:
            notes.append(QStringLiteral("%1 (%2) is not one of Pyodide's packages: micropip fetches it from PyPI, so "
                                        "the exported site needs the network for it")
                             .arg(need.name, need.requestedBy.join(QStringLiteral(", "))));
            break;
        case PackageNeed::Origin::Url:
            notes.append(QStringLiteral("%1 (%2) is fetched from its URL: the exported site needs the network for it")
                             .arg(need.name, need.requestedBy.join(QStringLiteral(", "))));
            break;
        case PackageNeed::Origin::Project:
            break; // exported with the project's files
        }
    }
    return files;
}
} // namespace

Result<ExportReport> exportSite(const ExportOptions &options)
{
    Q_ASSERT(options.runtime);
    if (auto checked = checkExportTarget(options); !checked)
        return failure(checked.error());
    const VendorFiles &runtime = *options.runtime;
    const bool bundled = options.mode == ExportMode::Bundled;
    if (options.compiledStdlib) {
        if (!bundled)
            return failure(QStringLiteral("--compiled-stdlib ships a file of the runtime: it needs the bundled mode "
                                          "(a cdn export loads Pyodide from its CDN)"));
        if (runtime.component(u"pyodide")->precompiledStdlib.isEmpty())
            return failure(QStringLiteral("Loom's runtime has no compiled standard library: rebuild Loom "
                                          "(./dev.sh build)"));
    }

    std::error_code error;
    const fs::path project = fs::canonical(toPath(options.projectDir), error);
    ExportReport report;
    report.outPath = QFileInfo(options.outPath).absoluteFilePath();
    report.mode = options.mode;
    report.zip = options.zip;

    // 1. The project's visible files, never one reached through a link leading out.
    std::map<QString, Entry> entries; // sorted: the report and the archive list files in order
    QStringList pages;
    for (auto it = fs::recursive_directory_iterator(project, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        const fs::path relative = it->path().lexically_relative(project);
        if (isHidden(relative)) {
            if (it->is_directory(error))
                it.disable_recursion_pending();
            continue;
        }
        const QString rel = fromPath(relative);
        if (it->is_symlink(error)) {
            const fs::path target = fs::canonical(it->path(), error);
            if (error || !isInside(project, target)) {
                report.notes.append(QStringLiteral("%1 is a link leading out of the project: not exported").arg(rel));
                error.clear();
                continue;
            }
            if (fs::is_directory(target, error)) {
                report.notes.append(QStringLiteral("%1 is a link to a folder: not followed").arg(rel));
                continue;
            }
        }
        if (!it->is_regular_file(error))
            continue;
        entries[rel] = Entry{QString::fromStdU16String(it->path().u16string()), {}};
        if (isPage(rel))
            pages.append(rel);
    }
    if (error)
        return failure(QStringLiteral("cannot list %1: %2")
                           .arg(QDir::toNativeSeparators(options.projectDir), QString::fromStdString(error.message())));

    // 2. Which interpreters the project uses: script tags of every page, create_named_worker and
    //    PyWorker/MPWorker calls in its Python, HTML and JavaScript.
    QSet<QString> types;
    for (const auto &[rel, entry] : entries) {
        const bool source = rel.endsWith(u".py") || isPage(rel) || rel.endsWith(u".js") || rel.endsWith(u".mjs");
        if (!source)
            continue;
        auto data = readFile(entry.sourceFile);
        if (!data)
            return failure(data.error());
        if (isPage(rel)) {
            for (const PageScript &script : scanPageScripts(*data))
                types.insert(script.type);
        }
        scanDynamicWorkers(QString::fromUtf8(*data), types);
    }
    const bool usesPyodide = types.contains(QStringLiteral("py"));
    const bool usesMicroPython = types.contains(QStringLiteral("mpy"));
    if (usesPyodide)
        report.interpreters.append(QStringLiteral("pyodide"));
    if (usesMicroPython)
        report.interpreters.append(QStringLiteral("micropython"));

    // 3. Each page rewritten; generated files beside it. Generated files win over project files
    //    of the same path (a project that vendored its own pyscript/ folder, say).
    std::map<QString, Entry> generated;
    const QString coreVersion = runtime.version(u"pyscript");
    const VendorComponent *miniCoi = runtime.component(u"mini-coi");
    QSet<QString> runtimeDirs;
    for (const QString &page : std::as_const(pages)) {
        auto html = readFile(entries.at(page).sourceFile);
        if (!html)
            return failure(html.error());
        RewriteOptions rewrite;
        rewrite.servedVersion = coreVersion;
        rewrite.servedRelease = runtime.component(u"pyscript")->release;
        rewrite.offline = bundled;
        // PyScript's `offline` switch loads ./pyscript/<interpreter>/ relative to the page
        // (core.js: relative_url against location.href), so each page's folder gets its pyscript/.
        rewrite.coreScriptUrl = bundled ? QStringLiteral("./pyscript/core.js") : cdnCoreUrl(coreVersion, u"core.js");
        rewrite.coreCssUrl = bundled ? QStringLiteral("./pyscript/core.css") : cdnCoreUrl(coreVersion, u"core.css");
        RewriteResult rewritten = rewriteHtml(*html, rewrite);
        for (const QString &note : std::as_const(rewritten.notes))
            report.notes.append(page + u": " + note);
        bool alreadyFirst = false;
        QByteArray out = insertFirstInHead(rewritten.html, QByteArrayLiteral("<script src=\"./mini-coi.js\"></script>"),
                                           &alreadyFirst);
        const QString dir = parentOf(page);
        generated[page] = Entry{{}, out};
        generated[joinPath(dir, MiniCoiFile)] = Entry{runtime.rootDir() + u'/' + miniCoi->dir + u'/' + MiniCoiFile, {}};
        if (rewritten.coreFound && bundled)
            runtimeDirs.insert(dir);
        report.pages.append(page);
    }
    // The packages' files, from Loom's package cache (fetched now if missing).
    QList<std::pair<QString, QString>> packageFiles; // file name, cached path
    if (bundled && usesPyodide && !runtimeDirs.isEmpty()) {
        auto shipped = bundledPackages(options, report.notes);
        if (!shipped)
            return failure(shipped.error());
        packageFiles = *shipped;
        for (const auto &[name, path] : std::as_const(packageFiles))
            report.packages.append(name);
    }
    if (bundled && usesPyodide && options.compiledStdlib && !runtimeDirs.isEmpty())
        report.notes.append(
            QStringLiteral("pyscript/pyodide/python_stdlib.zip is the standard library with each module "
                           "compiled (--compiled-stdlib), as Loom serves it; npm's has the sources only"));
    if (bundled) {
        QStringList dirs = runtimeDirs.values();
        dirs.sort();
        if (dirs.size() > 1)
            report.notes.append(
                QStringLiteral("pages in %1 folders: each folder gets its own pyscript/ (PyScript's offline "
                               "mode loads the interpreters relative to the page)")
                    .arg(dirs.size()));
        for (const QString &dir : std::as_const(dirs)) {
            const auto addComponent = [&](QStringView key, const QString &into) {
                const VendorComponent *component = runtime.component(key);
                const auto fromRuntime = [&](const QString &file) {
                    return Entry{runtime.rootDir() + u'/' + component->dir + u'/' + file, {}};
                };
                QStringList files = component->files;
                if (!component->notices.isEmpty()) // the licenses of what the site redistributes
                    files.append(component->notices);
                for (const QString &file : std::as_const(files))
                    generated[joinPath(dir, into + file)] = fromRuntime(file);
                // npm's python_stdlib.zip, or (checked present before anything was written) Loom's
                if (options.compiledStdlib && !component->precompiledStdlib.isEmpty())
                    generated[joinPath(dir, into + u"python_stdlib.zip")] = fromRuntime(component->precompiledStdlib);
            };
            addComponent(u"pyscript", QStringLiteral("pyscript/"));
            if (usesPyodide) {
                addComponent(u"pyodide", QStringLiteral("pyscript/pyodide/"));
                for (const auto &[name, path] : std::as_const(packageFiles))
                    generated[joinPath(dir, QStringLiteral("pyscript/pyodide/") + name)] = Entry{path, {}};
            }
            if (usesMicroPython)
                addComponent(u"micropython", QStringLiteral("pyscript/micropython/"));
        }
    }
    generated[QStringLiteral("_headers")] = Entry{{}, QByteArray(HeadersFile)};
    generated[QStringLiteral("nginx.conf.snippet")] = Entry{{}, QByteArray(NginxSnippet)};
    generated[QStringLiteral("apache.conf.snippet")] = Entry{{}, QByteArray(ApacheSnippet)};
    generated[QStringLiteral(".htaccess")] = Entry{{}, QByteArray(ApacheSnippet)};
    for (auto &[rel, entry] : generated) {
        if (!isPage(rel) && entries.contains(rel))
            report.notes.append(QStringLiteral("%1: the project's file is replaced by the exported one").arg(rel));
        entries[rel] = std::move(entry);
    }

    // 4. Write, never outside OUT.
    for (const auto &[rel, entry] : entries) {
        qint64 bytes = entry.data.size();
        if (!entry.sourceFile.isEmpty())
            bytes = QFileInfo(entry.sourceFile).size();
        report.files.append({rel, bytes});
        report.totalBytes += bytes;
    }
    if (options.zip) {
        const QString parent = QFileInfo(report.outPath).absolutePath();
        if (!QDir().mkpath(parent))
            return failure(QStringLiteral("cannot create the folder %1").arg(QDir::toNativeSeparators(parent)));
        auto written = writeArchive(report.outPath, entries);
        if (!written)
            return failure(written.error());
        report.archiveBytes = *written;
        return report;
    }
    if (!QDir().mkpath(report.outPath))
        return failure(QStringLiteral("cannot create the folder %1").arg(QDir::toNativeSeparators(report.outPath)));
    const fs::path canonicalOut = fs::canonical(toPath(report.outPath), error);
    if (error)
        return failure(QStringLiteral("cannot resolve %1").arg(QDir::toNativeSeparators(report.outPath)));
    for (const auto &[rel, entry] : entries) {
        QByteArray data = entry.data;
        if (!entry.sourceFile.isEmpty()) {
            auto read = readFile(entry.sourceFile);
            if (!read)
                return failure(read.error());
            data = *read;
        }
        if (auto written = writeFile(canonicalOut, report.outPath, rel, data); !written)
            return failure(written.error());
    }
    qCDebug(lcSiteExport) << "exported" << report.files.size() << "files to" << report.outPath;
    return report;
}

} // namespace Loom::Runtime
