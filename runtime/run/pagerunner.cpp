#include "runtime/run/pagerunner.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/bridge/traceback.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTimer>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineScript>
#include <QWebEngineScriptCollection>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcPageRunner, "loom.runtime.pagerunner", QtWarningMsg)

namespace {
constexpr int PollIntervalMs = 100;
// Scenario scripts run in an isolated world: they see the page's DOM, the page never sees them.
constexpr quint32 LoomWorld = QWebEngineScript::ApplicationWorld;

const char AllDoneProbe[] = R"(addEventListener('py:all-done', () => { globalThis.__loomAllDone = true; });)";
} // namespace

ConsoleLine ConsoleLine::fromPage(QWebEnginePage::JavaScriptConsoleMessageLevel level, const QString &message,
                                  int lineNumber, const QString &sourceId)
{
    ConsoleLine line;
    line.level = level == QWebEnginePage::ErrorMessageLevel     ? Level::Error
                 : level == QWebEnginePage::WarningMessageLevel ? Level::Warning
                                                                : Level::Info;
    line.text = message;
    line.source = sourceId;
    line.line = lineNumber;
    line.fromWorker = sourceId.isEmpty() || sourceId.startsWith(u"blob:");
    return line;
}

bool ConsoleLine::isUncaughtError() const
{
    if (level != Level::Error)
        return false;
    return text.startsWith(u"Uncaught") || Loom::Runtime::isUncaughtPythonError(text);
}

bool ConsoleLine::isPythonError() const
{
    return level == Level::Error && Loom::Runtime::isPythonError(text);
}

QString statusName(RunOutcome::Status status)
{
    switch (status) {
    case RunOutcome::Status::Passed:
        return QStringLiteral("passed");
    case RunOutcome::Status::PageError:
        return QStringLiteral("page-error");
    case RunOutcome::Status::Timeout:
        return QStringLiteral("timeout");
    case RunOutcome::Status::LoadFailed:
        return QStringLiteral("load-failed");
    case RunOutcome::Status::Crashed:
        return QStringLiteral("crashed");
    }
    return {};
}

class ConsolePage final : public QWebEnginePage
{
public:
    explicit ConsolePage(QWebEngineProfile *profile)
        : QWebEnginePage(profile)
    {}
    std::function<void(ConsoleLine)> onConsole;

protected:
    void javaScriptConsoleMessage(JavaScriptConsoleMessageLevel level, const QString &message, int lineNumber,
                                  const QString &sourceId) override
    {
        if (onConsole)
            onConsole(ConsoleLine::fromPage(level, message, lineNumber, sourceId));
    }
};

