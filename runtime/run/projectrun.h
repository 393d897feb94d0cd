#pragma once

#include "runtime/bridge/failedload.h"
#include "runtime/debug/breakpoint.h"
#include "runtime/debug/debugcontroller.h"
#include "runtime/packages/packagecache.h"
#include "runtime/project/project.h"
#include "runtime/result.h"
#include "runtime/vendor/vendorfiles.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

namespace Loom::Runtime {

class DevServer;
class PageSession;

// One project served to its page: Loom's server on loopback (with the page bridge and its per-run
// token), and the PageSession that the bridge's batches feed. The IDE calls restart() on every
// Run (a new session on the same server, so the page keeps its origin and storage); a headless
// run and a gallery thumbnail serve once. What the server's threads report arrives as signals on
// this object's thread. Destroying it retires the server on a pool thread (stopping waits for
// kept-alive connections), never on the caller's.
class ProjectRun final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        Project project;
        VendorFiles runtime;
        quint16 port = 0;             // 0: any free port
        bool anyPortIfTaken = false;  // `port` in use: serve on any free port instead
        bool isolationHeaders = true; // off only to reproduce a host without header control
        bool bridge = true;
        bool precompiledStdlib = true; // DevServerOptions::precompiledStdlib
    };

    explicit ProjectRun(Options options, QObject *parent = nullptr);
    ~ProjectRun() override;
    Q_DISABLE_COPY_MOVE(ProjectRun)

    // Starts the server (once; later calls succeed at once). It does not start a session.
    Result<> serve();
    bool isServing() const;
    // Whether the server took another port than the one asked for (Options::anyPortIfTaken).
    bool portChanged() const { return m_portChanged; }
    quint16 port() const;
    QUrl baseUrl() const;
    // The page to load: the entry page, or `page` (a path in the project) with `query`.
    QUrl pageUrl(const QString &page = {}, const QString &query = {}) const;

    // A new session for a new load of the page: it takes only events stamped from now on (the
    // previous page's last flush may still arrive). sessionChanged() is emitted before the
    // previous session is deleted.
    PageSession *restart();
    // Debug runs from the next restart() on: breakpoints and exceptions (nullopt: plain runs),
    // and whether a thread pauses at one (the IDE) or records it and goes on (headless). After
    // serve().
    Result<> setDebug(std::optional<DebugOptions> debug, bool pauseAtHits);
    // The threads paused now; resume them here. Changes are announced by debugChanged().
    DebugController *debugger() const { return m_debugger.get(); }
    PageSession *session() const { return m_session.get(); }

    // Stops the server now, on this thread (a headless run, before its last drain): no batch
    // arrives after it returns.
    void stop();

Q_SIGNALS:
    void sessionChanged(Loom::Runtime::PageSession *session);
    void note(const QString &message);
    // A thread of a debug run paused or went on.
    void debugChanged();
    // The server could not give the page a file it asked for.
    void loadFailed(const Loom::Runtime::FailedLoad &load);
    // A package the page asked for is on its way into the package cache (throttled).
    void packageProgress(const Loom::Runtime::PackageProgress &progress);

private:
    struct Sink;
    std::unique_ptr<DevServer> makeServer(quint16 port);

    const Options m_options;
    std::shared_ptr<Sink> m_sink;
    std::shared_ptr<DebugController> m_debugger;
    std::unique_ptr<DevServer> m_server;
    std::unique_ptr<PageSession> m_session;
    bool m_portChanged = false;
};

} // namespace Loom::Runtime
