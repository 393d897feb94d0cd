#pragma once

#include "runtime/bridge/failedload.h"
#include "runtime/bridge/pageevent.h"
#include "runtime/debug/debughit.h"
#include "runtime/packages/packagecache.h"
#include "runtime/result.h"
#include "runtime/vendor/vendorfiles.h"

#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace Loom::Runtime {

struct DevServerOptions
{
    QString projectRoot;
    VendorFiles runtime;
    quint16 port = 0; // 0: any free port
    // COOP/COEP/CORP/ACAO on every response. Off only to reproduce a host without header control.
    bool isolationHeaders = true;
    // The page bridge: when set, the runtime's core.js is served with one more import,
    // resources/bridge/instrument.js, so the bridge attaches however the page loads PyScript
    // (a tag, a static or dynamic import, a script made by JavaScript), and batches POSTed to /__loom__/bridge/events/<token> reach onBatch, parsed and
    // validated, on a server thread (the receiver must be thread-safe).
    struct Bridge
    {
        QString token;
        std::function<void(EventBatch)> onBatch;
    };
    std::optional<Bridge> bridge;
    // A debug run (needs the bridge, whose token it shares): core.js also imports
    // resources/bridge/debugger.js, which starts resources/bridge/loom_debug.py in every Python
    // interpreter of the page; what they report is POSTed to /__loom__/debug/<token> and reaches
    // onHit, parsed, on a server thread; onHit's answer (JSON: {"action": ...}) is what the
    // thread does next, and onHit may take as long as the thread stays paused. `config` is a JSON
    // object: {breakpoints, scripts, selector} (ProjectRun makes it); the server adds the
    // endpoint. DevServer::setDebug switches it on for the next page load.
    struct Debug
    {
        std::string config;
        std::function<std::string(DebugHit)> onHit;
    };
    // Pages shown in Loom's own QtWebEngine are served as written: a VendorInterceptor answers
    // the runtime's public URLs at the network layer. Pages for other browsers (`loom serve`)
    // have no such layer: their core URL is rewritten to the local runtime and marked `offline`.
    bool rewritePages = false;
    // Pyodide's python_stdlib.zip answered with the runtime's copy whose modules are compiled
    // (VendorComponent::precompiledStdlib): the same modules, imported without compiling them.
    // Off: npm's archive, as a plain server serves it (`--upstream-stdlib`, to compare).
    bool precompiledStdlib = true;
    // Pyodide's packages (not vendored: npm's pyodide ships no wheels) come through Loom's
    // PackageCache. Empty: PackageCache::defaultDir / defaultUpstream for the vendored version.
    QString packageCacheDir = {};
    QUrl packageUpstream = {};
    // `loom serve --reload`: pages served as documents carry LiveReload's script, and reload
    // when a file of the project changes (watched on a thread of its own from start() on).
    bool reload = false;
    // How long a client may take to send one request (line, headers and body), from its first
    // byte: a connection trickling bytes is closed then, and its thread is free again.
    std::chrono::milliseconds requestDeadline = std::chrono::seconds(10);
};

// Loom's loopback HTTP server: the project folder, the offline runtime under
// /__loom__/runtime/<package>-<version>/, and HTML rewritten on the fly to use that runtime.
// Requests are served on cpp-httplib's own thread pool, never on the caller's thread.
class DevServer final
{
public:
    explicit DevServer(DevServerOptions options);
    ~DevServer();
    Q_DISABLE_COPY_MOVE(DevServer)

    // Binds 127.0.0.1 and starts serving; fails with a message when the port is taken or the
    // project folder is unusable.
    Result<> start();
    // Stops accepting, closes idle connections, joins the threads. Bounded by the keep-alive
    // timeout (about two seconds).
    void stop();

    bool isListening() const;
    quint16 port() const;
    QUrl baseUrl() const;

    // Called from server threads with things the user should know about a served page
    // (for example "the page asks for PyScript 2024.1.1"). Set before start().
    void setNoteHandler(std::function<void(const QString &)> handler);
    // Called from server threads when a page asked for a file that cannot be served (a missing
    // project file, a Pyodide package Loom cannot get): a failed load the browser's console does
    // not hand to Loom, with its URL and "HTTP <status> from Loom's server: <why>".
    void setFailureHandler(std::function<void(const FailedLoad &)> handler);
    // A debug run from the next load of the page on (nullopt: plain runs), any thread, once
    // started. Needs the bridge; fails when the configuration is not a JSON object.
    Result<> setDebug(std::optional<DevServerOptions::Debug> debug);
    // With DevServerOptions::reload: called on the watcher's thread with the project files that
    // changed, as the open pages are told to reload. Set before start().
    void setReloadHandler(std::function<void(const QStringList &)> handler);
    // Called from server threads while a Pyodide package the page asked for is downloaded into
    // Loom's package cache (throttled: see PackageProgress). Set before start().
    void setPackageProgressHandler(std::function<void(const PackageProgress &)> handler);

    // A fresh secret for DevServerOptions::Bridge::token: 128 random bits, hex.
    static QString newBridgeToken();
    static constexpr QStringView BridgeEventsPath = u"/__loom__/bridge/events/";
    static constexpr QStringView DebugPath = u"/__loom__/debug/";

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Loom::Runtime