PageRunner::PageRunner(QWebEngineProfile *profile, QObject *parent)
    : QObject(parent)
    , m_page(std::make_unique<ConsolePage>(profile))
    , m_pollTimer(new QTimer(this))
    , m_deadline(new QTimer(this))
{
    QWebEngineScript probe;
    probe.setName(QStringLiteral("loom-all-done"));
    probe.setSourceCode(QString::fromLatin1(AllDoneProbe));
    probe.setInjectionPoint(QWebEngineScript::DocumentCreation);
    probe.setWorldId(LoomWorld);
    probe.setRunsOnSubFrames(false);
    m_page->scripts().insert(probe);
    // A page without a view counts as hidden, and Chromium throttles hidden pages' timers to one a
    // second: the page would run, and be measured, unlike the one a user looks at.
    m_page->setVisible(true);

    m_page->onConsole = [this](ConsoleLine line) {
        line.ms = now();
        const bool uncaught = line.isUncaughtError();
        const bool python = uncaught && line.isPythonError();
        if (python)
            ++m_outcome.pythonErrors;
        else if (uncaught)
            ++m_outcome.javaScriptErrors;
        Q_EMIT consoleLine(line);
        if (auto load = FailedLoad::fromConsole(line.text)) {
            load->thread = line.fromWorker ? QStringLiteral("worker") : QStringLiteral("main");
            reportFailedLoad(*load);
        }
        // An uncaught error means the scenario cannot finish as written: fail now, not at the time-out.
        // A page that shows errors on purpose says so (--allow-errors, expect.allowErrors).
        if (uncaught && m_loaded && !m_scenario.expect.allowErrors) {
            QString last;
            const QStringList lines = line.text.split(u'\n', Qt::SkipEmptyParts);
            for (auto it = lines.crbegin(); it != lines.crend() && last.isEmpty(); ++it)
                last = it->trimmed();
            finish(RunOutcome::Status::PageError,
                   python ? QStringLiteral("The page raised an uncaught Python error: %1").arg(last.left(300))
                          : QStringLiteral("The page raised an uncaught JavaScript error: %1")
                                .arg(line.text.section(u'\n', 0, 0).left(200)));
        }
    };
    connect(m_page.get(), &QWebEnginePage::loadFinished, this, &PageRunner::onLoadFinished);
    connect(m_page.get(), &QWebEnginePage::renderProcessTerminated, this,
            [this](QWebEnginePage::RenderProcessTerminationStatus, int exitCode) {
                finish(RunOutcome::Status::Crashed,
                       QStringLiteral("The page's process ended unexpectedly (exit code %1).").arg(exitCode));
            });
    m_pollTimer->setInterval(PollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &PageRunner::poll);
    m_deadline->setSingleShot(true);
    // A coarse timer may fire up to 5 % early: "TIMEOUT in 9.52 s: Timed out after 10 s".
    m_deadline->setTimerType(Qt::PreciseTimer);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        QString waiting = QStringLiteral("the page to load");
        if (m_loaded)
            waiting = m_nextStep < m_scenario.steps.size() ? m_scenario.steps.at(m_nextStep).describe()
                                                           : QStringLiteral("PyScript to finish (py:all-done)");
        const QStringList pending = m_pendingProbe ? m_pendingProbe() : QStringList();
        QStringList failed;
        for (const FailedLoad &load : std::as_const(m_outcome.failedLoads))
            failed.append(QStringLiteral("%1 (%2)").arg(load.url, load.reason));
        finish(RunOutcome::Status::Timeout,
               QStringLiteral("Timed out after %1 s waiting for: %2.%3%4")
                   .arg(m_deadline->interval() / 1000)
                   .arg(waiting,
                        pending.isEmpty() ? QString() : QStringLiteral(" Still pending: %1.").arg(pending.join(u"; ")),
                        failed.isEmpty() ? QString() : QStringLiteral(" Failed to load: %1.").arg(failed.join(u"; "))));
    });
}

PageRunner::~PageRunner() = default;

QWebEnginePage *PageRunner::page() const
{
    return m_page.get();
}

void PageRunner::start(const QUrl &url, const Scenario &scenario, std::chrono::milliseconds timeout)
{
    m_scenario = scenario;
    m_clock.start();
    m_deadline->start(timeout);
    m_page->load(url);
}

void PageRunner::onLoadFinished(bool ok)
{
    if (m_finished)
        return;
    if (m_reloading) {
        // A reload step is done when the new document has loaded; the next step polls that one.
        m_reloading = false;
        return onStepDone({m_scenario.steps.at(m_nextStep), ok,
                           ok ? QString() : QStringLiteral("the page could not be reloaded"), now()});
    }
    if (m_loaded)
        return;
    m_outcome.loadMs = now();
    if (!ok)
        return finish(RunOutcome::Status::LoadFailed, QStringLiteral("The page could not be loaded."));
    m_loaded = true;
    m_page->runJavaScript(QStringLiteral("self.crossOriginIsolated === true"), LoomWorld, [this](const QVariant &v) {
        m_outcome.crossOriginIsolated = v.toBool();
        Q_EMIT isolationKnown(v.toBool());
    });
    m_pollTimer->start();
}

void PageRunner::poll()
{
    if (m_finished || m_pollInFlight || m_reloading)
        return;
    if (m_nextStep < m_scenario.steps.size() && m_scenario.steps.at(m_nextStep).kind == ScenarioStep::Kind::Reload) {
        m_reloading = true;
        m_page->triggerAction(QWebEnginePage::Reload);
        return;
    }
    m_pollInFlight = true;
    const QString script = m_nextStep < m_scenario.steps.size()
                               ? stepScript(m_scenario.steps.at(m_nextStep))
                               : QStringLiteral("globalThis.__loomAllDone ? 'ok' : 'wait'");
    m_page->runJavaScript(script, LoomWorld, [this](const QVariant &result) {
        m_pollInFlight = false;
        onStepResult(result.toString());
    });
}

