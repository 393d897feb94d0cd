#include "headlessrun.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/debug/placement.h"
#include "runtime/project/projectpath.h"
#include "runtime/run/expectations.h"
#include "runtime/run/pagerunner.h"
#include "runtime/run/projectrun.h"
#include "runtime/run/runreport.h"
#include "runtime/server/devserver.h"
#include "runtime/vendor/vendorinterceptor.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimer>
#include <QWebEngineProfile>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

namespace Loom::App {

using namespace Runtime;
using namespace Qt::StringLiterals;

namespace {

QString upstreamStdlibLine()
{
    return QStringLiteral("Loom: serving Pyodide's standard library as npm ships it, uncompiled (--upstream-stdlib)");
}

volatile std::sig_atomic_t g_stopRequested = 0;

// How long the end of a run waits for the page's last batch (it takes a few ms, or 200 more when a
// worker is busy and its log is read instead: instrument.js, "the run's end").
constexpr std::chrono::milliseconds LastBatchWait{3000};

// While a batch of page events is applied, its lines are flushed once, when it has been
// (PageSession::batchApplied): a burst of 10,000 calls is then a few writes, not 10,000.
int g_batchLines = 0;

struct BatchLines
{
    BatchLines() { ++g_batchLines; }
    ~BatchLines() { --g_batchLines; }
    Q_DISABLE_COPY_MOVE(BatchLines)
};

void print(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    if (g_batchLines == 0)
        std::fflush(stdout);
}

// A Pyodide package the page asked for, fetched into Loom's package cache (server threads).
void printPackageFetched(const PackageProgress &progress)
{
    if (progress.finished && progress.error.isEmpty()) {
        print(QStringLiteral("Loom: fetched %1 (%2 MB) into the package cache")
                  .arg(progress.fileName, QString::number(double(progress.received) / 1e6, 'f', 2)));
    }
}

QString stamp(qint64 ms)
{
    return QStringLiteral("[%1s]").arg(double(ms) / 1000.0, 7, 'f', 2);
}

void printConsoleLine(const ConsoleLine &line)
{
    const QString thread = line.fromWorker ? QStringLiteral("worker") : QStringLiteral("main  ");
    const QString level = line.level == ConsoleLine::Level::Error     ? QStringLiteral(" error:")
                          : line.level == ConsoleLine::Level::Warning ? QStringLiteral(" warning:")
                                                                      : QString();
    const QStringList lines = line.text.split(u'\n');
    print(QStringLiteral("%1 %2 |%3 %4").arg(stamp(line.ms), thread, level, lines.first()));
    for (qsizetype i = 1; i < lines.size(); ++i)
        print(QStringLiteral("%1 %2 |   %3").arg(QString(stamp(line.ms).size(), u' '), thread, lines.at(i)));
}

QString secondsSince(double pageTime, qint64 navigationEpochMs)
{
    return stamp(qint64(pageTime) - navigationEpochMs);
}

void printLocations(const QList<SourceLocation> &locations, const QString &indent)
{
    for (const SourceLocation &location : locations) {
        print(QStringLiteral("%1at %2:%3%4")
                  .arg(indent, location.file)
                  .arg(location.line)
                  .arg(location.function.isEmpty() ? QString() : QStringLiteral(" in %1").arg(location.function)));
    }
}

ExitCode exitCodeFor(RunOutcome::Status status)
{
    switch (status) {
    case RunOutcome::Status::Passed:
        return ExitCode::Success;
    case RunOutcome::Status::Timeout:
        return ExitCode::Timeout;
    case RunOutcome::Status::LoadFailed:
    case RunOutcome::Status::PageError:
    case RunOutcome::Status::Crashed:
        return ExitCode::PageError;
    }
    return ExitCode::PageError;
}

void requestStop(int)
{
    g_stopRequested = 1;
}

// What keeps the dev server from serving --page PATH as a page (its own rules: no hidden names,
// no link out of the project), or nothing. An empty PATH is the entry page, checked by the caller.
std::optional<QString> pageProblem(const QString &projectDir, const QString &page)
{
    if (page.isEmpty())
        return std::nullopt;
    if (QFileInfo(QDir(projectDir).filePath(page)).isDir())
        return u"it is a folder; name the page itself (%1)"_s.arg(QDir(page).filePath(Project::entryPageName()));
    std::error_code error;
    const std::filesystem::path root = std::filesystem::canonical(QFile::encodeName(projectDir).toStdString(), error);
    if (error)
        return u"the project folder %1 cannot be read"_s.arg(projectDir);
    const auto file = resolveProjectPath(root, QString(u'/' + page).toStdString());
    if (!file)
        return u"%1 (in %2)"_s.arg(file.error().reason, QDir::toNativeSeparators(QDir(projectDir).absolutePath()));
    return std::nullopt;
}

} // namespace

ExitCode runHeadless(const CommandLine &cl, const VendorFiles &runtime, const QString &projectDir,
                     const Scenario &scenario)
{
    // Times in the log count from the page's navigation: set again where the runner starts the
    // clock of its steps, so a step and a page event are on one clock. (Declared before the
    // sessions whose handlers read it.)
    qint64 navigationEpoch = QDateTime::currentMSecsSinceEpoch();
    RunReport report;
    const Project folder(projectDir);
    std::unique_ptr<ProjectRun> project;
    // A page served elsewhere (--url) has no bridge: its session stays empty but for Loom's lines.
    PageSession pageElsewhere(folder);
    pageElsewhere.setAcceptFrom(double(QDateTime::currentMSecsSinceEpoch()));
    QUrl url = QUrl::fromUserInput(cl.url);
    if (cl.url.isEmpty()) {
        if (auto opened = Project::open(projectDir); cl.page.isEmpty() && !opened) {
            print(QStringLiteral("error: %1").arg(opened.error()));
            return ExitCode::Environment;
        }
        if (auto problem = pageProblem(projectDir, cl.page)) {
            print(QStringLiteral("error: --page %1: %2.").arg(cl.page, *problem));
            return ExitCode::Usage;
        }
        ProjectRun::Options options;
        options.project = folder;
        options.runtime = runtime;
        options.port = cl.port;
        options.isolationHeaders = cl.isolationHeaders;
        options.bridge = cl.bridge;
        options.precompiledStdlib = cl.precompiledStdlib;
        project = std::make_unique<ProjectRun>(std::move(options));
        QObject::connect(project.get(), &ProjectRun::note, project.get(), [&report](const QString &note) {
            print(QStringLiteral("note: %1").arg(note));
            report.addNote(note);
        });
        QObject::connect(project.get(), &ProjectRun::packageProgress, project.get(), printPackageFetched);
        if (auto started = project->serve(); !started) {
            print(QStringLiteral("error: %1").arg(started.error()));
            return ExitCode::Environment;
        }
        // --break / --log: a debug run that records each hit and goes on, and the state where an
        // exception leaves the project's code (a Pyodide thread's).
        if (!cl.breakpoints.isEmpty() || cl.exceptions.value_or(ExceptionBreak::Never) != ExceptionBreak::Never) {
            // Placed where a thread can stop, as in the IDE: a breakpoint on a line without code
            // moves to the next line that has some.
            const PlacedBreakpoints placed = placeWhereTheyStop(folder, cl.breakpoints);
            for (const QString &change : std::as_const(placed.changes)) {
                print(QStringLiteral("note: %1").arg(change));
                report.addNote(change);
            }
            if (auto debugging = project->setDebug(
                    DebugOptions{placed.breakpoints, cl.exceptions.value_or(ExceptionBreak::Uncaught)},
                    /*pauseAtHits=*/false);
                !debugging) {
                print(QStringLiteral("error: %1").arg(debugging.error()));
                return ExitCode::Environment;
            }
        }
        // Only what this run's page sends: an event stamped before it (a forged or stale one)
        // would print with a negative time.
        project->restart();
        url = project->pageUrl(cl.page, cl.pageQuery);
        print(QStringLiteral("Loom: running %1 at %2 (PyScript %3, Pyodide %4, MicroPython %5, offline)")
                  .arg(QDir::toNativeSeparators(folder.root()), url.toString(), runtime.version(u"pyscript"),
                       runtime.version(u"pyodide"), runtime.version(u"micropython")));
        if (!cl.isolationHeaders)
            print(QStringLiteral("Loom: serving WITHOUT isolation headers (--no-isolation)"));
        if (!cl.precompiledStdlib)
            print(upstreamStdlibLine());
    } else {
        print(QStringLiteral("Loom: running %1").arg(url.toString()));
    }
    PageSession &session = project ? *project->session() : pageElsewhere;
    report.setProject(folder.root(), url);

    // Off the record: nothing from one run (cache, storage) leaks into the next.
    QWebEngineProfile profile;
    // The runtime's public URLs are answered by the server, whoever asks for them.
    VendorInterceptor interceptor{VendorUrlMap(runtime)};
    if (project)
        interceptor.setServer(project->baseUrl());
    profile.setUrlRequestInterceptor(&interceptor);
    QObject::connect(&interceptor, &VendorInterceptor::note, &interceptor, [&report](const QString &note) {
        print(QStringLiteral("note: %1").arg(note));
        report.addNote(note);
    });
    PageRunner runner(&profile);
    QObject::connect(&interceptor, &VendorInterceptor::loadFailed, &runner, &PageRunner::reportFailedLoad);
    if (project)
        QObject::connect(project.get(), &ProjectRun::loadFailed, &runner, &PageRunner::reportFailedLoad);
    const bool bridged = project != nullptr && cl.bridge;
    QObject::connect(&runner, &PageRunner::consoleLine, &runner, [&report, bridged](const ConsoleLine &line) {
        // With the bridge, Python output arrives attributed to its thread; the browser console
        // still tells about JavaScript errors. A failed load has its own line, with its URL.
        if ((!bridged || line.level != ConsoleLine::Level::Info) && !FailedLoad::fromConsole(line.text))
            printConsoleLine(line);
        report.addConsoleLine(line);
    });
    QObject::connect(&runner, &PageRunner::loadFailed, &runner, [](const FailedLoad &load) {
        print(QStringLiteral("%1 %2 | error: failed to load %3 (%4)")
                  .arg(stamp(load.ms), load.thread.leftJustified(6), load.url, load.reason));
    });
    runner.setPendingProbe([&session] {
        QStringList pending;
        for (const WorkerInfo &worker : session.workers().workers()) {
            if (worker.state == WorkerState::Starting || worker.state == WorkerState::Loading)
                pending.append(QStringLiteral("worker %1 (%2)").arg(worker.name, workerStateName(worker.state)));
        }
        return pending;
    });
    QObject::connect(&runner, &PageRunner::isolationKnown, &runner, [](bool isolated) {
        print(QStringLiteral("Loom: cross-origin isolated: %1%2")
                  .arg(isolated ? QStringLiteral("yes") : QStringLiteral("no"),
                       isolated ? QString()
                                : QStringLiteral(" (no SharedArrayBuffer: workers cannot reach `window` "
                                                 "or use synchronous calls)")));
    });
    QObject::connect(&runner, &PageRunner::stepFinished, &runner, [](const StepOutcome &step) {
        print(QStringLiteral("%1 step   | %2: %3")
                  .arg(stamp(step.ms), step.step.describe(), step.ok ? QStringLiteral("ok") : step.text));
    });

    runner.failWhenAWorkerFails(&session);
    QObject::connect(&session, &PageSession::workerChanged, &session,
                     [&navigationEpoch](const WorkerInfo &worker, WorkerState previous) {
                         QString detail;
                         if (worker.state == WorkerState::Ready && worker.readyAt > 0)
                             detail = QStringLiteral(" after %1 s, exports: %2")
                                          .arg(QString::number(worker.timeToReadyMs() / 1000.0, 'f', 2),
                                               worker.exports.isEmpty() ? QStringLiteral("none")
                                                                        : worker.exports.join(u", "));
                         if (worker.state == WorkerState::Failed)
                             detail = u": "_s + errorSummary(worker.lastError);
                         // Busy and back to ready happen on every call: the call log tells those.
                         if (worker.state == WorkerState::Busy
                             || (worker.state == WorkerState::Ready && previous == WorkerState::Busy))
                             return;
                         const double at = worker.state == WorkerState::Ready     ? worker.readyAt
                                           : worker.state == WorkerState::Loading ? worker.interpreterAt
                                                                                  : worker.createdAt;
                         print(QStringLiteral("%1 worker %2 (%3%4) is %5%6")
                                   .arg(secondsSince(at > 0 ? at : worker.createdAt, navigationEpoch), worker.name,
                                        worker.type, worker.src.isEmpty() ? QString() : u", "_s + worker.src,
                                        workerStateName(worker.state), detail));
                     });
    QObject::connect(&session, &PageSession::batchApplied, &session, [] { std::fflush(stdout); });
    // A call whose function returned a value that cannot be cloned ends twice: returned (its
    // result kept), then its reply failed (DataCloneError). The second line says so.
    QObject::connect(&session, &PageSession::callFinished, &session, [&navigationEpoch](const CallRecord &call) {
        const BatchLines batchLines;
        if (!call.ok && !call.result.isEmpty()) {
            print(QStringLiteral("%1 call   %2.%3(%4) returned, but its result could not be sent to the caller: %5")
                      .arg(secondsSince(call.endedAt, navigationEpoch), call.workerName, call.function,
                           call.args.join(u", "), errorSummary(call.error)));
            if (!call.explanation.isEmpty())
                print(QStringLiteral("           hint: %1").arg(call.explanation));
            return;
        }
        // A call of a burst has its worker time only (its end waited in the worker's batch).
        const QString worker = QString::number(call.workerMs, 'f', 1);
        const QString timing = call.mainMs >= 0 ? QStringLiteral("%1 ms, %2 ms in the worker")
                                                      .arg(QString::number(call.mainMs, 'f', 1), worker)
                                                : QStringLiteral("%1 ms in the worker").arg(worker);
        print(QStringLiteral("%1 call   %2.%3(%4) -> %5 (%6)")
                  .arg(secondsSince(call.endedAt, navigationEpoch), call.workerName, call.function,
                       call.args.join(u", "), call.ok ? call.result : u"error: "_s + errorSummary(call.error), timing));
        if (!call.ok) {
            printLocations(call.locations, QStringLiteral("           "));
            if (!call.explanation.isEmpty())
                print(QStringLiteral("           hint: %1").arg(call.explanation));
        }
    });
    QObject::connect(&session, &PageSession::consoleAppended, &session, [&navigationEpoch](const ConsoleEntry &entry) {
        const BatchLines batchLines;
        if (!entry.call.isEmpty())
            return; // a failed call: its line above says it all
        const QStringList lines = entry.text.split(u'\n');
        print(QStringLiteral("%1 %2 |%3 %4")
                  .arg(secondsSince(entry.t, navigationEpoch), entry.source, entry.isError ? u" error:"_s : QString(),
                       lines.first()));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (!lines.at(i).trimmed().isEmpty())
                print(QStringLiteral("          %1 |   %2").arg(entry.source, lines.at(i)));
        }
        printLocations(entry.locations, QStringLiteral("           "));
        if (!entry.explanation.isEmpty())
            print(QStringLiteral("           hint: %1").arg(entry.explanation));
    });

