// `loom run --headless` end to end: each test runs a page and asserts on what it computed.
#include "tests/support/loomprocess.h"
#include "tests/support/report.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Loom::TestSupport;

namespace {
const QString Projects = QStringLiteral(LOOM_TESTS_DIR "/projects");

// The Python console of one thread, as the bridge attributed it ("worker:primes", "main:mpy").
bool consoleHas(const QJsonObject &report, const QString &source, const QString &text)
{
    for (const QJsonValue &line : report.value(u"console").toArray()) {
        const QJsonObject object = line.toObject();
        if (object.value(u"source").toString() == source && object.value(u"text").toString().contains(text))
            return true;
    }
    return false;
}
} // namespace

class tst_HeadlessRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void primesSample_countsPrimesInWorker();
    void withoutIsolationHeaders_reportedNotIsolated();
    void primesSample_stop_startsFreshWorker();
    void pageWorkers_runOffline_data();
    void pageWorkers_runOffline();
    void withoutScenario_endsWhenPyScriptIsDone();
    void pythonError_failsTheRun();
    void workerErrors_areMappedAndExplained();
    void busyMainAgainstBusyWorker_isMeasured();
    void pyodideMain_callsMicroPythonSrcWorkerWithConfigFile();
    void twoWorkers_runCallsInParallel();
    void callBurst_everyCallReported();
    void callsAtFullSpeed_everyCallReported();
    void workerBusyAtTheEnd_itsHeldCallsReported();
    void asyncCallsEndingOutOfOrder_keepTheirResults();
    void workerTopLevelRaise_failsWorkerAtItsLine();
    void printedTraceback_isNotAnUncaughtError();
    void workerPackagesOffline_failsWithHint();
    void blockedMainThread_endsRedWithItsBlockedTime();
    void consoleFlood_isBoundedAndAccountedFor();
    void logTimes_stepsAndPageEventsShareOneClock();
    void missingText_timesOut();
    void scenarioSteps_checkWhatThePageRendered();
    void consoleCount_notMet_failsAndSaysWhatWasSeen();
    void pageWithQuery_andSelectorsWithEquals_onTheCommandLine();
    void hiddenElement_neverVisible_timesOut();
    void allowErrors_letsAnErrorPass_data();
    void allowErrors_letsAnErrorPass();
    void badArguments_areUsageErrors_data();
    void badArguments_areUsageErrors();
    void version_printsLoomAndTheProjectVersion();
    void notAProject_isEnvironmentError();
    void missingRuntime_namesTheFile();
    void debugRun_breakAndLogRecordTheWorkersState();
    void debugRun_everyKindOfThread_data();
    void debugRun_everyKindOfThread();
    void debugRun_recordsWhereAnUncaughtExceptionWasRaised();
    void debugRun_withoutAHit_givesTheResultsOfARun();
};

