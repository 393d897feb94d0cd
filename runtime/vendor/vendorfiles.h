#pragma once

#include "runtime/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Loom::Runtime {

// One vendored npm package of the runtime: PyScript's core, Pyodide, MicroPython or mini-coi.
struct VendorComponent
{
    QString key; // "pyscript", "pyodide", "micropython", "mini-coi"
    QString dir; // versioned folder name, e.g. "pyodide-314.0.2"
    QString version;
    QString release; // PyScript only: the pyscript.net release tag of this version ("2026.7.3")
    QStringList files;
    // Pyodide only: python_stdlib.zip with each module's bytecode (cmake/precompile_stdlib.mjs),
    // which the dev server serves in its place; not among `files`: exports ship npm's unless asked.
    QString precompiledStdlib;
    // Who holds the files and their licenses' texts (cmake/runtime_notices.py): an export ships it
    // beside them. Not among `files` either.
    QString notices;

    // Everything in the component's folder: `files`, then the two above where it has them.
    QStringList folderFiles() const;
};

// The offline runtime next to the executable (share/loom/runtime), described by runtime.json.
class VendorFiles final
{
public:
    // The reserved URL prefix under which the dev server serves the runtime.
    static constexpr QStringView UrlPrefix = u"/__loom__/runtime/";

    // Reads runtime.json and checks that every file it lists exists.
    static Result<VendorFiles> load(const QString &runtimeDir);
    // $LOOM_RUNTIME_DIR, else <exe>/../share/loom/runtime.
    static QString defaultDir();

    QString rootDir() const { return m_rootDir; }
    const VendorComponent *component(QStringView key) const;
    QString version(QStringView key) const;

    // "/__loom__/runtime/pyscript-0.7.31/core.js"
    QString urlPath(QStringView key, QStringView file) const;
    // Absolute path on disk for a path below UrlPrefix ("pyodide-314.0.2/pyodide.mjs"), or an
    // empty string when it is not one of the manifest's files: lookups never touch the disk tree.
    QString localFile(QStringView pathBelowPrefix) const;
    // The precompiled standard library on disk if pathBelowPrefix is Pyodide's python_stdlib.zip
    // ("pyodide-314.0.2/python_stdlib.zip") and the runtime has it, else an empty string.
    QString precompiledStdlib(QStringView pathBelowPrefix) const;

private:
    QString m_rootDir;
    QList<VendorComponent> m_components;
};

} // namespace Loom::Runtime