    RunOutcome result;
    // The bridge holds what a worker's burst and the page's queue gathered (up to 200 ms of it):
    // at the end Loom asks the page for all of it and ends when the page's last batch is in. A main
    // thread that does not take the request within 400 ms is blocked and sends nothing more.
    // (A last batch before the run finished, which a page can send, ends nothing.)
    bool waitingForLastBatch = false;
    const auto requestTaken = std::make_shared<bool>(false); // the page may outlive this frame's locals
    QTimer blockedTimer;
    QTimer lastBatchTimer;
    for (QTimer *timer : {&blockedTimer, &lastBatchTimer})
        timer->setSingleShot(true);
    QObject::connect(&blockedTimer, &QTimer::timeout, qApp, [requestTaken] {
        if (!*requestTaken)
            QCoreApplication::quit();
    });
    QObject::connect(&lastBatchTimer, &QTimer::timeout, qApp, &QCoreApplication::quit);
    QObject::connect(&session, &PageSession::lastBatchTaken, qApp, [&waitingForLastBatch] {
        if (waitingForLastBatch)
            QCoreApplication::quit();
    });
    QObject::connect(&runner, &PageRunner::finished, &runner, [&](const RunOutcome &outcome) {
        result = outcome;
        if (outcome.status == RunOutcome::Status::Crashed)
            return QCoreApplication::quit();
        waitingForLastBatch = true;
        runner.askForLastEvents([requestTaken](bool bridge) {
            *requestTaken = true;
            if (!bridge) // a page without PyScript, or --no-bridge: nothing to wait for
                QCoreApplication::quit();
        });
        blockedTimer.start(400);
        lastBatchTimer.start(LastBatchWait);
    });
    navigationEpoch = QDateTime::currentMSecsSinceEpoch();
    runner.start(url, scenario, std::chrono::seconds(cl.timeoutSeconds));
    QCoreApplication::exec();
    if (waitingForLastBatch && !lastBatchTimer.isActive() && *requestTaken)
        print(QStringLiteral("Loom: the page's last events did not arrive within %1 s of the run's end: the "
                             "report may lack what its bridge still held (up to 200 ms of events)")
                  .arg(std::chrono::duration<double>(LastBatchWait).count()));
    if (project)
        project->stop();
    session.drain();