void tst_HeadlessRun::primesSample_countsPrimesInWorker()
{
    const Run run = runLoom(
        {QStringLiteral("run"), QStringLiteral("--sample"), QStringLiteral("primes"), QStringLiteral("--headless"),
         QStringLiteral("--step"), QStringLiteral("fill:#limit=1000000"), QStringLiteral("--step"),
         QStringLiteral("click:#find"), QStringLiteral("--step"), QStringLiteral("wait-text:#output=Found ")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(run.report.value(u"status").toString(), QStringLiteral("passed"));
    QCOMPARE(run.report.value(u"crossOriginIsolated").toBool(), true);
    const auto count = QRegularExpression(QStringLiteral("Found (\\d+) primes up to 1,000,000"))
                           .match(lastStepText(run.report));
    QVERIFY2(count.hasMatch(), qPrintable(lastStepText(run.report)));
    QCOMPARE(count.captured(1).toInt(), 78498);
    // The worker's own print reached Loom, attributed to a worker.
    QVERIFY(
        consoleHas(run.report, QStringLiteral("worker:primes"), QStringLiteral("worker: 78498 primes up to 1000000")));
    QVERIFY(run.output.contains(u"cross-origin isolated: yes"));
    // No GPU offscreen is no failure: QtWebEngine's warnings that it found none are not printed.
    QVERIFY2(!run.output.contains(u"QRhiGles2") && !run.output.contains(u"GPU vendor"), qPrintable(run.output));
    // The sandbox is off because Loom runs as root (not because a user asked), and the output says so.
    if (geteuid() == 0 && !qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX")) {
        QVERIFY2(run.output.contains(u"Chromium's sandbox is off: Loom runs as root"), qPrintable(run.output));
        QVERIFY(!run.output.contains(u"disabled by user"));
    }
}

// A debug run records where a worker was and what it held, and goes on: the page's result is the
// one a plain run gives. A condition that is never true records nothing; a log point records its
// value. Every thread can be debugged, MicroPython's main thread included (its settrace build).
void tst_HeadlessRun::debugRun_breakAndLogRecordTheWorkersState()
{
    const Run run = runLoom({QStringLiteral("run"), QStringLiteral("--sample"), QStringLiteral("primes"),
                             QStringLiteral("--headless"), QStringLiteral("--break"), QStringLiteral("worker.py:52"),
                             QStringLiteral("--break"), QStringLiteral("worker.py:47:limit < 0"),
                             QStringLiteral("--log"), QStringLiteral("worker.py:62:len(primes)")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output.right(3000)));
    QVERIFY2(lastStepText(run.report).contains(u"Found 78498 primes"), qPrintable(lastStepText(run.report)));

    QJsonObject atSieve, logged;
    bool conditionMet = false;
    QStringList unavailable;
    for (const QJsonValue &value : run.report.value(u"breakpoints").toArray()) {
        const QJsonObject hit = value.toObject();
        if (hit.contains(u"unavailable"))
            unavailable.append(hit.value(u"thread").toString() + u": " + hit.value(u"unavailable").toString());
        if (hit.value(u"file").toString() != u"worker.py")
            continue;
        QCOMPARE(hit.value(u"thread").toString(), QStringLiteral("worker:primes"));
        const int line = hit.value(u"line").toInt();
        if (line == 52)
            atSieve = hit;
        else if (line == 62)
            logged = hit;
        else if (line == 47)
            conditionMet = true;
    }
    QVERIFY2(!atSieve.isEmpty(), qPrintable(run.output.right(3000)));
    QCOMPARE(atSieve.value(u"function").toString(), QStringLiteral("find_primes"));
    const QJsonObject locals = atSieve.value(u"locals").toObject();
    QCOMPARE(locals.value(u"limit").toString(), QStringLiteral("1000000"));
    QCOMPARE(locals.value(u"use_numpy").toString(), QStringLiteral("False"));
    QCOMPARE(locals.value(u"np").toString(), QStringLiteral("None"));
    const QJsonObject innermost = atSieve.value(u"stack").toArray().first().toObject();
    QCOMPARE(innermost.value(u"file").toString(), QStringLiteral("worker.py"));
    QCOMPARE(innermost.value(u"line").toInt(), 52);
    QVERIFY2(!conditionMet, "a breakpoint whose condition is never true records nothing");
    QCOMPARE(logged.value(u"log").toString(), QStringLiteral("len(primes)"));
    QCOMPARE(logged.value(u"value").toString(), QStringLiteral("78498"));
    QVERIFY2(unavailable.isEmpty(), qPrintable(unavailable.join(u'\n')));
    QVERIFY2(run.output.contains(u"Loom: break at worker.py:52 in find_primes(): worker:primes; limit=1000000"),
             qPrintable(run.output.right(3000)));
}

void tst_HeadlessRun::debugRun_everyKindOfThread_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("waitText");
    QTest::addColumn<QString>("breakAt");
    QTest::addColumn<QString>("thread");
    QTest::addColumn<QString>("function");
    QTest::addColumn<QString>("local"); // name=repr, or "" where the interpreter gives no locals
    // A Pyodide main thread: its locals hold JavaScript objects, shown by type and never read (a
    // worker's proxy throws from its traps on the main thread, and the page would see it).
    QTest::newRow("pyodide main") << QStringLiteral("py-main-mpy-worker") << QStringLiteral("#out=threads x2")
                                  << QStringLiteral("main.py:7") << QStringLiteral("main:py")
                                  << QStringLiteral("<module>") << QStringLiteral("threads=2");
    // A MicroPython worker and a MicroPython main thread: the settrace build, served for the plain
    // one; MicroPython's frames have no locals, and the report says so.
    QTest::newRow("micropython worker") << QStringLiteral("py-main-mpy-worker") << QStringLiteral("#out=threads x2")
                                        << QStringLiteral("words.py:10") << QStringLiteral("worker:words")
                                        << QStringLiteral("count") << QString();
    QTest::newRow("micropython main, inline")
        << QStringLiteral("named-worker") << QStringLiteral("#out=dyn 42") << QStringLiteral("index.html:12")
        << QStringLiteral("main:mpy") << QStringLiteral("<module>") << QString();
    // A worker made by create_named_worker: its src is its file.
    QTest::newRow("create_named_worker") << QStringLiteral("named-worker") << QStringLiteral("#out=dyn 42")
                                         << QStringLiteral("triple.py:2") << QStringLiteral("worker:dyn")
                                         << QStringLiteral("triple") << QStringLiteral("n=14");
}

void tst_HeadlessRun::debugRun_everyKindOfThread()
{
    QFETCH(QString, project);
    QFETCH(QString, waitText);
    QFETCH(QString, breakAt);
    QFETCH(QString, thread);
    QFETCH(QString, function);
    QFETCH(QString, local);
    const Run run = runLoom({QStringLiteral("run"), Projects + u'/' + project, QStringLiteral("--headless"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:") + waitText,
                             QStringLiteral("--break"), breakAt});
    // The page does what it does in a plain run.
    QVERIFY2(run.exitCode == 0, qPrintable(run.output.right(3000)));
    const QString file = breakAt.section(u':', 0, 0);
    const int line = breakAt.section(u':', 1, 1).toInt();
    QJsonObject hit;
    for (const QJsonValue &value : run.report.value(u"breakpoints").toArray()) {
        if (value.toObject().value(u"file").toString() == file && value.toObject().value(u"line").toInt() == line) {
            hit = value.toObject();
            break;
        }
    }
    QVERIFY2(!hit.isEmpty(), qPrintable(run.output.right(3000)));
    QCOMPARE(hit.value(u"thread").toString(), thread);
    QCOMPARE(hit.value(u"function").toString(), function);
    if (local.isEmpty()) {
        QVERIFY2(hit.value(u"localsMissing").toString().contains(u"no frame locals"),
                 QJsonDocument(hit).toJson().constData());
    } else {
        const QString name = local.section(u'=', 0, 0);
        QCOMPARE(hit.value(u"locals").toObject().value(name).toString(), local.section(u'=', 1));
    }
}

// A headless debug run records where an exception left the project's code uncaught (a Pyodide
// worker's), with that frame's locals, and the page goes on as in a plain run: its main thread
// catches what PyScript hands it. MicroPython's threads say once that they cannot do this.
void tst_HeadlessRun::debugRun_recordsWhereAnUncaughtExceptionWasRaised()
{
    // --exceptions alone: a debug run without breakpoints.
    const Run run = runLoom({QStringLiteral("run"), Projects + u"/debug-exception", QStringLiteral("--headless"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#error=mean failed"),
                             QStringLiteral("--exceptions"), QStringLiteral("uncaught")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output.right(3000)));
    QVERIFY2(lastStepText(run.report).contains(u"mean failed: ZeroDivisionError"),
             qPrintable(lastStepText(run.report)));
    QJsonObject raised, notice;
    for (const QJsonValue &value : run.report.value(u"breakpoints").toArray()) {
        if (value.toObject().contains(u"exception"))
            raised = value.toObject();
        if (value.toObject().contains(u"notice"))
            notice = value.toObject();
    }
    QVERIFY2(!raised.isEmpty(), qPrintable(run.output.right(3000)));
    QCOMPARE(raised.value(u"thread").toString(), QStringLiteral("worker:stats"));
    QCOMPARE(raised.value(u"exception").toString(), QStringLiteral("ZeroDivisionError: division by zero"));
    QCOMPARE(raised.value(u"exceptionKind").toString(), QStringLiteral("uncaught"));
    QCOMPARE(raised.value(u"file").toString(), QStringLiteral("stats.py"));
    QCOMPARE(raised.value(u"line").toInt(), 14);
    QCOMPARE(raised.value(u"function").toString(), QStringLiteral("mean"));
    QCOMPARE(raised.value(u"locals").toObject().value(u"count").toString(), QStringLiteral("0"));
    QVERIFY2(run.output.contains(u"Loom: uncaught exception at stats.py:14 in mean(): worker:stats; "
                                 u"ZeroDivisionError: division by zero"),
             qPrintable(run.output.right(3000)));
    QCOMPARE(notice.value(u"thread").toString(), QStringLiteral("main:mpy"));
    QVERIFY2(notice.value(u"notice").toString().contains(u"does not pause on exceptions"),
             QJsonDocument(notice).toJson().constData());
}

// A debug run whose breakpoint is never reached gives what Run gives: the same result on the page
// and the same lines in every thread's console, in the same order (timings aside; Loom's own
// notices aside, which are not the page's).
void tst_HeadlessRun::debugRun_withoutAHit_givesTheResultsOfARun()
{
    const auto pageLines = [](const Run &run) {
        static const QRegularExpression timing(QStringLiteral(R"(\b\d+\.\d+ ?(s|ms)\b)"));
        QStringList lines;
        for (const QJsonValue &value : run.report.value(u"console").toArray()) {
            const QJsonObject line = value.toObject();
            if (!line.value(u"text").toString().startsWith(u"Loom's debugger:"))
                lines.append(line.value(u"source").toString() + u" | "
                             + line.value(u"text").toString().replace(timing, QStringLiteral("T")));
        }
        return lines;
    };
    const QStringList primes{QStringLiteral("run"), QStringLiteral("--sample"), QStringLiteral("primes"),
                             QStringLiteral("--headless")};
    const Run plain = runLoom(primes);
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.output.right(3000)));
    // worker.py:49 raises for a limit under 2, which the sample never asks for.
    const Run debugged = runLoom(primes + QStringList{QStringLiteral("--break"), QStringLiteral("worker.py:49")});
    QVERIFY2(debugged.exitCode == 0, qPrintable(debugged.output.right(3000)));
    QVERIFY2(lastStepText(debugged.report).contains(u"Found 78498 primes"), qPrintable(lastStepText(debugged.report)));
    QCOMPARE(pageLines(debugged), pageLines(plain));
    QVERIFY(pageLines(plain).size() >= 2);
    for (const QJsonValue &value : debugged.report.value(u"breakpoints").toArray())
        QVERIFY2(value.toObject().contains(u"notice"), QJsonDocument(value.toObject()).toJson().constData());
}

void tst_HeadlessRun::withoutIsolationHeaders_reportedNotIsolated()
{
    const Run run = runLoom({QStringLiteral("run"), QStringLiteral("--sample"), QStringLiteral("primes"),
                             QStringLiteral("--headless"), QStringLiteral("--no-isolation"), QStringLiteral("--step"),
                             QStringLiteral("fill:#limit=100"), QStringLiteral("--step"), QStringLiteral("click:#find"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#output=Found ")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(run.report.value(u"crossOriginIsolated").toBool(true), false);
    QVERIFY(run.output.contains(u"cross-origin isolated: no"));
    // Calls into a worker still work without SharedArrayBuffer.
    QVERIFY2(lastStepText(run.report).startsWith(u"Found 25 primes up to 100 "), qPrintable(lastStepText(run.report)));
}

void tst_HeadlessRun::primesSample_stop_startsFreshWorker()
{
    // A busy worker cannot be interrupted: Stop ends it and the next Find uses a fresh one.
    const Run run = runLoom({QStringLiteral("run"),    QStringLiteral("--sample"),
                             QStringLiteral("primes"), QStringLiteral("--headless"),
                             QStringLiteral("--step"), QStringLiteral("fill:#limit=40000000"),
                             QStringLiteral("--step"), QStringLiteral("click:#find"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#status=Counting"),
                             QStringLiteral("--step"), QStringLiteral("click:#stop"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#status=Stopped"),
                             QStringLiteral("--step"), QStringLiteral("fill:#limit=30"),
                             QStringLiteral("--step"), QStringLiteral("click:#find"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#output=Found ")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY2(lastStepText(run.report).startsWith(u"Found 10 primes up to 30 "), qPrintable(lastStepText(run.report)));
    QVERIFY(!lastStepText(run.report).contains(u"40,000,000"));
}

void tst_HeadlessRun::pageWorkers_runOffline_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("expected");
    // pyscript.net URL, py worker made at run time by create_named_worker.
    QTest::newRow("create_named_worker") << QStringLiteral("named-worker") << QStringLiteral("dyn 42");
    // A page in a subfolder with the offline recipe's relative core path and an inline mpy worker.
    QTest::newRow("subfolder, relative core") << QStringLiteral("subfolder") << QStringLiteral("sub 7");
    // unpkg URL, inline JSON config with `files` fetched into the worker's filesystem.
    QTest::newRow("unpkg, inline config")
        << QStringLiteral("unpkg-inline") << QStringLiteral("Hello from a config file, Loom");
}

void tst_HeadlessRun::pageWorkers_runOffline()
{
    QFETCH(QString, project);
    QFETCH(QString, expected);
    const Run run = runLoom({QStringLiteral("run"), Projects + u'/' + project, QStringLiteral("--headless"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#out=") + expected.left(3)});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), expected);
}

void tst_HeadlessRun::withoutScenario_endsWhenPyScriptIsDone()
{
    const Run run = runLoom(
        {QStringLiteral("run"), Projects + QStringLiteral("/never-done"), QStringLiteral("--headless")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY(run.report.value(u"message").toString().contains(u"finished"));
    QVERIFY(consoleHas(run.report, QStringLiteral("main:mpy"), QStringLiteral("main ran")));
}

void tst_HeadlessRun::pythonError_failsTheRun()
{
    const Run run = runLoom(
        {QStringLiteral("run"), Projects + QStringLiteral("/python-error"), QStringLiteral("--headless")});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.report.value(u"status").toString(), QStringLiteral("page-error"));
    QVERIFY(consoleHas(run.report, QStringLiteral("main:mpy"), QStringLiteral("ZeroDivisionError")));
}

namespace {
QJsonObject callNamed(const QJsonObject &report, const QString &function)
{
    for (const QJsonValue &call : report.value(u"calls").toArray()) {
        if (call.toObject().value(u"function").toString() == function)
            return call.toObject();
    }
    return {};
}

QString firstLocation(const QJsonObject &call)
{
    const QJsonObject location = call.value(u"locations").toArray().first().toObject();
    return location.value(u"file").toString() + u':' + QString::number(location.value(u"line").toInt());
}
} // namespace

void tst_HeadlessRun::workerErrors_areMappedAndExplained()
{
    // The page's last call returns a function, which cannot cross to the main thread: PyScript
    // leaves the caller waiting and the worker logs an uncaught DataCloneError, so the run fails.
    const Run run = runLoom(
        {QStringLiteral("run"), Projects + QStringLiteral("/worker-errors"), QStringLiteral("--headless")});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.report.value(u"status").toString(), QStringLiteral("page-error"));

    const QJsonObject boom = callNamed(run.report, QStringLiteral("boom"));
    QCOMPARE(boom.value(u"ok").toBool(true), false);
    QVERIFY(boom.value(u"error").toString().contains(u"ValueError: boom 7"));
    QCOMPARE(firstLocation(boom), QStringLiteral("index.html:14")); // inline: `raise` inside the page

    const QJsonObject divide = callNamed(run.report, QStringLiteral("divide"));
    QCOMPARE(firstLocation(divide), QStringLiteral("fromsrc.py:3")); // src=: the file's own line

    // A call to a name the worker does not export never reaches the worker, and the bridge
    // patches nothing on the main thread to see it: the page (which catches it here) tells.
    QVERIFY(callNamed(run.report, QStringLiteral("missing")).isEmpty());

    const QJsonObject unsendable = callNamed(run.report, QStringLiteral("unsendable"));
    QCOMPARE(unsendable.value(u"ok").toBool(true), false);
    QVERIFY(unsendable.value(u"explanation").toString().contains(u"cannot cross between threads"));
    // The log tells it in order: the function returned, then its result could not be sent.
    QVERIFY2(QRegularExpression(u"call +inline\\.unsendable\\(\\) returned, but its result could not be sent to the "
                                u"caller: DataCloneError"_s)
                 .match(run.output)
                 .hasMatch(),
             qPrintable(run.output));

    // Each worker knows where its <script> stands in the page.
    for (const QJsonValue &worker : run.report.value(u"workers").toArray()) {
        const QJsonObject object = worker.toObject();
        QCOMPARE(object.value(u"line").toInt(), object.value(u"name").toString() == u"inline" ? 9 : 21);
    }

    const QJsonObject ok = callNamed(run.report, QStringLiteral("ok"));
    QCOMPARE(ok.value(u"result").toString(), QStringLiteral("42"));
    QVERIFY(ok.value(u"mainMs").toDouble(-1) >= 0);
}

namespace {
// The worst main-thread delay the bridge sampled while [from, to] (page clock) was going on. A
// sample tells the worst delay since the one before it, so only samples whose whole span lies in
// the interval count: one straddling its start would blame it for what came before (the page's
// own start-up, the click that began it).
int worstLagDuring(const QJsonObject &report, double from, double to, int *samples)
{
    int worst = 0;
    *samples = 0;
    double previous = -1;
    for (const QJsonValue &value : report.value(u"responsiveness").toObject().value(u"recent").toArray()) {
        const QJsonObject sample = value.toObject();
        const double t = sample.value(u"t").toDouble();
        if (previous >= from && t <= to) {
            worst = std::max(worst, sample.value(u"lagMs").toInt());
            ++*samples;
        }
        previous = t;
    }
    return worst;
}

QJsonObject consoleEntry(const QJsonObject &report, const QString &source, const QString &text)
{
    for (const QJsonValue &line : report.value(u"console").toArray()) {
        const QJsonObject object = line.toObject();
        if (object.value(u"source").toString() == source && object.value(u"text").toString().contains(text))
            return object;
    }
    return {};
}
} // namespace

void tst_HeadlessRun::busyMainAgainstBusyWorker_isMeasured()
{
    // The page first keeps a worker busy for 1.5 s (the main thread only awaits), then blocks its
    // own main thread for 1.5 s. A CSS pulse would keep moving in both; the bridge's measurement
    // must tell them apart.
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/busy-main"),
                             QStringLiteral("--headless"), QStringLiteral("--step"), QStringLiteral("click:#spin"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#out=spun"), QStringLiteral("--step"),
                             QStringLiteral("click:#block"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=blocked")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));

    const QJsonObject spin = callNamed(run.report, QStringLiteral("spin"));
    QCOMPARE(spin.value(u"result").toString(), QStringLiteral("1500"));
    const double started = spin.value(u"startedAt").toDouble();
    int samples = 0;
    const int lagWhileWorkerBusy = worstLagDuring(run.report, started, started + spin.value(u"mainMs").toDouble(),
                                                  &samples);
    QVERIFY2(samples > 0, "no responsiveness sample while the worker was busy");
    QVERIFY2(
        lagWhileWorkerBusy
            < run.report.value(u"responsiveness").toObject().value(u"thresholdsMs").toObject().value(u"amber").toInt(),
        qPrintable(u"main thread not green while the worker worked: "_s + QString::number(lagWhileWorkerBusy)));

    const QJsonObject responsiveness = run.report.value(u"responsiveness").toObject();
    QVERIFY2(responsiveness.value(u"worstStallMs").toInt() >= 1000, qPrintable(run.output));
    QCOMPARE(responsiveness.value(u"level").toString(), QStringLiteral("red"));
}

// A main thread that never answers again is not "green": its silence is the stall, and
// the run says it ended blocked, and for how long.
void tst_HeadlessRun::blockedMainThread_endsRedWithItsBlockedTime()
{
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/blocked-main"),
                             QStringLiteral("--headless"), QStringLiteral("--timeout"), QStringLiteral("6"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#out=about to block"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#out=never")});
    QCOMPARE(run.exitCode, 3); // the second step never passes
    const QJsonObject responsiveness = run.report.value(u"responsiveness").toObject();
    QVERIFY2(responsiveness.value(u"samples").toInt() > 0, qPrintable(run.output)); // it answered before it blocked
    const int blocked = responsiveness.value(u"blockedAtEndMs").toInt();
    QVERIFY2(blocked >= 1000, qPrintable(run.output)); // Responsiveness::SilenceMs: the definition of blocked
    QCOMPARE(responsiveness.value(u"worstStallMs").toInt(), blocked);
    QCOMPARE(responsiveness.value(u"level").toString(), QStringLiteral("red"));
    QVERIFY2(run.output.contains(
                 QRegularExpression(QStringLiteral("main thread red: worst stall %1 ms, \\d+ long task\\(s\\), "
                                                   "blocked when the run ended: no answer for [0-9.]+ s")
                                        .arg(blocked))),
             qPrintable(run.output));
}

void tst_HeadlessRun::pyodideMain_callsMicroPythonSrcWorkerWithConfigFile()
{
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/py-main-mpy-worker"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=main")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    // The main thread ran CPython (Pyodide), the worker MicroPython, reading a file its config
    // file fetched into its filesystem: "threads" appears twice in corpus.txt.
    QCOMPARE(lastStepText(run.report), QStringLiteral("cpython main, threads x2"));
    const QJsonObject words = workerNamed(run.report, QStringLiteral("words"));
    QCOMPARE(words.value(u"type").toString(), QStringLiteral("mpy"));
    QCOMPARE(words.value(u"src").toString(), QStringLiteral("./words.py"));
    QCOMPARE(words.value(u"config").toString(), QStringLiteral("./words.json"));
    QCOMPARE(words.value(u"state").toString(), QStringLiteral("ready"));
    QCOMPARE(words.value(u"exports").toArray().first().toString(), QStringLiteral("count"));
    QVERIFY(consoleHas(run.report, QStringLiteral("main:py"), QStringLiteral("main on cpython")));
    QVERIFY(consoleHas(run.report, QStringLiteral("worker:words"),
                       QStringLiteral("words worker on micropython with 13 words")));
    QCOMPARE(callNamed(run.report, QStringLiteral("count")).value(u"result").toString(), QStringLiteral("2"));
}

void tst_HeadlessRun::twoWorkers_runCallsInParallel()
{
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/parallel"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=parallel")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), QStringLiteral("parallel L R"));
    QList<QJsonObject> spins;
    for (const QJsonValue &call : run.report.value(u"calls").toArray())
        spins.append(call.toObject());
    QCOMPARE(spins.size(), 2);
    QCOMPARE(QSet<QString>({spins[0].value(u"worker").toString(), spins[1].value(u"worker").toString()}),
             QSet<QString>({QStringLiteral("left"), QStringLiteral("right")}));
    // Each call was in flight while the other ran: the two intervals overlap.
    const auto start = [](const QJsonObject &call) { return call.value(u"startedAt").toDouble(); };
    const auto end = [&](const QJsonObject &call) { return start(call) + call.value(u"mainMs").toDouble(); };
    QVERIFY2(start(spins[0]) < end(spins[1]) && start(spins[1]) < end(spins[0]), qPrintable(run.output));
}

void tst_HeadlessRun::callBurst_everyCallReported()
{
    // 300 back-to-back calls and a 3 s one among them: the worker batches a burst's events, and
    // the report still has every call with its own result, and the long one's worker time (3 s
    // by MicroPython's millisecond clock).
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/call-burst"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=slow done")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), QStringLiteral("burst 45150, slow done"));
    QSet<QString> results;
    int adds = 0;
    for (const QJsonValue &value : run.report.value(u"calls").toArray()) {
        const QJsonObject call = value.toObject();
        QVERIFY(call.value(u"ok").toBool());
        if (call.value(u"function").toString() == u"add") {
            ++adds;
            results.insert(call.value(u"result").toString());
        }
    }
    QCOMPARE(adds, 300);
    QCOMPARE(results.size(), 300);
    QVERIFY(results.contains(QStringLiteral("1")) && results.contains(QStringLiteral("300")));
    const QJsonObject slow = callNamed(run.report, QStringLiteral("slow"));
    QCOMPARE(slow.value(u"result").toString(), QStringLiteral("\"slow done\""));
    QVERIFY2(slow.value(u"workerMs").toDouble() >= 2990, QJsonDocument(slow).toJson().constData());
    // Nothing dropped on the way: a batch whose fetch failed is sent again and taken once.
    QCOMPARE(run.report.value(u"bridge").toObject().value(u"droppedInPage").toInt(-1), 0);
}

void tst_HeadlessRun::callsAtFullSpeed_everyCallReported()
{
    // 10,000 calls as fast as the page makes them: the worker holds them in its log and posts
    // them in batches; every call reaches the report with its arguments and result, nothing
    // dropped anywhere.
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/call-speed"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=done")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), QStringLiteral("done 50005000"));
    QList<bool> seen(10000, false);
    for (const QJsonValue &value : run.report.value(u"calls").toArray()) {
        const QJsonObject call = value.toObject();
        const QJsonArray args = call.value(u"args").toArray();
        QVERIFY2(call.value(u"function").toString() == u"add" && args.size() == 2 && call.value(u"finished").toBool()
                     && call.value(u"ok").toBool(),
                 QJsonDocument(call).toJson().constData());
        const int a = args.at(0).toString().toInt();
        QVERIFY2(a >= 0 && a < seen.size() && !seen.at(a), QJsonDocument(call).toJson().constData());
        seen[a] = true;
        QCOMPARE(call.value(u"result").toString(), QString::number(a + args.at(1).toString().toInt()));
    }
    QCOMPARE(seen.count(true), 10000);
    const QJsonObject bridge = run.report.value(u"bridge").toObject();
    QCOMPARE(bridge.value(u"droppedInPage").toInt(-1), 0);
    QCOMPARE(bridge.value(u"droppedInLoom").toInt(-1), 0);
    QCOMPARE(bridge.value(u"rejected").toInt(-1), 0);
}

void tst_HeadlessRun::workerBusyAtTheEnd_itsHeldCallsReported()
{
    // The run ends right after a burst of 200 calls, while the worker is busy in an 8 s call: the
    // burst's events are still held in the worker, which cannot post them. The run's end asks for
    // them, reads them from the worker's log, and the report has every call, and the busy one as
    // started and unfinished.
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/busy-at-end"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=done")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), QStringLiteral("done 20100"));
    QList<bool> seen(200, false);
    int spins = 0;
    for (const QJsonValue &value : run.report.value(u"calls").toArray()) {
        const QJsonObject call = value.toObject();
        const QJsonArray args = call.value(u"args").toArray();
        if (call.value(u"function").toString() == u"spin") {
            ++spins;
            QCOMPARE(args, QJsonArray{QStringLiteral("8000")});
            QVERIFY2(!call.value(u"finished").toBool(), QJsonDocument(call).toJson().constData());
            continue;
        }
        QVERIFY2(call.value(u"function").toString() == u"add" && args.size() == 2 && call.value(u"ok").toBool(),
                 QJsonDocument(call).toJson().constData());
        const int a = args.at(0).toString().toInt();
        QVERIFY2(a >= 0 && a < seen.size() && !seen.at(a), QJsonDocument(call).toJson().constData());
        seen[a] = true;
        QCOMPARE(call.value(u"result").toString(), QString::number(a + 1));
    }
    QCOMPARE(seen.count(true), 200);
    QCOMPARE(spins, 1);
    QVERIFY2(!run.output.contains(u"did not arrive"_s), qPrintable(run.output));
}

void tst_HeadlessRun::asyncCallsEndingOutOfOrder_keepTheirResults()
{
    // In a burst, later(1) ends while later(5), started after it, is the last call in the worker's
    // log: each call's end must still reach its own call.
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/async-exports"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=done")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), QStringLiteral("done 1 10 5 50"));
    QMap<QString, QString> results; // "function(args)" -> result
    for (const QJsonValue &value : run.report.value(u"calls").toArray()) {
        const QJsonObject call = value.toObject();
        QStringList args;
        for (const QJsonValue &arg : call.value(u"args").toArray())
            args.append(arg.toString());
        const QString key = call.value(u"function").toString() + u'(' + args.join(u", ") + u')';
        QVERIFY2(call.value(u"ok").toBool() && call.value(u"finished").toBool(), qPrintable(key));
        QVERIFY2(!results.contains(key), qPrintable(key + u" reported twice"));
        results.insert(key, call.value(u"result").toString());
    }
    const QMap<QString, QString> expected{
        {u"add(0, 1)"_s, u"1"_s}, {u"add(2, 3)"_s, u"5"_s}, {u"later(1)"_s, u"10"_s}, {u"later(5)"_s, u"50"_s}};
    QCOMPARE(results, expected);
}

