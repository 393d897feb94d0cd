#include "runtime/vendor/vendorurls.h"

#include "runtime/packages/packagecache.h"

#include <QRegularExpression>

namespace Loom::Runtime {

using namespace Qt::StringLiterals;

namespace {

struct Pattern
{
    const char *key;
    QRegularExpression host;
    QRegularExpression path; // captures: 1 what was asked (may be empty), 2 the file
};

// Only https and http on the CDNs' own hosts: anything else is the page's business.
const QList<Pattern> &patterns()
{
    static const QList<Pattern> list = [] {
        const auto re = [](const char *text) { return QRegularExpression(QString::fromLatin1(text)); };
        const QRegularExpression jsdelivr = re(R"(^(?:cdn|fastly|gcore|testingcf)\.jsdelivr\.net$)");
        const QRegularExpression unpkg = re(R"(^unpkg\.com$)");
        return QList<Pattern>{
            {"pyscript", re(R"(^pyscript\.net$)"), re(R"(^/releases/([^/]+)/(.+)$)")},
            {"pyscript", jsdelivr, re(R"(^/npm/@pyscript/core(?:@([^/]+))?/dist/(.+)$)")},
            {"pyscript", unpkg, re(R"(^/@pyscript/core(?:@([^/]+))?/dist/(.+)$)")},
            {"pyodide", jsdelivr, re(R"(^/pyodide/v([^/]+)/full/(.+)$)")},
            {"pyodide", jsdelivr, re(R"(^/npm/pyodide(?:@([^/]+))?/(.+)$)")},
            {"pyodide", unpkg, re(R"(^/pyodide(?:@([^/]+))?/(.+)$)")},
            {"micropython", jsdelivr, re(R"(^/npm/@micropython/micropython-webassembly-pyscript(?:@([^/]+))?/(.+)$)")},
            {"micropython", unpkg, re(R"(^/@micropython/micropython-webassembly-pyscript(?:@([^/]+))?/(.+)$)")},
        };
    }();
    return list;
}

QString displayName(const QString &key)
{
    if (key == u"pyscript")
        return u"PyScript"_s;
    if (key == u"pyodide")
        return u"Pyodide"_s;
    if (key == u"micropython")
        return u"MicroPython"_s;
    return key;
}

} // namespace

QString VendorUrl::askedName() const
{
    return asked.isEmpty() ? u"%1 (latest)"_s.arg(displayName(key)) : u"%1 %2"_s.arg(displayName(key), asked);
}

VendorUrlMap::VendorUrlMap(VendorFiles runtime)
    : m_runtime(std::move(runtime))
{}

std::optional<VendorUrl> VendorUrlMap::match(const QUrl &url) const
{
    if (url.scheme() != u"https" && url.scheme() != u"http")
        return std::nullopt;
    const QString host = url.host().toLower();
    const QString path = url.path(QUrl::FullyDecoded);
    for (const Pattern &pattern : patterns()) {
        if (!pattern.host.match(host).hasMatch())
            continue;
        const auto m = pattern.path.match(path);
        if (!m.hasMatch())
            continue;
        const VendorComponent *component = m_runtime.component(QString::fromLatin1(pattern.key));
        if (!component)
            return std::nullopt;
        VendorUrl result;
        result.key = component->key;
        result.asked = m.captured(1);
        result.file = m.captured(2);
        // "latest" and a bare package name resolve to PyScript's last release, the vendored one.
        result.sameVersion = result.asked.isEmpty() || result.asked == u"latest" || result.asked == component->version
                             || (!component->release.isEmpty() && result.asked == component->release);
        if (component->files.contains(result.file))
            result.localPath = component->dir + u'/' + result.file;
        else if (result.key == u"pyodide" && result.asked == component->version && isPackageFileName(result.file))
            result.localPath = component->dir + u'/' + result.file; // a package: Loom's package cache answers
        return result;
    }
    return std::nullopt;
}

QString VendorUrlMap::servedName(const QString &key) const
{
    const VendorComponent *component = m_runtime.component(key);
    if (!component)
        return displayName(key);
    if (!component->release.isEmpty())
        return u"%1 %2 (core %3)"_s.arg(displayName(key), component->release, component->version);
    return u"%1 %2"_s.arg(displayName(key), component->version);
}

} // namespace Loom::Runtime