    if (result.status == RunOutcome::Status::Passed && !scenario.expect.isEmpty()) {
        const QStringList unmet = judgeExpectations(scenario.expect, session, report.consoleLines(), result);
        report.setExpectations(scenario.expect.count(), unmet);
        for (const QString &message : unmet)
            print(QStringLiteral("Loom: expected outcome not met: %1").arg(message));
        if (unmet.isEmpty())
            print(QStringLiteral("Loom: expected outcome met (%1 check(s))").arg(scenario.expect.count()));
    }
    report.setOutcome(result);
    report.setSession(&session);
    const NetworkSummary network = interceptor.summary();
    report.setNetwork(network);
    if (network.externalCount > 0) {
        print(QStringLiteral("Loom: %1 request(s) left this machine (Loom does not ship what they asked for): %2%3")
                  .arg(network.externalCount)
                  .arg(network.external.mid(0, 5).join(u", "))
                  .arg(network.externalCount > 5 ? QStringLiteral(", …") : QString()));
    }
    for (const StepOutcome &step : std::as_const(result.steps)) {
        if (step.step.kind == ScenarioStep::Kind::WaitText && step.ok)
            print(QStringLiteral("Result of \"%1\": %2").arg(step.step.describe(), step.text.trimmed()));
    }
    for (const WorkerInfo &worker : session.workers().workers()) {
        const bool wasReady = worker.timeToReadyMs() >= 0 && worker.state != WorkerState::Failed;
        print(QStringLiteral("Loom: worker %1 (%2): %3%4, %5 call(s), mean %6 ms, max %7 ms%8")
                  .arg(worker.name, worker.type, workerStateName(worker.state),
                       wasReady ? QStringLiteral(", ready after %1 s")
                                      .arg(QString::number(worker.timeToReadyMs() / 1000.0, 'f', 2))
                                : QString())
                  .arg(worker.calls)
                  .arg(QString::number(worker.meanMs(), 'f', 1), QString::number(worker.maxMs, 'f', 1),
                       worker.lastError.isEmpty() ? QString() : u", last error: "_s + errorSummary(worker.lastError)));
    }
    for (const DebugHit &hit : session.debugHits()) {
        if (!hit.unavailable.isEmpty()) {
            print(QStringLiteral("Loom: %1 cannot be debugged: %2").arg(hit.thread, hit.unavailable));
            continue;
        }
        if (!hit.notice.isEmpty())
            continue; // printed already, as a line of its thread's console
        QStringList locals;
        for (const auto &[name, value] : hit.locals)
            locals.append(name + u'=' + value);
        const QString what = !hit.exception.isEmpty()
                                 ? hit.exception + u"; "_s
                                       + (hit.localsMissing.isEmpty() ? locals.join(u", ") : hit.localsMissing)
                             : !hit.error.isEmpty()         ? u"error: "_s + hit.error
                             : !hit.log.isEmpty()           ? hit.log + u" = "_s + hit.value
                             : !hit.localsMissing.isEmpty() ? u"(no locals: "_s + hit.localsMissing + u')'
                                                            : locals.join(u", ");
        print(QStringLiteral("Loom: %1 at %2:%3 in %4(): %5")
                  .arg(!hit.exception.isEmpty() ? hit.exceptionKind + u" exception"_s
                       : hit.log.isEmpty()      ? u"break"_s
                                                : u"log"_s,
                       hit.file)
                  .arg(hit.line)
                  .arg(hit.function,
                       hit.thread + u"; "_s + what
                           + (hit.lastRecorded ? u" (its last recorded hit: a run records 100 of one breakpoint)"_s
                                               : QString())));
    }
    if (session.bridgeSeen()) {
        session.endRun(double(QDateTime::currentMSecsSinceEpoch()));
        const Responsiveness &r = session.responsiveness();
        const QString blocked = r.blockedAtEndMs() > 0
                                    ? QStringLiteral(", blocked when the run ended: no answer for %1 s")
                                          .arg(QString::number(r.blockedAtEndMs() / 1000.0, 'f', 1))
                                    : QString();
        print(QStringLiteral("Loom: main thread %1: worst stall %2 ms, %3 long task(s)%4")
                  .arg(QString::fromLatin1(levelName(r.worstLevel())))
                  .arg(r.worstStallMs())
                  .arg(r.longTaskCount())
                  .arg(blocked));
    }
    print(QStringLiteral("Loom: %1 in %2 s: %3")
              .arg(statusName(result.status).toUpper(), QString::number(double(result.totalMs) / 1000.0, 'f', 2),
                   result.message));

