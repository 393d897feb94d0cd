#pragma once

#include <QByteArray>
#include <QStringView>

namespace Loom::Runtime {

// Content type for a served file. The web types PyScript depends on are fixed here (a wrong
// type breaks pages: .mjs must be JavaScript, .wasm must be application/wasm); anything else
// comes from the shared MIME database.
QByteArray mimeTypeForFileName(QStringView fileName);

} // namespace Loom::Runtime