void tst_HeadlessRun::workerTopLevelRaise_failsWorkerAtItsLine()
{
    const Run run = runLoom(
        {QStringLiteral("run"), Projects + QStringLiteral("/worker-toplevel-raise"), QStringLiteral("--headless")});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.report.value(u"status").toString(), QStringLiteral("page-error"));
    const QJsonObject broken = workerNamed(run.report, QStringLiteral("broken"));
    QCOMPARE(broken.value(u"state").toString(), QStringLiteral("failed"));
    QVERIFY2(broken.value(u"lastError").toString().contains(u"KeyError"), qPrintable(run.output));
    const QJsonObject location = broken.value(u"lastErrorLocations").toArray().first().toObject();
    QCOMPARE(location.value(u"file").toString(), QStringLiteral("broken.py"));
    QCOMPARE(location.value(u"line").toInt(), 4); // limit = SETTINGS["limit"]
    const QJsonObject entry = consoleEntry(run.report, QStringLiteral("worker:broken"), QStringLiteral("KeyError"));
    QVERIFY(entry.value(u"explanation").toString().contains(u"top-level code raised"));
}

// A Pyodide worker that catches errors and prints their tracebacks (traceback.print_exc() while it
// starts, logging.exception in a call), and a MicroPython main thread that does (print_exception
// to stderr), run as in a browser: the worker ready, its call answered, the tracebacks in the
// console. Both interpreters write stderr a line at a time; none is an error nothing caught, and
// the worker did not fail (workerTopLevelRaise_failsWorkerAtItsLine: one that
// did). tests/browser/fidelity_chromium.mjs runs the page in Debian's Chromium too: no uncaught
// error there either.
void tst_HeadlessRun::printedTraceback_isNotAnUncaughtError()
{
    const Run run = runLoom({u"run"_s, Projects + u"/fidelity/printed-traceback"_s, u"--headless"_s, u"--step"_s,
                             u"wait-text:#result=parsed"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), u"parsed: None"_s);
    QCOMPARE(run.report.value(u"pythonErrors").toInt(), 0);
    const QJsonObject careful = workerNamed(run.report, u"careful"_s);
    QCOMPARE(careful.value(u"state").toString(), u"ready"_s);
    QCOMPARE(careful.value(u"calls").toInt(), 1);
    QVERIFY(!consoleEntry(run.report, u"worker:careful"_s, u"Expecting property name enclosed in double quotes"_s)
                 .isEmpty()); // print_exc() at start-up
    QVERIFY(!consoleEntry(run.report, u"worker:careful"_s, u"ERROR:root:could not parse '[1, 2'"_s).isEmpty());
    QVERIFY(!consoleEntry(run.report, u"worker:careful"_s, u"Expecting ',' delimiter"_s).isEmpty());
    QVERIFY(!consoleEntry(run.report, u"main:mpy"_s, u"ValueError: invalid syntax for integer"_s).isEmpty());
}

