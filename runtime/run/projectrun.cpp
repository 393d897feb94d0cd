#include "runtime/run/projectrun.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/server/devserver.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <QDateTime>
#include <QThreadPool>

#include <mutex>

namespace Loom::Runtime {

namespace {
// What debugger.js needs to know (resources/bridge/debugger.js, CONFIG): the breakpoints, and the
// entry page's PyScript scripts in document order with the file and line offset of their code, so
// each interpreter maps its "<exec>"/"<stdin>" lines to the project's (as tracebacks are mapped:
// a src file's lines are its own, inline code starts on the line after its tag).
std::string debugConfig(const Project &project, const DebugOptions &debug)
{
    nlohmann::json points = nlohmann::json::array();
    for (const Breakpoint &point : debug.breakpoints) {
        nlohmann::json entry = {{"file", point.file.toStdString()}, {"line", point.line}};
        if (!point.condition.isEmpty())
            entry["condition"] = point.condition.toStdString();
        if (!point.hitCondition.isEmpty())
            entry["hitCondition"] = point.hitCondition.toStdString();
        if (!point.log.isEmpty())
            entry["log"] = point.log.toStdString();
        points.push_back(std::move(entry));
    }
    nlohmann::json scripts = nlohmann::json::array();
    const QList<PageScript> scanned = project.entryScripts();
    for (qsizetype i = 0; i < scanned.size(); ++i) {
        const PageScript &script = scanned.at(i);
        const QString src = script.src.isEmpty() ? QString() : Project::resolveWritten(script.src);
        scripts.push_back({{"index", i},
                           {"name", script.name.toStdString()},
                           {"worker", script.worker},
                           {"file", (script.src.isEmpty() ? Project::entryPageName() : src).toStdString()},
                           {"offset", script.src.isEmpty() ? script.tagLine : 0}});
    }
    return nlohmann::json{{"breakpoints", points},
                          {"exceptions", exceptionBreakName(debug.exceptions)},
                          {"scripts", scripts},
                          {"selector", pyscriptSelector().toStdString()}}
        .dump();
}
} // namespace

// Where the server's threads deliver batches: the current session, swapped under a lock. Shared
// with the server, which may outlive this run while it retires.
struct ProjectRun::Sink
{
    std::mutex mutex;
    PageSession *session = nullptr;
    std::shared_ptr<DebugController> debugger;
    bool pauseAtHits = false;

    void deliver(EventBatch batch)
    {
        std::lock_guard lock(mutex);
        if (session)
            session->enqueue(std::move(batch));
    }
    std::string deliverHit(DebugHit hit)
    {
        std::unique_lock lock(mutex);
        if (session)
            session->addDebugHit(hit);
        if (!pauseAtHits || !debugger || !hit.unavailable.isEmpty() || !hit.notice.isEmpty() || !hit.log.isEmpty())
            return {}; // go on: a recording run, a log point, or a word from the tracer
        const std::shared_ptr<DebugController> waitIn = debugger;
        lock.unlock(); // batches keep flowing while the thread is paused
        return waitIn->pause(std::move(hit));
    }
    void setSession(PageSession *next)
    {
        std::lock_guard lock(mutex);
        session = next;
    }
};

ProjectRun::ProjectRun(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_sink(std::make_shared<Sink>())
{
    // Paused threads change on server threads: the change is announced on this object's thread.
    const QPointer<ProjectRun> self(this);
    m_debugger = std::make_shared<DebugController>([self] {
        QMetaObject::invokeMethod(
            qApp,
            [self] {
                if (self)
                    Q_EMIT self->debugChanged();
            },
            Qt::QueuedConnection);
    });
    m_sink->debugger = m_debugger;
}

ProjectRun::~ProjectRun()
{
    m_debugger->releaseAll();
    m_sink->setSession(nullptr);
    if (m_server)
        QThreadPool::globalInstance()->start(
            [server = std::shared_ptr<DevServer>(std::move(m_server))] { server->stop(); });
}

std::unique_ptr<DevServer> ProjectRun::makeServer(quint16 port)
{
    DevServerOptions options;
    options.projectRoot = m_options.project.root();
    options.runtime = m_options.runtime;
    options.port = port;
    options.isolationHeaders = m_options.isolationHeaders;
    options.precompiledStdlib = m_options.precompiledStdlib;
    if (m_options.bridge) {
        options.bridge = DevServerOptions::Bridge{
            DevServer::newBridgeToken(), [sink = m_sink](EventBatch batch) { sink->deliver(std::move(batch)); }};
    }
    auto server = std::make_unique<DevServer>(std::move(options));
    // The handlers run on server threads: each hands its value over to this object's thread,
    // through the application object (a QPointer is only safe to read on the thread that deletes
    // its object).
    const QPointer<ProjectRun> self(this);
    const auto relay = [self](auto signal) {
        return [self, signal](const auto &value) {
            QMetaObject::invokeMethod(
                qApp,
                [self, signal, value] {
                    if (self)
                        Q_EMIT(self->*signal)(value);
                },
                Qt::QueuedConnection);
        };
    };
    server->setNoteHandler(relay(&ProjectRun::note));
    server->setFailureHandler(relay(&ProjectRun::loadFailed));
    server->setPackageProgressHandler(relay(&ProjectRun::packageProgress));
    return server;
}

Result<> ProjectRun::serve()
{
    if (m_server)
        return {};
    auto server = makeServer(m_options.port);
    auto started = server->start();
    if (!started && m_options.port != 0 && m_options.anyPortIfTaken) {
        server = makeServer(0);
        started = server->start();
        m_portChanged = bool(started);
    }
    if (!started)
        return failure(started.error());
    m_server = std::move(server);
    return {};
}

bool ProjectRun::isServing() const
{
    return m_server && m_server->isListening();
}

quint16 ProjectRun::port() const
{
    return m_server ? m_server->port() : 0;
}

QUrl ProjectRun::baseUrl() const
{
    return m_server ? m_server->baseUrl() : QUrl();
}

QUrl ProjectRun::pageUrl(const QString &page, const QString &query) const
{
    QUrl relative;
    relative.setPath(page.isEmpty() ? Project::entryPageName() : page);
    if (!query.isEmpty())
        relative.setQuery(query);
    return baseUrl().resolved(relative);
}

Result<> ProjectRun::setDebug(std::optional<DebugOptions> debug, bool pauseAtHits)
{
    if (!m_server)
        return failure(QStringLiteral("The project is not served yet."));
    {
        std::lock_guard lock(m_sink->mutex);
        m_sink->pauseAtHits = debug && pauseAtHits;
    }
    if (!debug)
        return m_server->setDebug(std::nullopt);
    return m_server->setDebug(
        DevServerOptions::Debug{debugConfig(m_options.project, *debug),
                                [sink = m_sink](DebugHit hit) { return sink->deliverHit(std::move(hit)); }});
}

PageSession *ProjectRun::restart()
{
    // The page goes: its paused threads go on (into a page being replaced), later ones pause.
    m_debugger->releaseAll();
    auto session = std::make_unique<PageSession>(m_options.project);
    session->setAcceptFrom(double(QDateTime::currentMSecsSinceEpoch()));
    // Swap: whoever shows the models takes the new ones first, then the old session goes.
    m_sink->setSession(session.get());
    std::unique_ptr<PageSession> previous = std::move(m_session);
    m_session = std::move(session);
    Q_EMIT sessionChanged(m_session.get());
    previous.reset();
    return m_session.get();
}

void ProjectRun::stop()
{
    m_debugger->releaseAll(); // a paused thread holds a server thread
    if (m_server)
        m_server->stop();
}

} // namespace Loom::Runtime