    if (!cl.reportFile.isEmpty()) {
        QSaveFile file(cl.reportFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(report.toJson()) < 0 || !file.commit()) {
            print(QStringLiteral("error: cannot write the report to %1").arg(cl.reportFile));
            return ExitCode::Environment;
        }
        print(QStringLiteral("Loom: report written to %1").arg(cl.reportFile));
    }
    return exitCodeFor(result.status);
}

ExitCode serve(const CommandLine &cl, const VendorFiles &runtime)
{
    // Other browsers have no network layer of Loom's: pages are rewritten to the local runtime.
    DevServerOptions options;
    options.projectRoot = cl.projectDir;
    options.runtime = runtime;
    options.port = cl.port;
    options.isolationHeaders = cl.isolationHeaders;
    options.precompiledStdlib = cl.precompiledStdlib;
    options.rewritePages = true;
    options.reload = cl.reload;
    DevServer server(std::move(options));
    server.setNoteHandler([](const QString &note) { print(QStringLiteral("note: %1").arg(note)); });
    server.setReloadHandler([](const QStringList &files) {
        print(QStringLiteral("Loom: changed: %1: open pages reload").arg(files.join(u", ")));
    });
    server.setPackageProgressHandler(printPackageFetched);
    if (auto started = server.start(); !started) {
        print(QStringLiteral("error: %1").arg(started.error()));
        return ExitCode::Environment;
    }
    print(QStringLiteral("Loom is serving %1 at %2%3 (Ctrl+C stops it)")
              .arg(QDir::toNativeSeparators(QDir(cl.projectDir).absolutePath()), server.baseUrl().toString(),
                   cl.reload ? QStringLiteral(", reloading open pages when a file changes") : QString()));
    if (!cl.precompiledStdlib)
        print(upstreamStdlibLine());

    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &poll, [] {
        if (g_stopRequested)
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    server.stop();
    print(QStringLiteral("Loom: server stopped"));
    return ExitCode::Success;
}

} // namespace Loom::App