void tst_HeadlessRun::workerPackagesOffline_failsWithHint()
{
    // PyScript leaves `await workers["stats"]` pending for ever when the worker cannot start; Loom
    // ends the run at once and says why.
    const Run run = runLoom(
        {QStringLiteral("run"), Projects + QStringLiteral("/worker-packages-offline"), QStringLiteral("--headless")});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.report.value(u"status").toString(), QStringLiteral("page-error"));
    QVERIFY2(run.report.value(u"message").toString().contains(u"Worker \"stats\" failed to start"),
             qPrintable(run.output));
    QCOMPARE(workerNamed(run.report, QStringLiteral("stats")).value(u"state").toString(), QStringLiteral("failed"));
    bool hinted = false;
    for (const QJsonValue &line : run.report.value(u"console").toArray())
        hinted = hinted
                 || line.toObject()
                        .value(u"explanation")
                        .toString()
                        .contains(u"\"packages\" entry needs the network the first time");
    QVERIFY2(hinted, qPrintable(run.output));
}

void tst_HeadlessRun::consoleFlood_isBoundedAndAccountedFor()
{
    // A worker prints 100,000 lines in one call.
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/console-flood"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=printed")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output.right(2000)));
    QCOMPARE(lastStepText(run.report), QStringLiteral("printed 100000"));
    QStringList kept;
    for (const QJsonValue &line : run.report.value(u"console").toArray()) {
        if (line.toObject().value(u"source").toString() == u"worker:chatty")
            kept.append(line.toObject().value(u"text").toString());
    }
    // Memory is bounded: the newest lines are kept, up to the per-thread cap...
    QVERIFY2(!kept.isEmpty() && kept.size() <= 2000, qPrintable(QString::number(kept.size())));
    QCOMPARE(kept.last(), QStringLiteral("line 99999"));
    // ...and every line is accounted for: kept, or counted as dropped in Loom (its console, its
    // inbox) or in the page.
    const QJsonObject bridge = run.report.value(u"bridge").toObject();
    const qint64 accounted = kept.size() + run.report.value(u"consoleDropped").toInteger()
                             + bridge.value(u"droppedInLoom").toInteger() + bridge.value(u"droppedInPage").toInteger();
    QVERIFY2(accounted >= 100000, qPrintable(QString::number(accounted)));
    QCOMPARE(run.report.value(u"bridge").toObject().value(u"rejected").toInt(), 0);
}

