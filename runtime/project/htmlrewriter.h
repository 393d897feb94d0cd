#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace Loom::Runtime {

// A reference to PyScript's core in a page: where it points and which version it asks for.
struct CoreReference
{
    enum class Asset { Script, Stylesheet };
    Asset asset = Asset::Script;
    QString version; // empty for relative paths ("./pyscript/core.js")
};

// Recognises the ways a page names PyScript's core: https://pyscript.net/releases/<v>/core.js,
// jsDelivr and unpkg URLs of @pyscript/core@<v>/dist/core.js, and relative paths into a local
// "pyscript" folder (the upstream offline recipe). Also the matching core.css.
std::optional<CoreReference> matchCoreUrl(QStringView url);

struct RewriteOptions
{
    QString coreScriptUrl; // the runtime's core.js, e.g. /__loom__/runtime/pyscript-0.7.31/core.js
    QString coreCssUrl;    // the runtime's core.css
    QString servedVersion; // the PyScript version Loom serves
    QString servedRelease; // its pyscript.net release tag ("2026.7.3"): the same release, no note
    bool offline =
        true; // add PyScript's `offline` attribute (a cdn export must not: it loads interpreters from the CDN)
};

struct RewriteResult
{
    QByteArray html;
    bool coreFound = false;
    QStringList notes; // what a user should know, e.g. a version other than the one served
};

// For browsers Loom does not drive (`loom serve`, exports): points a page's PyScript core, and
// other files of PyScript's dist imported from inline modules (`storage.js`), at the local
// runtime and marks the core `offline`, so that PyScript
// loads both interpreters, for main scripts, worker scripts and create_named_worker alike, from
// ./pyscript/{pyodide,micropython}/ next to the page, which the dev server answers from the
// runtime. Only the bytes of the changed attributes move: every other byte, and so every line
// number, stays as the author wrote it. The file on disk is never touched.
RewriteResult rewriteHtml(const QByteArray &html, const RewriteOptions &options);

// `markup` put just before the page's </head>, or after its last byte when it has no </head>
// written: no line of the page moves, and nothing comes before its doctype. For what Loom's
// server adds to a page it serves (`loom serve --reload`'s script), never to files or exports.
QByteArray insertBeforeHeadEnd(const QByteArray &html, const QByteArray &markup);

} // namespace Loom::Runtime