void PageRunner::onStepResult(const QString &result)
{
    if (m_finished || result == u"wait" || result.isEmpty())
        return;
    if (m_nextStep >= m_scenario.steps.size()) {
        // Without a scenario: PyScript said all scripts are done.
        return finish(RunOutcome::Status::Passed, QStringLiteral("PyScript finished running the page's scripts."));
    }
    StepOutcome outcome{m_scenario.steps.at(m_nextStep), result.startsWith(u"ok"), {}, now()};
    if (result.startsWith(u"ok:"))
        outcome.text = result.mid(3);
    else if (!outcome.ok)
        outcome.text = result;
    onStepDone(outcome);
}

void PageRunner::onStepDone(const StepOutcome &outcome)
{
    m_outcome.steps.append(outcome);
    Q_EMIT stepFinished(outcome);
    if (!outcome.ok) {
        return finish(RunOutcome::Status::PageError,
                      QStringLiteral("Step \"%1\" failed: %2").arg(outcome.step.describe(), outcome.text));
    }
    if (++m_nextStep == m_scenario.steps.size())
        finish(RunOutcome::Status::Passed,
               QStringLiteral("All %1 scenario steps passed.").arg(m_scenario.steps.size()));
}

void PageRunner::reportFailedLoad(FailedLoad load)
{
    if (m_finished)
        return;
    load.ms = now();
    for (const FailedLoad &known : std::as_const(m_outcome.failedLoads)) {
        if (known.url == load.url)
            return; // one line per URL: a module imported twice fails twice
    }
    if (m_outcome.failedLoads.size() < RunOutcome::MaxFailedLoads)
        m_outcome.failedLoads.append(load);
    Q_EMIT loadFailed(load);
}

void PageRunner::askForLastEvents(std::function<void(bool bridge)> taken)
{
    // A DOM event reaches the bridge's listener in the page's world, which cancels it to say so.
    m_page->runJavaScript(
        QStringLiteral("document.dispatchEvent(new Event('loom:last-events', {cancelable: true})) ? 'none' : 'bridge'"),
        LoomWorld, [taken = std::move(taken)](const QVariant &answer) { taken(answer.toString() == u"bridge"); });
}

void PageRunner::failWhenAWorkerFails(const PageSession *session)
{
    connect(session, &PageSession::workerChanged, this, [this](const WorkerInfo &worker, WorkerState previous) {
        if (worker.state == WorkerState::Failed && previous != WorkerState::Failed)
            fail(QStringLiteral("Worker \"%1\" failed to start: %2").arg(worker.name, errorSummary(worker.lastError)));
    });
}

void PageRunner::fail(const QString &message)
{
    finish(RunOutcome::Status::PageError, message);
}

void PageRunner::finish(RunOutcome::Status status, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_pollTimer->stop();
    m_deadline->stop();
    if (status == RunOutcome::Status::Passed && m_outcome.pythonErrors + m_outcome.javaScriptErrors > 0
        && !m_scenario.expect.allowErrors) {
        // Errors logged before the page finished loading.
        status = RunOutcome::Status::PageError;
        m_outcome.message = QStringLiteral(
                                "%1 But the page logged %2 uncaught Python and %3 uncaught JavaScript error(s).")
                                .arg(message)
                                .arg(m_outcome.pythonErrors)
                                .arg(m_outcome.javaScriptErrors);
    } else {
        m_outcome.message = message;
    }
    m_outcome.status = status;
    m_outcome.totalMs = now();
    qCDebug(lcPageRunner) << "run finished:" << statusName(status) << m_outcome.message;
    // Stop the page's workers now, not when the profile goes away.
    m_page->triggerAction(QWebEnginePage::Stop);
    Q_EMIT finished(m_outcome);
}

} // namespace Loom::Runtime
