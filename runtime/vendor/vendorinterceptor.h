#pragma once

#include "runtime/bridge/failedload.h"
#include "runtime/vendor/vendorurls.h"

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QWebEngineUrlRequestInterceptor>

#include <map>
#include <mutex>
#include <set>

namespace Loom::Runtime {

// What Loom's own pages asked of the network: the runtime's public URLs answered locally, and
// what left the machine because Loom does not vendor it.
struct NetworkSummary
{
    int mapped = 0;        // runtime URLs answered by Loom's server
    QStringList external;  // other hosts' URLs, in order, at most MaxExternal
    int externalCount = 0; // all of them, including those past the list's bound
    static constexpr int MaxExternal = 200;
};

// Installed on every QWebEngineProfile Loom drives (the IDE's preview, headless runs, gallery
// thumbnails). A request for a public URL of the vendored runtime (pyscript.net releases,
// jsDelivr and unpkg's @pyscript/core, Pyodide's CDN folder, the MicroPython package) is
// redirected to the same file on Loom's loopback server, whoever asks: a <script> tag, an
// import in an inline module, a dynamic import(), a worker importing its interpreter. The page
// itself is served as written, so PyScript takes its ordinary (online) code path. Files Loom
// does not vendor go out as the page asked, and are counted. Runs on the UI thread (Qt 6).
class VendorInterceptor final : public QWebEngineUrlRequestInterceptor
{
    Q_OBJECT

public:
    explicit VendorInterceptor(VendorUrlMap map, QObject *parent = nullptr);

    // The loopback server that answers (its /__loom__/runtime/). Until set, nothing is mapped.
    void setServer(const QUrl &baseUrl);
    void interceptRequest(QWebEngineUrlRequestInfo &info) override;

    NetworkSummary summary() const;
    void reset();

Q_SIGNALS:
    // Once per run and per (package, version) the page asked for and Loom does not have:
    // "The page asks for PyScript 2025.11.1; Loom runs it with PyScript 2026.7.3 (core 0.7.31)."
    void note(const QString &text);
    // A request that leaves the machine (not loopback, not the vendored runtime).
    void external(const QUrl &url);
    // Such a request whose host does not resolve: the browser's load fails the same way. The
    // network layer cannot see responses, so this is what it can tell (offline, a typo'd host).
    void loadFailed(const Loom::Runtime::FailedLoad &load);

private:
    VendorUrlMap m_map;
    mutable std::mutex m_mutex;
    QUrl m_server;
    NetworkSummary m_summary;
    std::set<QString> m_noted;
    void checkHost(const QUrl &url);
    struct Host
    {
        bool known = false;
        QString failure;     // empty: resolves
        QList<QUrl> waiting; // requests made while the lookup runs
    };
    std::map<QString, Host> m_hosts; // UI thread only
};

// True for URLs that stay on this machine: loopback hosts, and the browser's own schemes.
bool isLocalUrl(const QUrl &url);

} // namespace Loom::Runtime
