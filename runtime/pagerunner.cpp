#include "pagerunner.h"

#include <QLoggingCategory>
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

bool ConsoleLine::isPythonError() const
{
    if (level != Level::Error)
        return false;
    return text.contains(u"Traceback (most recent call last)") || text.startsWith(u"PythonError")
        || text.startsWith(u"Uncaught");
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
        ConsoleLine line;
        line.level = level == ErrorMessageLevel     ? ConsoleLine::Level::Error
                     : level == WarningMessageLevel ? ConsoleLine::Level::Warning
                                                    : ConsoleLine::Level::Info;
        line.text = message;
        line.source = sourceId;
        line.line = lineNumber;
        line.fromWorker = sourceId.isEmpty() || sourceId.startsWith(u"blob:");
        if (onConsole)
            onConsole(std::move(line));
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
        const bool pythonError = line.isPythonError();
        if (pythonError)
            ++m_outcome.pythonErrors;
        Q_EMIT consoleLine(line);
        // An uncaught error means the scenario cannot finish as written: fail now, not at the time-out.
        // A sample that shows errors on purpose says so (expect.allowErrors): its checks decide.
        if (pythonError && m_loaded && !m_scenario.expect.allowErrors) {
            // A JavaScript error (a DataCloneError, say) is uncaught too, but not Python's.
            const bool python = line.text.contains(u"Traceback (most recent call last)") || line.text.startsWith(u"PythonError");
            finish(RunOutcome::Status::PageError,
                   python ? QStringLiteral("The page raised an uncaught Python error.")
                          : QStringLiteral("The page raised an uncaught error: %1").arg(line.text.section(u'\n', 0, 0).left(200)));
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
    connect(m_deadline, &QTimer::timeout, this, [this] {
        QString waiting = QStringLiteral("the page to load");
        if (m_loaded)
            waiting = m_nextStep < m_scenario.steps.size() ? m_scenario.steps.at(m_nextStep).describe()
                                                           : QStringLiteral("PyScript to finish (py:all-done)");
        finish(RunOutcome::Status::Timeout,
               QStringLiteral("Timed out after %1 s waiting for: %2.").arg(m_deadline->interval() / 1000).arg(waiting));
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
    if (m_finished || m_loaded)
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
    if (m_finished || m_pollInFlight)
        return;
    m_pollInFlight = true;
    const QString script = m_nextStep < m_scenario.steps.size() ? stepScript(m_scenario.steps.at(m_nextStep))
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
    m_outcome.steps.append(outcome);
    Q_EMIT stepFinished(outcome);
    if (!outcome.ok) {
        return finish(RunOutcome::Status::PageError,
                      QStringLiteral("Step \"%1\" failed: %2").arg(outcome.step.describe(), outcome.text));
    }
    if (++m_nextStep == m_scenario.steps.size())
        finish(RunOutcome::Status::Passed, QStringLiteral("All %1 scenario steps passed.").arg(m_scenario.steps.size()));
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
    if (status == RunOutcome::Status::Passed && m_outcome.pythonErrors > 0 && !m_scenario.expect.allowErrors) {
        // Errors logged before the page finished loading.
        status = RunOutcome::Status::PageError;
        m_outcome.message = QStringLiteral("%1 But the page logged %2 Python error(s).").arg(message).arg(m_outcome.pythonErrors);
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
