#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Loom::Runtime {

// A PyScript <script> (or <py-script>/<mpy-script>) element of a page, with its place in the file.
struct PageScript
{
    QString type;     // "py" or "mpy"
    bool worker = false;
    QString name;     // worker name
    QString src;      // as written; empty for inline code
    QString config;
    int tagLine = 0;  // 1-based line of the opening tag in the HTML file
};

// Reads a page's PyScript scripts with gumbo. Used to map tracebacks and to know the workers
// a page declares.
QList<PageScript> scanPageScripts(const QByteArray &html);

} // namespace Loom::Runtime