void tst_HeadlessRun::logTimes_stepsAndPageEventsShareOneClock()
{
    // The page prints, then shows "done"; the step sees "done" only after that. On one clock the
    // print's time in the log is not later than the step's.
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/print-then-show"),
                             QStringLiteral("--headless"), QStringLiteral("--step"),
                             QStringLiteral("wait-text:#out=done")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    const auto timeOf = [&run](const QString &pattern) {
        const auto match = QRegularExpression(u"^\\[ *([0-9.]+)s\\] "_s + pattern, QRegularExpression::MultilineOption)
                               .match(run.output);
        return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
    };
    const double printed = timeOf(u"main:mpy \\| printed before the page shows done"_s);
    const double seen = timeOf(u"step +\\| wait until #out contains \"done\": ok"_s);
    QVERIFY2(printed >= 0 && seen >= 0, qPrintable(run.output));
    QVERIFY2(printed <= seen, qPrintable(run.output));
}

void tst_HeadlessRun::missingText_timesOut()
{
    const Run run = runLoom({QStringLiteral("run"), Projects + QStringLiteral("/never-done"),
                             QStringLiteral("--headless"), QStringLiteral("--timeout"), QStringLiteral("3"),
                             QStringLiteral("--step"), QStringLiteral("wait-text:#out=a text the page never shows")});
    QCOMPARE(run.exitCode, 3);
    QCOMPARE(run.report.value(u"status").toString(), QStringLiteral("timeout"));
    QVERIFY(run.output.contains(u"a text the page never shows"));
}

