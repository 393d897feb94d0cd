#pragma once

#include "runtime/bridge/failedload.h"
#include "runtime/debug/breakpoint.h"
#include "runtime/packages/packagecache.h"
#include "runtime/project/project.h"
#include "runtime/result.h"
#include "runtime/vendor/vendorfiles.h"

#include <QPointer>
#include <QUrl>
#include <QWidget>

#include <memory>

class QWebEnginePage;
class QWebEngineProfile;
class QWebEngineView;

namespace Loom::Runtime {
class PageSession;
class DebugController;
class ExpectationWatch;
class ProjectRun;
class VendorInterceptor;
} // namespace Loom::Runtime

namespace Loom::Ui {

// The live page: one ProjectRun per project (its server started at the first Run, a fresh
// PageSession at every Run); the page is the project's index.html in an embedded QWebEngineView.
// The models of the session feed the docks; nothing here reaches into the page.
class PreviewPane final : public QWidget
{
    Q_OBJECT

public:
    explicit PreviewPane(Runtime::VendorFiles runtime, QWidget *parent = nullptr);
    ~PreviewPane() override;
    Q_DISABLE_COPY_MOVE(PreviewPane)

    // The project whose page Run serves, on `preferredPort` when it is free (see
    // Settings::projectPort), else on any free port.
    void setProject(const Runtime::Project &project, quint16 preferredPort = 0);
    // The port the project's page is served on: 0 before the first Run.
    quint16 port() const;
    // A run; with breakpoints, a debug run: a thread that reaches one pauses (debugger()).
    Runtime::Result<> run(std::optional<Runtime::DebugOptions> debug = std::nullopt);
    // The threads of a debug run paused now (nullptr before the first run).
    Runtime::DebugController *debugger() const;
    // Ends the page, and with it its workers; the last run's models stay for reading.
    void stop();
    bool isRunning() const { return m_running; }

    Runtime::PageSession *session() const;
    QWebEnginePage *page() const;

Q_SIGNALS:
    // A new run began: docks rebind to its models. The previous session is deleted after this.
    void sessionChanged(Loom::Runtime::PageSession *session);
    void runningChanged(bool running);
    void pageCrashed(const QString &message);
    void note(const QString &message);
    // The project's server listens: on this port.
    void serving(quint16 port);
    // The project's scenario (its sample.json) and how much of its expected outcome the running
    // page has shown: `total` expectations (0: none), `unmet` not met yet.
    void expectationsChanged(qsizetype total, const QStringList &unmet);
    // A thread of a debug run paused or went on.
    void debugChanged();
    // A Pyodide package the page asked for is on its way into Loom's package cache.
    void packageProgress(const Loom::Runtime::PackageProgress &progress);

private:
    void showMessage(const QString &title, const QString &text);
    // A load that failed (the page's console, the network layer, the server): the Console dock.
    void showFailedLoad(const Runtime::FailedLoad &load);

    Runtime::VendorFiles m_runtime;
    Runtime::Project m_project;
    quint16 m_preferredPort = 0;
    QWebEngineProfile *m_profile = nullptr;
    Runtime::VendorInterceptor *m_interceptor = nullptr; // the runtime's public URLs -> m_run's server
    QWebEngineView *m_view = nullptr;
    std::unique_ptr<Runtime::ProjectRun> m_run;
    Runtime::ExpectationWatch *m_expectations = nullptr;
    bool m_running = false;
};

} // namespace Loom::Ui
