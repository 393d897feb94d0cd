#include "previewpane.h"

#include "runtime/devserver.h"
#include "runtime/pagerunner.h"
#include "runtime/pagesession.h"
#include "runtime/runtimeinterceptor.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QStandardPaths>
#include <QLoggingCategory>
#include <QThreadPool>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineSettings>
#include <QWebEngineView>

#include <mutex>

Q_LOGGING_CATEGORY(lcPreview, "loom.ui.preview")

namespace Loom::Ui {

using namespace Runtime;

// Where the server's threads deliver batches: the session of the current run, swapped under a lock.
struct PreviewPane::Sink
{
    std::mutex mutex;
    PageSession *session = nullptr;

    void deliver(EventBatch batch)
    {
        std::lock_guard lock(mutex);
        if (session)
            session->enqueue(std::move(batch));
    }
    void setSession(PageSession *next)
    {
        std::lock_guard lock(mutex);
        session = next;
    }
};

namespace {
// The page's own console reaches Loom here; the bridge covers Python. What only the browser
// knows, a module or file that could not be loaded, goes to the run's console as Loom's line.
class PreviewPage final : public QWebEnginePage
{
public:
    explicit PreviewPage(QWebEngineProfile *profile, QObject *parent)
        : QWebEnginePage(profile, parent)
    {}
    std::function<void(const FailedLoad &)> onFailedLoad;

protected:
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString &message, int line,
                                  const QString &sourceId) override
    {
        if (auto load = FailedLoad::fromConsole(message); load && onFailedLoad) {
            onFailedLoad(*load);
        }
        QWebEnginePage::javaScriptConsoleMessage(level, message, line, sourceId);
    }
};
} // namespace