namespace {
// A scenario file in `dir`, for --scenario.
QString scenarioFile(const QTemporaryDir &dir, const QByteArray &json)
{
    const QString path = dir.filePath(u"scenario.json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size())
        return {};
    return path;
}

QString stepText(const QJsonObject &report, int index)
{
    return report.value(u"steps").toArray().at(index).toObject().value(u"text").toString();
}
} // namespace

void tst_HeadlessRun::scenarioSteps_checkWhatThePageRendered()
{
    // The page starts with "Loading", then its MicroPython writes the answer as "sum\n <b>45</b>"
    // (rendered "sum 45"), adds #done, says how it was loaded and prints; a plain <script> warns.
    QTemporaryDir dir;
    const QString scenario = scenarioFile(dir, R"({"steps": [
        {"waitText": "#status", "contains": "Loading", "not": true},
        {"waitFor": "#done", "visible": true},
        {"waitFor": "#hidden", "visible": true, "not": true},
        {"waitText": "body", "contains": "SOURCE-ONLY-MARKER", "not": true},
        {"waitText": "#out", "equals": "sum 45"},
        {"waitText": "#out", "matches": "^sum \\d+$"},
        {"waitText": "#nav", "equals": "navigate"},
        {"reload": true},
        {"waitText": "#nav", "equals": "reload"},
        {"waitText": "#status", "equals": "Ready"}],
      "expect": {"console": [
        {"text": "steps: a warning from JavaScript", "thread": "main", "level": "warning", "count": 2},
        {"text": "steps: python ran", "thread": "main", "count": 2},
        {"text": "steps: a warning from JavaScript", "thread": "worker", "count": 0}]}})");
    QVERIFY(!scenario.isEmpty());
    const Run run = runLoom({u"run"_s, Projects + u"/steps"_s, u"--headless"_s, u"--scenario"_s, scenario});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(run.report.value(u"steps").toArray().size(), 10);
    // The negative check waited until "Loading" was replaced.
    QCOMPARE(stepText(run.report, 0), u"Ready"_s);
    // Text is innerText: the rendered words, whitespace collapsed, never the inline script.
    QCOMPARE(stepText(run.report, 4), u"sum 45"_s);
    // The page ran again after the reload, and said so.
    QCOMPARE(stepText(run.report, 6), u"navigate"_s);
    QCOMPARE(run.report.value(u"steps").toArray().at(7).toObject().value(u"step").toString(), u"reload the page"_s);
    QCOMPARE(stepText(run.report, 8), u"reload"_s);
    // Two loads: the browser's warning and the Python print twice each, the print's echo in the
    // browser's console not counted again.
    const QJsonObject expect = run.report.value(u"expect").toObject();
    QCOMPARE(expect.value(u"checked").toInt(), 3);
    QCOMPARE(expect.value(u"unmet").toArray().size(), 0);
    QVERIFY(run.output.contains(u"Loom: expected outcome met (3 check(s))"));
}

