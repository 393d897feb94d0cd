#pragma once

#include "runtime/bridge/failedload.h"
#include "runtime/run/scenario.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>
#include <QWebEnginePage>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace Loom::Runtime {
class PageSession;
}

class QWebEngineProfile;
class QWebEnginePage;
class QTimer;

namespace Loom::Runtime {

class ConsolePage;

struct ConsoleLine
{
    enum class Level { Info, Warning, Error };
    Level level = Level::Info;
    bool fromWorker = false; // worker messages arrive with a blob: or empty source
    QString text;
    QString source;
    int line = 0;
    qint64 ms = 0; // since navigation started

    // A line as QWebEnginePage::javaScriptConsoleMessage gives it (workers' lines come with a
    // blob: or empty source).
    static ConsoleLine fromPage(QWebEnginePage::JavaScriptConsoleMessageLevel level, const QString &message,
                                int lineNumber, const QString &sourceId);

    // An error nothing caught, JavaScript's ("Uncaught ...") or Python's (isUncaughtPythonError:
    // not a line of a traceback the program printed): what fails a headless run.
    bool isUncaughtError() const;
    // Of those, the ones Python raised (a traceback, a PythonError); the rest are JavaScript's.
    bool isPythonError() const;
};

struct StepOutcome
{
    ScenarioStep step;
    bool ok = false;
    QString text; // WaitText: the element's text when it matched; errors: why the step failed
    qint64 ms = 0;
};

struct RunOutcome
{
    enum class Status { Passed, PageError, Timeout, LoadFailed, Crashed };
    Status status = Status::Passed;
    QString message;
    std::optional<bool> crossOriginIsolated;
    qint64 loadMs = 0; // navigation to loadFinished
    qint64 totalMs = 0;
    int pythonErrors = 0;
    int javaScriptErrors = 0;
    QList<StepOutcome> steps;
    QList<FailedLoad> failedLoads; // at most MaxFailedLoads
    static constexpr qsizetype MaxFailedLoads = 100;
};

QString statusName(RunOutcome::Status status);

// Drives one page in QtWebEngine: loads it, reports its console (main thread and workers),
// checks cross-origin isolation, plays the scenario, and ends with one RunOutcome.
// Without a scenario the run ends when PyScript dispatches py:all-done.
class PageRunner final : public QObject
{
    Q_OBJECT

public:
    explicit PageRunner(QWebEngineProfile *profile, QObject *parent = nullptr);
    ~PageRunner() override;
    Q_DISABLE_COPY_MOVE(PageRunner)

    void start(const QUrl &url, const Scenario &scenario, std::chrono::milliseconds timeout);
    // The page it drives, for a view that shows it (a thumbnail's renderer); the runner owns it.
    QWebEnginePage *page() const;
    // Ends the run as a page error, for failures seen outside the page's console (a worker that
    // failed to start leaves every await on it pending: waiting for the time-out says nothing).
    void fail(const QString &message);
    // Ends the run as a page error once one of the session's workers fails to start (the bridge
    // tells; the page, waiting on it, never would), naming the worker and its error.
    void failWhenAWorkerFails(const PageSession *session);
    // A load that failed where the console does not tell (Loom's server, the network layer).
    void reportFailedLoad(FailedLoad load);
    // After finished: asks the page's bridge for everything it still holds (instrument.js,
    // "the run's end"); `taken` runs once the page's main thread has taken the request (a
    // blocked one never does), with whether a bridge listened.
    void askForLastEvents(std::function<void(bool bridge)> taken);
    // What the run still waited for, named in a time-out's message (workers not ready, say).
    void setPendingProbe(std::function<QStringList()> probe) { m_pendingProbe = std::move(probe); }

Q_SIGNALS:
    void consoleLine(const Loom::Runtime::ConsoleLine &line);
    void isolationKnown(bool isolated);
    void stepFinished(const Loom::Runtime::StepOutcome &outcome);
    void loadFailed(const Loom::Runtime::FailedLoad &load);
    void finished(const Loom::Runtime::RunOutcome &outcome);

private:
    void onLoadFinished(bool ok);
    void poll();
    void onStepResult(const QString &result);
    void onStepDone(const StepOutcome &outcome);
    void finish(RunOutcome::Status status, const QString &message);
    qint64 now() const { return m_clock.elapsed(); }

    std::unique_ptr<ConsolePage> m_page;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_deadline = nullptr;
    QElapsedTimer m_clock;
    Scenario m_scenario;
    qsizetype m_nextStep = 0;
    bool m_loaded = false;
    bool m_pollInFlight = false;
    bool m_reloading = false; // a reload step waits for the reloaded page's loadFinished
    bool m_finished = false;
    RunOutcome m_outcome;
    std::function<QStringList()> m_pendingProbe;
};

} // namespace Loom::Runtime
