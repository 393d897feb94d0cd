#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Loom::Runtime {

// A PyScript <script> (or <py-script>/<mpy-script>) element of a page, with its place in the file.
struct PageScript
{
    QString type; // "py" or "mpy"
    bool worker = false;
    QString name; // worker name
    QString src;  // as written; empty for inline code
    QString config;
    int tagLine = 0; // 1-based line of the opening tag in the HTML file
    // Inline code as written (PyScript dedents it before running), and where it starts in the
    // HTML file: 1-based line, 0-based column.
    QString code;
    int codeLine = 0;
    int codeColumn = 0;
    // Where the config attribute's value starts (inside its quotes): 1-based line, 0-based column.
    int configLine = 0;
    int configColumn = 0;
};

// The interpreter a PyScript script runs, "py" (Pyodide) or "mpy" (MicroPython), for a <script>'s
// type value or a custom element's name; empty when it names no PyScript script. The one
// definition, resources/python/pyscript_scripts.json, is shared with Loom's Python modules.
QString scriptTypeKind(QStringView type);
QString scriptElementKind(QStringView name);

// A CSS selector that matches exactly the elements scanPageScripts() returns (in document order,
// as querySelectorAll gives them): the page's side of the same definition.
QString pyscriptSelector();

// Reads a page's PyScript scripts with gumbo. Used to map tracebacks and to know the workers
// a page declares.
QList<PageScript> scanPageScripts(const QByteArray &html);

} // namespace Loom::Runtime