void tst_HeadlessRun::consoleCount_notMet_failsAndSaysWhatWasSeen()
{
    QTemporaryDir dir;
    const QString scenario = scenarioFile(dir, R"({"steps": [{"waitText": "#status", "equals": "Ready"}],
      "expect": {"console": [{"text": "steps: a warning from JavaScript", "level": "warning", "count": 2},
                             {"text": "steps: a warning from JavaScript", "level": "error"}]}})");
    const Run run = runLoom({u"run"_s, Projects + u"/steps"_s, u"--headless"_s, u"--scenario"_s, scenario});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.report.value(u"status").toString(), u"page-error"_s);
    const QJsonArray unmet = run.report.value(u"expect").toObject().value(u"unmet").toArray();
    QCOMPARE(unmet.size(), 2);
    QCOMPARE(unmet.at(0).toString(), u"expected exactly 2 console lines at level warning containing "
                                     "\"steps: a warning from JavaScript\", found 1."_s);
    QCOMPARE(unmet.at(1).toString(), u"expected at least 1 console line at level error containing "
                                     "\"steps: a warning from JavaScript\", found 0 (other lines containing it: "
                                     "browser:main warning: 1)."_s);
}

void tst_HeadlessRun::pageWithQuery_andSelectorsWithEquals_onTheCommandLine()
{
    // sub/page.html writes its location.search into #query.
    const Run run = runLoom({u"run"_s, Projects + u"/steps"_s, u"--headless"_s, u"--page"_s, u"sub/page.html?x=1"_s,
                             u"--step"_s, u"wait-for:html[lang=en]"_s, u"--step"_s,
                             u"wait-text-equals:html[lang=en] #query=query ?x=1"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QVERIFY2(run.report.value(u"url").toString().endsWith(u"/sub/page.html?x=1"),
             qPrintable(run.report.value(u"url").toString()));
    QCOMPARE(run.report.value(u"steps").toArray().at(1).toObject().value(u"step").toString(),
             u"wait until html[lang=en] #query equals \"query ?x=1\""_s);
    QCOMPARE(lastStepText(run.report), u"query ?x=1"_s);
}

void tst_HeadlessRun::hiddenElement_neverVisible_timesOut()
{
    const Run run = runLoom({u"run"_s, Projects + u"/steps"_s, u"--headless"_s, u"--timeout"_s, u"5"_s, u"--step"_s,
                             u"wait-for:#hidden"_s, u"--step"_s, u"wait-visible:#hidden"_s});
    QCOMPARE(run.exitCode, 3);
    QCOMPARE(run.report.value(u"steps").toArray().size(), 1); // it exists, it is never shown
    QVERIFY2(run.report.value(u"message").toString().contains(u"waiting for: wait until #hidden is visible"),
             qPrintable(run.report.value(u"message").toString()));
}

void tst_HeadlessRun::allowErrors_letsAnErrorPass_data()
{
    QTest::addColumn<bool>("flag");
    QTest::newRow("--allow-errors") << true;
    QTest::newRow("a scenario with allowErrors alone") << false;
}

void tst_HeadlessRun::allowErrors_letsAnErrorPass()
{
    // The page raises ZeroDivisionError at its top level (pythonError_failsTheRun: exit 1).
    QFETCH(bool, flag);
    QTemporaryDir dir;
    QStringList arguments = {u"run"_s, Projects + u"/python-error"_s, u"--headless"_s, u"--timeout"_s, u"60"_s};
    if (flag)
        arguments << u"--allow-errors"_s;
    else
        arguments << u"--scenario"_s << scenarioFile(dir, R"({"steps": [], "expect": {"allowErrors": true}})");
    const Run run = runLoom(arguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(run.report.value(u"status").toString(), u"passed"_s);
    QCOMPARE(run.report.value(u"pythonErrors").toInt(), 1);
    QVERIFY(consoleHas(run.report, u"main:mpy"_s, u"ZeroDivisionError"_s));
}

void tst_HeadlessRun::badArguments_areUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("fly")} << QStringLiteral("unknown command");
    QTest::newRow("run without project") << QStringList{QStringLiteral("run"), QStringLiteral("--headless")}
                                         << QStringLiteral("project folder, --sample NAME or --url URL");
    QTest::newRow("bad timeout") << QStringList{
        QStringLiteral("run"), QStringLiteral("x"), QStringLiteral("--headless"), QStringLiteral("--timeout"),
        QStringLiteral("soon")} << QStringLiteral("--timeout");
    QTest::newRow("bad step") << QStringList{QStringLiteral("run"), Projects + QStringLiteral("/never-done"),
                                             QStringLiteral("--headless"), QStringLiteral("--step"),
                                             QStringLiteral("tap:#a")}
                              << QStringLiteral("is not a step");
    QTest::newRow("unknown sample") << QStringList{QStringLiteral("run"), QStringLiteral("--sample"),
                                                   QStringLiteral("nope"), QStringLiteral("--headless")}
                                    << QStringLiteral("no sample \"nope\"");
    QTest::newRow("bad port") << QStringList{QStringLiteral("serve"), QStringLiteral("x"), QStringLiteral("--port"),
                                             QStringLiteral("70000")}
                              << QStringLiteral("--port");
    QTest::newRow("exceptions unknown") << QStringList{u"run"_s, Projects + u"/never-done"_s, u"--headless"_s,
                                                       u"--exceptions"_s, u"some"_s}
                                        << u"--exceptions takes uncaught, raised or none"_s;
    QTest::newRow("exceptions without headless")
        << QStringList{u"run"_s, Projects + u"/never-done"_s, u"--exceptions"_s, u"raised"_s}
        << u"--break, --log and --exceptions need --headless"_s;
    QTest::newRow("reload not serving") << QStringList{u"run"_s, Projects + u"/never-done"_s, u"--headless"_s,
                                                       u"--reload"_s}
                                        << u"--reload is for loom serve"_s;
    const QString steps = Projects + u"/steps"_s;
    auto run = [&steps](const char *name, const QStringList &more, const QString &message) {
        QTest::newRow(name) << (QStringList{u"run"_s, steps, u"--headless"_s} + more) << message;
    };
    run("step selector not closed", {u"--step"_s, u"wait-text:html[lang=en=x"_s},
        u"\"wait-text:html[lang=en=x\" is not a step: the brackets, parentheses or quotes of its selector do not close"_s);
    run("step bad pattern", {u"--step"_s, u"wait-text-matches:#out=(x"_s},
        u"the pattern is not a valid regular expression"_s);
    run("page absolute", {u"--page"_s, u"/etc/hostname"_s},
        u"--page /etc/hostname: the page must be relative to the project folder"_s);
    run("page outside", {u"--page"_s, u"../never-done/index.html"_s}, u"the page must be inside the project folder"_s);
    run("page missing", {u"--page"_s, u"sub/nope.html?x=1"_s},
        u"error: --page sub/nope.html: no such file in the project"_s);
    run("page a folder", {u"--page"_s, u"sub"_s},
        u"error: --page sub: it is a folder; name the page itself (sub/index.html)"_s);
    QTest::newRow("page with --url") << QStringList{u"run"_s,        u"--url"_s,  u"http://127.0.0.1:9/"_s,
                                                    u"--headless"_s, u"--page"_s, u"a.html"_s}
                                     << u"--page opens a page of a project folder or sample"_s;
    QTest::newRow("page without --headless")
        << QStringList{u"run"_s, steps, u"--page"_s, u"sub/page.html"_s} << u"--page needs --headless"_s;
    QTest::newRow("allow-errors without --headless")
        << QStringList{u"run"_s, steps, u"--allow-errors"_s} << u"--allow-errors needs --headless"_s;
    const QString upstreamStdlib = u"--upstream-stdlib is for the pages Loom serves"_s;
    QTest::newRow("upstream-stdlib in an export")
        << QStringList{u"export"_s, steps, u"out"_s, u"--upstream-stdlib"_s} << upstreamStdlib;
    QTest::newRow("upstream-stdlib with --url")
        << QStringList{u"run"_s, u"--url"_s, u"http://127.0.0.1:9/"_s, u"--headless"_s, u"--upstream-stdlib"_s}
        << upstreamStdlib;
    QTest::newRow("compiled-stdlib in a run") << QStringList{u"run"_s, steps, u"--headless"_s, u"--compiled-stdlib"_s}
                                              << u"--compiled-stdlib is for loom export"_s;
    QTest::newRow("upstream-stdlib without --headless")
        << QStringList{u"run"_s, steps, u"--upstream-stdlib"_s} << upstreamStdlib;
}

void tst_HeadlessRun::badArguments_areUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runLoom(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.output.contains(message), qPrintable(run.output));
}

