#pragma once

#include "runtime/vendor/vendorfiles.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace Loom::Runtime {

// A public URL of the runtime, as pages and PyScript itself write it:
//   https://pyscript.net/releases/<tag>/<file>
//   https://cdn.jsdelivr.net/npm/@pyscript/core@<version>/dist/<file>   (also fastly., unpkg.com)
//   https://cdn.jsdelivr.net/pyodide/v<version>/full/<file>              (pyodide.mjs's own default)
//   https://cdn.jsdelivr.net/npm/pyodide@<version>/<file>                (also unpkg.com)
//   https://cdn.jsdelivr.net/npm/@micropython/micropython-webassembly-pyscript@<version>/<file>
struct VendorUrl
{
    QString key;              // "pyscript", "pyodide", "micropython"
    QString asked;            // what the URL names: a release tag, a version, or empty (npm's latest)
    QString file;             // below the package's folder: "core.js", "pyodide.mjs", "numpy-….whl"
    bool sameVersion = false; // `asked` is the vendored version (or its release tag)
    // The path below VendorFiles::UrlPrefix that answers it ("pyscript-0.7.31/core.js"; a
    // package archive of the vendored Pyodide, which the server's PackageCache answers), or
    // empty when Loom has no answer (a source map, another Pyodide's packages): such a request
    // is left to go out, and is reported as leaving the machine.
    QString localPath;

    // "PyScript 2026.7.3" / "Pyodide 0.26.4", as the page asked for it.
    QString askedName() const;
};

// Knows the vendored runtime's versions (and PyScript's release tag, which pyscript.net uses in
// its URLs: release 2026.7.3 is core 0.7.31) and recognises the public URLs above. Pure: no
// network, no disk beyond what VendorFiles already read. Thread-safe (const).
class VendorUrlMap final
{
public:
    explicit VendorUrlMap(VendorFiles runtime);

    std::optional<VendorUrl> match(const QUrl &url) const;
    // The vendored version in the words a user knows: "PyScript 2026.7.3 (core 0.7.31)".
    QString servedName(const QString &key) const;
    const VendorFiles &runtime() const { return m_runtime; }

private:
    VendorFiles m_runtime;
};

} // namespace Loom::Runtime
