#include "previewpane.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/project/samples.h"
#include "runtime/run/expectations.h"
#include "runtime/run/pagerunner.h"
#include "runtime/run/projectrun.h"
#include "runtime/vendor/vendorinterceptor.h"

#include <QDir>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineSettings>
#include <QWebEngineView>

Q_LOGGING_CATEGORY(lcPreview, "loom.ui.preview")

namespace Loom::Ui {

using namespace Runtime;

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
    std::function<void(const ConsoleLine &)> onConsole;

protected:
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString &message, int line,
                                  const QString &sourceId) override
    {
        if (auto load = FailedLoad::fromConsole(message); load && onFailedLoad) {
            onFailedLoad(*load);
        }
        if (onConsole)
            onConsole(ConsoleLine::fromPage(level, message, line, sourceId));
        QWebEnginePage::javaScriptConsoleMessage(level, message, line, sourceId);
    }
};
} // namespace

PreviewPane::PreviewPane(VendorFiles runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(std::move(runtime))
    // Persistent, as a user's browser is: the HTTP cache, the page's storage and PyScript's own
    // package cache (IndexedDB) survive restarts. Each project has its own origin (its own port,
    // kept in Settings), so projects do not see each other's storage.
    , m_profile(new QWebEngineProfile(QStringLiteral("projects"), this))
    , m_interceptor(new VendorInterceptor(VendorUrlMap(m_runtime), this))
    , m_view(new QWebEngineView(this))
    , m_expectations(new ExpectationWatch(this))
{
    m_profile->setPersistentStoragePath(QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
                                            .filePath(QStringLiteral("webengine/projects")));
    m_profile->setCachePath(QDir(PackageCache::defaultRoot()).filePath(QStringLiteral("webengine/projects")));
    m_profile->setHttpCacheType(QWebEngineProfile::DiskHttpCache);
    m_profile->setUrlRequestInterceptor(m_interceptor);
    connect(m_interceptor, &VendorInterceptor::note, this, &PreviewPane::note);
    auto *page = new PreviewPage(m_profile, m_view);
    page->onFailedLoad = [this](const FailedLoad &load) { showFailedLoad(load); };
    page->onConsole = [this](const ConsoleLine &line) {
        if (m_running)
            m_expectations->addBrowserLine(line);
    };
    connect(m_expectations, &ExpectationWatch::changed, this, &PreviewPane::expectationsChanged);
    connect(m_interceptor, &VendorInterceptor::loadFailed, this, &PreviewPane::showFailedLoad);
    m_view->setPage(page);
    m_view->setObjectName(QStringLiteral("previewView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    connect(page, &QWebEnginePage::renderProcessTerminated, this,
            [this](QWebEnginePage::RenderProcessTerminationStatus status, int exitCode) {
                if (status == QWebEnginePage::NormalTerminationStatus)
                    return;
                const QString message = QStringLiteral("The page's process ended unexpectedly (exit code %1). "
                                                       "Press Run to start it again.")
                                            .arg(exitCode);
                if (session())
                    session()->markAllStopped();
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
    m_run.reset();
}

QWebEnginePage *PreviewPane::page() const
{
    return m_view->page();
}

PageSession *PreviewPane::session() const
{
    return m_run ? m_run->session() : nullptr;
}

quint16 PreviewPane::port() const
{
    return m_run ? m_run->port() : 0;
}

void PreviewPane::setProject(const Project &project, quint16 preferredPort)
{
    m_preferredPort = preferredPort;
    stop();
    m_run.reset();
    m_project = project;
    auto scenario = projectScenario(project);
    if (!scenario)
        Q_EMIT note(tr("The project's scenario cannot be read: %1").arg(scenario.error()));
    m_expectations->setSession(nullptr);
    m_expectations->setExpectations(scenario && *scenario ? (*scenario)->expect : Expectations());
}

DebugController *PreviewPane::debugger() const
{
    return m_run ? m_run->debugger() : nullptr;
}

Result<> PreviewPane::run(std::optional<DebugOptions> debug)
{
    if (m_project.isNull())
        return failure(tr("Open a project first."));
    if (!m_run) {
        ProjectRun::Options options;
        options.project = m_project;
        options.runtime = m_runtime;
        options.port = m_preferredPort;
        options.anyPortIfTaken = true;
        auto run = std::make_unique<ProjectRun>(std::move(options));
        if (auto served = run->serve(); !served)
            return served;
        connect(run.get(), &ProjectRun::note, this, &PreviewPane::note);
        connect(run.get(), &ProjectRun::loadFailed, this, &PreviewPane::showFailedLoad);
        connect(run.get(), &ProjectRun::packageProgress, this, &PreviewPane::packageProgress);
        connect(run.get(), &ProjectRun::sessionChanged, this, &PreviewPane::sessionChanged);
        connect(run.get(), &ProjectRun::sessionChanged, m_expectations, &ExpectationWatch::setSession);
        connect(run.get(), &ProjectRun::debugChanged, this, &PreviewPane::debugChanged);
        if (run->portChanged()) {
            // The project's usual port is taken (another Loom, another program): a new origin,
            // so the page starts without its stored data this time.
            Q_EMIT note(tr("Port %1, where this project's page usually runs, is taken: it runs on port %2, so its "
                           "browser storage (localStorage, PyScript's package cache) starts empty this time.")
                            .arg(m_preferredPort)
                            .arg(run->port()));
        }
        m_run = std::move(run);
        m_interceptor->setServer(m_run->baseUrl());
        Q_EMIT serving(m_run->port());
    }
    if (auto debugging = m_run->setDebug(std::move(debug), /*pauseAtHits=*/true); !debugging)
        return debugging;
    m_interceptor->reset();
    m_run->restart();

    const QUrl url = m_run->pageUrl();
    qCDebug(lcPreview) << "running" << url;
    m_view->page()->load(url);
    m_running = true;
    Q_EMIT runningChanged(true);
    return {};
}

void PreviewPane::showFailedLoad(const FailedLoad &load)
{
    if (session() && m_running)
        session()->appendLoomLine(QStringLiteral("network"),
                                  QStringLiteral("failed to load %1 (%2)").arg(load.url, load.reason), true);
}

void PreviewPane::stop()
{
    if (!m_running)
        return;
    // Leaving the page ends its workers; the session keeps what they did, marked stopped.
    showMessage(tr("Stopped"), tr("The page and its workers were stopped. Press Run (F5) to start again."));
    if (session())
        session()->markAllStopped();
    if (m_run)
        m_run->debugger()->releaseAll(); // a paused thread goes with its page
    m_running = false;
    Q_EMIT runningChanged(false);
}

void PreviewPane::showMessage(const QString &title, const QString &text)
{
    m_view->setHtml(
        QStringLiteral("<html><body style=\"font-family:sans-serif;color:#888;display:flex;align-items:center;"
                       "justify-content:center;height:90vh\"><div><h3>%1</h3><p>%2</p></div></body></html>")
            .arg(title.toHtmlEscaped(), text.toHtmlEscaped()));
}

} // namespace Loom::Ui