void tst_HeadlessRun::version_printsLoomAndTheProjectVersion()
{
    // LOOM_VERSION: the VERSION of CMake's project(), as the loom binary has it.
    const Run run = runLoom({u"--version"_s});
    QCOMPARE(run.output, QStringLiteral("loom " LOOM_VERSION "\n"));
    QCOMPARE(run.exitCode, 0);
    QVERIFY(runLoom({u"--help"_s}).output.contains(u"loom --version"));
}

void tst_HeadlessRun::notAProject_isEnvironmentError()
{
    QTemporaryDir empty;
    const Run run = runLoom({QStringLiteral("run"), empty.path(), QStringLiteral("--headless")});
    QCOMPARE(run.exitCode, 4);
    QVERIFY(run.output.contains(u"has no index.html"));
}

void tst_HeadlessRun::missingRuntime_namesTheFile()
{
    QTemporaryDir empty;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LOOM_RUNTIME_DIR"), empty.path());
    const Run run = runLoom(
        {QStringLiteral("run"), Projects + QStringLiteral("/never-done"), QStringLiteral("--headless")}, environment);
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(run.output.contains(empty.path() + QStringLiteral("/runtime.json")), qPrintable(run.output));
}

QTEST_GUILESS_MAIN(tst_HeadlessRun)
#include "tst_headlessrun.moc"