PreviewPane::PreviewPane(RuntimeFiles runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(std::move(runtime))
    // Persistent, as a user's browser is: the HTTP cache, the page's storage and PyScript's own
    // package cache (IndexedDB) survive restarts. Each project has its own origin (its own port,
    // kept in Settings), so projects do not see each other's storage.
    , m_profile(new QWebEngineProfile(QStringLiteral("projects"), this))
    , m_interceptor(new RuntimeInterceptor(RuntimeUrlMap(m_runtime), this))
    , m_view(new QWebEngineView(this))
{
    m_profile->setPersistentStoragePath(
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("webengine/projects")));
    m_profile->setCachePath(QDir(PackageCache::defaultRoot()).filePath(QStringLiteral("webengine/projects")));
    m_profile->setHttpCacheType(QWebEngineProfile::DiskHttpCache);
    m_profile->setUrlRequestInterceptor(m_interceptor);
    connect(m_interceptor, &RuntimeInterceptor::note, this, &PreviewPane::note);
    auto *page = new PreviewPage(m_profile, m_view);
    page->onFailedLoad = [this](const FailedLoad &load) { showFailedLoad(load); };
    connect(m_interceptor, &RuntimeInterceptor::loadFailed, this, &PreviewPane::showFailedLoad);
    m_view->setPage(page);
    m_view->setObjectName(QStringLiteral("previewView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    connect(page, &QWebEnginePage::loadFinished, this, &PreviewPane::loadFinished);
    connect(page, &QWebEnginePage::renderProcessTerminated, this,
            [this](QWebEnginePage::RenderProcessTerminationStatus status, int exitCode) {
                if (status == QWebEnginePage::NormalTerminationStatus)
                    return;
                const QString message = QStringLiteral("The page's process ended unexpectedly (exit code %1). "
                                                       "Press Run to start it again.")
                                            .arg(exitCode);
                if (m_session)
                    m_session->markAllStopped();
                m_running = false;
                Q_EMIT runningChanged(false);
                Q_EMIT pageCrashed(message);
            });
    showMessage(tr("No page yet"), tr("Press Run (F5) to serve the project and open its page here."));
}

PreviewPane::~PreviewPane()
{
    // The page must go before its profile (both are children: the profile was made first).
    delete m_view;
    m_view = nullptr;
    if (m_sink)
        m_sink->setSession(nullptr);
    retireServer();
}

void PreviewPane::retireServer()
{
    if (!m_server)
        return;
    // The sink outlives the server (shared), and no longer points at a session.
    QThreadPool::globalInstance()->start([server = std::shared_ptr<DevServer>(std::move(m_server))] { server->stop(); });
}

QWebEnginePage *PreviewPane::page() const
{
    return m_view->page();
}

quint16 PreviewPane::port() const
{
    return m_server ? m_server->port() : 0;
}

void PreviewPane::setProject(const QString &dir, quint16 preferredPort)
{
    m_preferredPort = preferredPort;
    stop();
    if (m_sink)
        m_sink->setSession(nullptr);
    retireServer();
    m_sink.reset();
    m_projectDir = dir;
}

Result<> PreviewPane::run()
{
    if (m_projectDir.isEmpty())
        return failure(tr("Open a project first."));
    if (!m_server) {
        auto sink = std::make_shared<Sink>();
        DevServerOptions options{m_projectDir, m_runtime, m_preferredPort, true, {}};
        options.bridge = DevServerOptions::Bridge{DevServer::newBridgeToken(),
                                                  [sink](EventBatch batch) { sink->deliver(std::move(batch)); }};
        QPointer<PreviewPane> self(this);
        const auto makeServer = [self](DevServerOptions serverOptions) {
            auto server = std::make_unique<DevServer>(std::move(serverOptions));
            server->setNoteHandler([self](const QString &text) {
                // Server thread: hand over to the UI thread.
                QMetaObject::invokeMethod(qApp, [self, text] {
                    if (self)
                        Q_EMIT self->note(text);
                }, Qt::QueuedConnection);
            });
            server->setFailureHandler([self](const FailedLoad &load) {
                // Server thread: a page asked for a file the server cannot give it.
                QMetaObject::invokeMethod(qApp, [self, load] {
                    if (self)
                        self->showFailedLoad(load);
                }, Qt::QueuedConnection);
            });
            server->setPackageProgressHandler([self](const PackageProgress &progress) {
                // Server thread, already throttled.
                QMetaObject::invokeMethod(qApp, [self, progress] {
                    if (self)
                        Q_EMIT self->packageProgress(progress);
                }, Qt::QueuedConnection);
            });
            return server;
        };
        auto server = makeServer(options);
        auto started = server->start();
        if (!started && m_preferredPort != 0) {
            // The project's usual port is taken (another Loom, another program): any free port,
            // with a new origin, so the page starts without its stored data this time.
            options.port = 0;
            server = makeServer(std::move(options));
            started = server->start();
            if (started) {
                Q_EMIT note(tr("Port %1, where this project's page usually runs, is taken: it runs on port %2, so its "
                               "browser storage (localStorage, PyScript's package cache) starts empty this time.")
                                .arg(m_preferredPort)
                                .arg(server->port()));
            }
        }
        if (!started)
            return failure(started.error());
        m_server = std::move(server);
        m_sink = std::move(sink);
        m_interceptor->setServer(m_server->baseUrl());
        Q_EMIT serving(m_server->port());
    }
    m_interceptor->reset();

    // The new session takes only what the new page sends: the old page's last flush (page
    // clock, ms since the epoch, like Loom's) may still arrive.
    auto session = std::make_unique<PageSession>(m_projectDir);
    session->setAcceptFrom(double(QDateTime::currentMSecsSinceEpoch()));
    // Swap: the docks take the new models first, then the old session goes.
    m_sink->setSession(session.get());
    std::unique_ptr<PageSession> previous = std::move(m_session);
    m_session = std::move(session);
    Q_EMIT sessionChanged(m_session.get());
    previous.reset();

    m_url = m_server->baseUrl().resolved(QUrl(QStringLiteral("index.html")));
    qCDebug(lcPreview) << "running" << m_url;
    m_view->page()->load(m_url);
    m_running = true;
    Q_EMIT runningChanged(true);
    return {};
}

void PreviewPane::showFailedLoad(const FailedLoad &load)
{
    if (m_session && m_running)
        m_session->appendLoomLine(QStringLiteral("network"), QStringLiteral("failed to load %1 (%2)").arg(load.url, load.reason), true);
}

void PreviewPane::stop()
{
    if (!m_running)
        return;
    // Leaving the page ends its workers; the session keeps what they did, marked stopped.
    showMessage(tr("Stopped"), tr("The page and its workers were stopped. Press Run (F5) to start again."));
    if (m_session)
        m_session->markAllStopped();
    m_running = false;
    Q_EMIT runningChanged(false);
}

void PreviewPane::showMessage(const QString &title, const QString &text)
{
    m_view->setHtml(QStringLiteral("<html><body style=\"font-family:sans-serif;color:#888;display:flex;align-items:center;"
                                   "justify-content:center;height:90vh\"><div><h3>%1</h3><p>%2</p></div></body></html>")
                        .arg(title.toHtmlEscaped(), text.toHtmlEscaped()));
}

} // namespace Loom::Ui
