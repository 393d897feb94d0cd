#include "headlessrun.h"

#include "runtime/devserver.h"
#include "runtime/pagerunner.h"
#include "runtime/runreport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QSaveFile>
#include <QTimer>
#include <QWebEngineProfile>

#include <csignal>
#include <cstdio>

namespace Loom::App {

using namespace Runtime;

namespace {

volatile std::sig_atomic_t g_stopRequested = 0;

void print(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
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

} // namespace

ExitCode runHeadless(const CommandLine &cl, const RuntimeFiles &runtime, const QString &projectDir,
                     const Scenario &scenario)
{
    RunReport report;
    std::unique_ptr<DevServer> server;
    QUrl url = QUrl::fromUserInput(cl.url);
    if (cl.url.isEmpty()) {
        if (!QFileInfo::exists(QDir(projectDir).filePath(QStringLiteral("index.html")))) {
            print(QStringLiteral("error: %1 has no index.html, so it is not a PyScript project.").arg(projectDir));
            return ExitCode::Environment;
        }
        server = std::make_unique<DevServer>(DevServerOptions{projectDir, runtime, cl.port, cl.isolationHeaders, {}});
        server->setNoteHandler([&report](const QString &note) {
            // Server threads: hand the note to the main thread.
            QMetaObject::invokeMethod(qApp, [&report, note] {
                print(QStringLiteral("note: %1").arg(note));
                report.addNote(note);
            });
        });
        if (auto started = server->start(); !started) {
            print(QStringLiteral("error: %1").arg(started.error()));
            return ExitCode::Environment;
        }
        url = server->baseUrl().resolved(QUrl(QStringLiteral("index.html")));
        print(QStringLiteral("Loom: running %1 at %2 (PyScript %3, Pyodide %4, MicroPython %5, offline)")
                  .arg(QDir::toNativeSeparators(QDir(projectDir).absolutePath()), url.toString(),
                       runtime.version(u"pyscript"), runtime.version(u"pyodide"), runtime.version(u"micropython")));
        if (!cl.isolationHeaders)
            print(QStringLiteral("Loom: serving WITHOUT isolation headers (--no-isolation)"));
    } else {
        print(QStringLiteral("Loom: running %1").arg(url.toString()));
    }
    report.setProject(projectDir.isEmpty() ? QString() : QDir(projectDir).absolutePath(), url);

    // Off the record: nothing from one run (cache, storage) leaks into the next.
    QWebEngineProfile profile;
    PageRunner runner(&profile);
    QObject::connect(&runner, &PageRunner::consoleLine, &runner, [&report](const ConsoleLine &line) {
        printConsoleLine(line);
        report.addConsoleLine(line);
    });
    QObject::connect(&runner, &PageRunner::isolationKnown, &runner, [](bool isolated) {
        print(QStringLiteral("Loom: cross-origin isolated: %1%2")
                  .arg(isolated ? QStringLiteral("yes") : QStringLiteral("no"),
                       isolated ? QString()
                                : QStringLiteral(" (no SharedArrayBuffer: workers cannot reach `window` "
                                                 "or use synchronous calls)")));
    });
    QObject::connect(&runner, &PageRunner::stepFinished, &runner, [](const StepOutcome &step) {
        print(QStringLiteral("%1 step   | %2: %3").arg(stamp(step.ms), step.step.describe(),
                                                      step.ok ? QStringLiteral("ok") : step.text));
    });

    RunOutcome result;
    QObject::connect(&runner, &PageRunner::finished, &runner, [&](const RunOutcome &outcome) {
        result = outcome;
        // Let the page stop its workers before the event loop ends.
        QTimer::singleShot(0, qApp, &QCoreApplication::quit);
    });
    runner.start(url, scenario, std::chrono::seconds(cl.timeoutSeconds));
    QCoreApplication::exec();
    if (server)
        server->stop();

    report.setOutcome(result);
    for (const StepOutcome &step : std::as_const(result.steps)) {
        if (step.step.kind == ScenarioStep::Kind::WaitText && step.ok)
            print(QStringLiteral("Result of \"%1\": %2").arg(step.step.describe(), step.text.trimmed()));
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

ExitCode serve(const CommandLine &cl, const RuntimeFiles &runtime)
{
    DevServer server({cl.projectDir, runtime, cl.port, cl.isolationHeaders, {}});
    server.setNoteHandler([](const QString &note) { print(QStringLiteral("note: %1").arg(note)); });
    if (auto started = server.start(); !started) {
        print(QStringLiteral("error: %1").arg(started.error()));
        return ExitCode::Environment;
    }
    print(QStringLiteral("Loom is serving %1 at %2 (Ctrl+C stops it)")
              .arg(QDir::toNativeSeparators(QDir(cl.projectDir).absolutePath()), server.baseUrl().toString()));

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
