// The runtime models fed by the bridge: bounded, tolerant of out-of-order events, mapped.
#include "runtime/bridge/calllog.h"
#include "runtime/bridge/consolelog.h"
#include "runtime/bridge/pageevent.h"
#include "runtime/bridge/pagesession.h"
#include "runtime/bridge/responsiveness.h"
#include "runtime/bridge/traceback.h"
#include "runtime/bridge/workerregistry.h"
#include "runtime/models/workertablemodel.h"
#include "runtime/project/projectscan.h"
#include "runtime/run/expectations.h"
#include "runtime/run/runreport.h"

#include "tests/support/events.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Loom::Runtime;
using namespace Loom::TestSupport;

namespace {
PageEvent callEvent(PageEvent::Kind kind, double t, int id, bool ok = true, const QString &text = {})
{
    PageEvent e = pageEvent(kind, t);
    e.callId = id;
    e.name = QStringLiteral("f");
    e.ok = ok;
    e.text = text;
    e.ms = 2;
    e.mainMs = 3;
    return e;
}
} // namespace

class tst_Models : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void worker_goesThroughItsStates();
    void worker_knownFirstByACall_getsARow();
    void stoppedWorker_staysStopped();
    void callLog_isBoundedRing();
    void callLog_endBeforeStart_makesOneRecord();
    void callLog_endFindsItsStartAfterTheRingWrapped();
    void callLog_filter_data();
    void callLog_filter();
    void callLog_exportsJson();
    void console_floodOfOneSource_keepsOthers();
    void responsiveness_levels_data();
    void responsiveness_levels();
    void traceback_mapsInlineAndSrc_data();
    void traceback_mapsInlineAndSrc();
    void scan_findsScriptsAndTagLines();
    void errorSummary_picksTheExceptionLine_data();
    void errorSummary_picksTheExceptionLine();
    void explainError_data();
    void explainError();
    void failedWorker_staysFailedWhenReadyArrives();
    void forgedWorkerIds_areCappedAndCounted();
    void workerStderr_isItsLastErrorOnlyWhenAnError();
    void responsiveness_silenceAtTheEndIsABlock();
    void floodOf64KiBLines_staysWithinItsBytes();
    void callsWithBigArguments_stayWithinTheirBytes();
    void hostileReport_isCutToItsCap();
    void expectations_judgeTheRun();
    void resentBatch_isTakenOnce();
    void isPythonError_tellsPythonFromJavaScript_data();
    void isPythonError_tellsPythonFromJavaScript();
    void isUncaughtPythonError_notATracebackTheProgramPrinted_data();
    void isUncaughtPythonError_notATracebackTheProgramPrinted();
    void scan_knowsEveryKindOfScriptPyScriptRuns();
};

void tst_Models::worker_goesThroughItsStates()
{
    WorkerRegistry registry;
    PageEvent created = pageEvent(PageEvent::Kind::WorkerCreated, 100);
    created.script.name = QStringLiteral("primes");
    created.script.type = QStringLiteral("py");
    registry.apply(created);
    QCOMPARE(registry.find(1)->state, WorkerState::Starting);
    registry.apply(pageEvent(PageEvent::Kind::WorkerInterpreter, 2000));
    QCOMPARE(registry.find(1)->state, WorkerState::Loading);
    PageEvent exported = pageEvent(PageEvent::Kind::WorkerExport, 2050);
    exported.name = QStringLiteral("find_primes");
    registry.apply(exported);
    registry.apply(pageEvent(PageEvent::Kind::WorkerReady, 2100));
    QCOMPARE(registry.find(1)->state, WorkerState::Ready);
    QCOMPARE(registry.find(1)->timeToReadyMs(), 2000.0);
    registry.apply(callEvent(PageEvent::Kind::CallStart, 3000, 1));
    QCOMPARE(registry.find(1)->state, WorkerState::Busy);
    registry.apply(callEvent(PageEvent::Kind::CallEnd, 3010, 1, false, QStringLiteral("ValueError: x")));
    const WorkerInfo *worker = registry.find(1);
    QCOMPARE(worker->state, WorkerState::Ready);
    QCOMPARE(worker->calls, 1);
    QCOMPARE(worker->inFlight, 0);
    QCOMPARE(worker->maxMs, 3.0); // main-side duration preferred
    QCOMPARE(worker->lastError, QStringLiteral("ValueError: x"));
    QCOMPARE(worker->exports, QStringList{QStringLiteral("find_primes")});
}

void tst_Models::worker_knownFirstByACall_getsARow()
{
    WorkerRegistry registry;
    registry.apply(callEvent(PageEvent::Kind::CallEnd, 10, 4));
    QVERIFY(registry.find(1));
    QCOMPARE(registry.find(1)->inFlight, 0);
}

void tst_Models::stoppedWorker_staysStopped()
{
    WorkerRegistry registry;
    registry.apply(pageEvent(PageEvent::Kind::WorkerCreated, 1));
    registry.apply(callEvent(PageEvent::Kind::CallStart, 2, 1));
    registry.apply(pageEvent(PageEvent::Kind::WorkerStopped, 3));
    registry.apply(callEvent(PageEvent::Kind::CallEnd, 4, 1)); // a late reply
    QCOMPARE(registry.find(1)->state, WorkerState::Stopped);
}

void tst_Models::callLog_isBoundedRing()
{
    CallLog log(100);
    for (int id = 1; id <= 250; ++id)
        log.apply(callEvent(PageEvent::Kind::CallStart, id, id), QStringLiteral("w"));
    QCOMPARE(log.size(), 100);
    QCOMPARE(log.dropped(), 150);
    QCOMPARE(log.at(0).callId, 151);
    QCOMPARE(log.at(99).callId, 250);
}

void tst_Models::callLog_endBeforeStart_makesOneRecord()
{
    CallLog log;
    log.apply(callEvent(PageEvent::Kind::CallEnd, 5, 1, true, QStringLiteral("42")), QStringLiteral("w"));
    log.apply(callEvent(PageEvent::Kind::CallStart, 4, 1), QStringLiteral("w"));
    QCOMPARE(log.size(), 1);
    QVERIFY(log.at(0).finished);
    QCOMPARE(log.at(0).result, QStringLiteral("42"));
    QCOMPARE(log.at(0).startedAt, 4.0);
}

void tst_Models::callLog_endFindsItsStartAfterTheRingWrapped()
{
    CallLog log(10);
    // Two workers number their calls independently: worker 2's call 3 is not worker 1's.
    for (int id = 1; id <= 25; ++id) {
        PageEvent start = callEvent(PageEvent::Kind::CallStart, id, id);
        start.worker = 1 + id % 2;
        log.apply(start, QStringLiteral("w%1").arg(start.worker));
    }
    PageEvent end = callEvent(PageEvent::Kind::CallEnd, 30, 21, true, QStringLiteral("21 done"));
    end.worker = 2;
    log.apply(end, QStringLiteral("w2"));
    QCOMPARE(log.size(), 10);
    QCOMPARE(log.at(5).callId, 21);
    QVERIFY(log.at(5).finished);
    QCOMPARE(log.at(5).result, QStringLiteral("21 done"));

    // The same id under the other worker is a call of its own.
    PageEvent other = callEvent(PageEvent::Kind::CallEnd, 31, 21, true, QStringLiteral("other"));
    other.worker = 1;
    log.apply(other, QStringLiteral("w1"));
    QCOMPARE(log.at(4).callId, 21);
    QCOMPARE(log.at(4).result, QStringLiteral("21 done"));
    QCOMPARE(log.at(9).worker, 1);
    QCOMPARE(log.at(9).result, QStringLiteral("other"));

    // An end whose start fell out of the ring makes a record of its own instead of touching another.
    PageEvent late = callEvent(PageEvent::Kind::CallEnd, 32, 3, false, QStringLiteral("boom"));
    late.worker = 2;
    log.apply(late, QStringLiteral("w2"));
    QCOMPARE(log.at(9).callId, 3);
    QCOMPARE(log.at(9).error, QStringLiteral("boom"));
    for (qsizetype i = 0; i < 9; ++i)
        QVERIFY(log.at(i).error.isEmpty());

    log.clear();
    log.apply(end, QStringLiteral("w2"));
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.at(0).startedAt, 30.0);
}

void tst_Models::callLog_filter_data()
{
    QTest::addColumn<QString>("worker");
    QTest::addColumn<QString>("function");
    QTest::addColumn<bool>("errorsOnly");
    QTest::addColumn<int>("count");
    QTest::newRow("all") << QString() << QString() << false << 3;
    QTest::newRow("by worker") << QStringLiteral("a") << QString() << false << 2;
    QTest::newRow("by function") << QString() << QStringLiteral("g") << false << 1;
    QTest::newRow("errors") << QString() << QString() << true << 1;
    QTest::newRow("errors of b") << QStringLiteral("b") << QString() << true << 0;
}

void tst_Models::callLog_filter()
{
    QFETCH(QString, worker);
    QFETCH(QString, function);
    QFETCH(bool, errorsOnly);
    QFETCH(int, count);
    CallLog log;
    log.apply(callEvent(PageEvent::Kind::CallEnd, 1, 1, true), QStringLiteral("a"));
    log.apply(callEvent(PageEvent::Kind::CallEnd, 2, 2, false, QStringLiteral("boom")), QStringLiteral("a"));
    PageEvent other = callEvent(PageEvent::Kind::CallEnd, 3, 1, true);
    other.worker = 2;
    other.name = QStringLiteral("g");
    log.apply(other, QStringLiteral("b"));
    QCOMPARE(log.filtered({worker, function, errorsOnly}).size(), count);
}

void tst_Models::callLog_exportsJson()
{
    CallLog log;
    PageEvent start = callEvent(PageEvent::Kind::CallStart, 1, 1);
    start.args = {QStringLiteral("1000000")};
    log.apply(start, QStringLiteral("primes"));
    log.apply(callEvent(PageEvent::Kind::CallEnd, 2, 1, true, QStringLiteral("{\"count\": 78498}")),
              QStringLiteral("primes"));
    const QByteArray json = log.toJson();
    QVERIFY(json.contains(R"("worker": "primes")"));
    QVERIFY(json.contains(R"("args": [)"));
    QVERIFY(json.contains("78498"));
}

void tst_Models::console_floodOfOneSource_keepsOthers()
{
    ConsoleLog console;
    console.append({1, QStringLiteral("main:mpy"), false, QStringLiteral("started"), {}, {}, {}});
    for (int i = 0; i < 100000; ++i)
        console.append({double(i + 2), QStringLiteral("worker:noisy"), false, QString::number(i), {}, {}, {}});
    QCOMPARE(console.size(), ConsoleLog::MaxPerSource + 1);
    QCOMPARE(console.dropped(), 100000 - ConsoleLog::MaxPerSource);
    QCOMPARE(console.entries(QStringLiteral("main:mpy")).first().text, QStringLiteral("started"));
    QCOMPARE(console.entries(QStringLiteral("worker:noisy")).last().text, QStringLiteral("99999"));
}

void tst_Models::responsiveness_levels_data()
{
    QTest::addColumn<int>("lag");
    QTest::addColumn<int>("level");
    QTest::newRow("idle") << 3 << int(Responsiveness::Level::Green);
    QTest::newRow("just under amber") << 49 << int(Responsiveness::Level::Green);
    QTest::newRow("amber") << 50 << int(Responsiveness::Level::Amber);
    QTest::newRow("just under red") << 199 << int(Responsiveness::Level::Amber);
    QTest::newRow("red") << 200 << int(Responsiveness::Level::Red);
    QTest::newRow("frozen") << 5000 << int(Responsiveness::Level::Red);
}

void tst_Models::responsiveness_levels()
{
    QFETCH(int, lag);
    QFETCH(int, level);
    Responsiveness r;
    r.addSample(1000, 0, 0, 0);
    r.addSample(1250, lag, 0, 0);
    QCOMPARE(int(r.level()), level);
    // A stall older than a second no longer colours the light, but stays the worst.
    r.addSample(2500, 0, 0, 0);
    QCOMPARE(r.level(), Responsiveness::Level::Green);
    QCOMPARE(r.worstStallMs(), lag);
}

void tst_Models::traceback_mapsInlineAndSrc_data()
{
    QTest::addColumn<QString>("traceback");
    QTest::addColumn<QString>("src");
    QTest::addColumn<int>("tagLine");
    QTest::addColumn<QString>("location");
    const QString pyodide = QStringLiteral(
        "Traceback (most recent call last):\n"
        "  File \"/lib/python314.zip/_pyodide/_base.py\", line 597, in eval_code_async\n"
        "  File \"<exec>\", line 5, in boom\nValueError: boom");
    const QString micropython = QStringLiteral(
        "Traceback (most recent call last):\n  File \"<stdin>\", line 3, in divide\n"
        "ZeroDivisionError: divide by zero");
    QTest::newRow("pyodide inline") << pyodide << QString() << 9 << QStringLiteral("index.html:14 boom");
    QTest::newRow("pyodide src") << pyodide << QStringLiteral("./worker.py") << 0 << QStringLiteral("worker.py:5 boom");
    QTest::newRow("micropython src") << micropython << QStringLiteral("lib/calc.py") << 0
                                     << QStringLiteral("lib/calc.py:3 divide");
    QTest::newRow("micropython inline") << micropython << QString() << 40 << QStringLiteral("index.html:43 divide");
}

void tst_Models::traceback_mapsInlineAndSrc()
{
    QFETCH(QString, traceback);
    QFETCH(QString, src);
    QFETCH(int, tagLine);
    QFETCH(QString, location);
    const auto locations = mapTraceback(
        traceback, PageScript{QStringLiteral("py"), true, {}, src, {}, tagLine, {}, tagLine, 0, 0, 0},
        QStringLiteral("index.html"));
    QCOMPARE(locations.size(), 1); // PyScript's own frames are not the user's
    QCOMPARE(QStringLiteral("%1:%2 %3")
                 .arg(locations.first().file)
                 .arg(locations.first().line)
                 .arg(locations.first().function),
             location);
}

void tst_Models::scan_findsScriptsAndTagLines()
{
    const auto scripts = scanPageScripts(
        "<html>\n<body>\n<script type=\"mpy\" src=\"./main.py\"></script>\n"
        "<script type=\"py\" worker name=\"calc\">\nx = 1\n</script>\n"
        "<script type=\"module\">let a;</script>\n<mpy-script>print(1)</mpy-script>\n");
    QCOMPARE(scripts.size(), 3);
    QCOMPARE(scripts.at(0).src, QStringLiteral("./main.py"));
    QVERIFY(!scripts.at(0).worker);
    QCOMPARE(scripts.at(1).name, QStringLiteral("calc"));
    QVERIFY(scripts.at(1).worker);
    QCOMPARE(scripts.at(1).tagLine, 4);
    QCOMPARE(scripts.at(2).type, QStringLiteral("mpy"));
}

void tst_Models::errorSummary_picksTheExceptionLine_data()
{
    QTest::addColumn<QString>("traceback");
    QTest::addColumn<QString>("summary");
    QTest::newRow("plain") << QStringLiteral(
        "Traceback (most recent call last):\n  File \"<stdin>\", line 4\nKeyError: limit\n")
                           << QStringLiteral("KeyError: limit");
    // Pyodide appends advice after the exception line.
    QTest::newRow("pyodide advice") << QStringLiteral(
        "Traceback (most recent call last):\nModuleNotFoundError: No module named "
        "'micropip'\nYou can install it by calling:\nSee https://pyodide.org for more.")
                                    << QStringLiteral("ModuleNotFoundError: No module named 'micropip'");
    QTest::newRow("dotted type") << QStringLiteral("pyodide.ffi.JsException: TypeError: x")
                                 << QStringLiteral("pyodide.ffi.JsException: TypeError: x");
    QTest::newRow("no exception line") << QStringLiteral("something went wrong\n\n")
                                       << QStringLiteral("something went wrong");
}

void tst_Models::errorSummary_picksTheExceptionLine()
{
    QFETCH(QString, traceback);
    QFETCH(QString, summary);
    QCOMPARE(errorSummary(traceback), summary);
}

void tst_Models::explainError_data()
{
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("duringCall");
    QTest::addColumn<QString>("expected"); // a fragment, or empty for no explanation
    QTest::newRow("clone") << QStringLiteral("DataCloneError: function could not be cloned") << true
                           << QStringLiteral("cannot cross between threads");
    QTest::newRow("not exported") << QStringLiteral("TypeError: missing is not a function") << true
                                  << QStringLiteral(
                                         "does not export \"missing\": add it to __export__ (it exports: ok)");
    // A JavaScript object lacking a method is not about exports.
    QTest::newRow("method of an object") << QStringLiteral("k.getElementById is not a function") << true << QString();
    QTest::newRow("not exported, at start-up") << QStringLiteral("missing is not a function") << false << QString();
    QTest::newRow("packages") << QStringLiteral("The following error occurred while loading micropip: Failed to fetch")
                              << false << QStringLiteral("`loom packages DIR` (Run > Fetch Packages in the IDE)");
    QTest::newRow("ordinary") << QStringLiteral("ValueError: boom") << true << QString();
}

void tst_Models::explainError()
{
    QFETCH(QString, error);
    QFETCH(bool, duringCall);
    QFETCH(QString, expected);
    const QString explanation = Loom::Runtime::explainError(error, {QStringLiteral("ok")},
                                                            duringCall ? ErrorContext::Call : ErrorContext::Startup);
    if (expected.isEmpty())
        QVERIFY2(explanation.isEmpty(), qPrintable(explanation));
    else
        QVERIFY2(explanation.contains(expected), qPrintable(explanation));
}

void tst_Models::failedWorker_staysFailedWhenReadyArrives()
{
    // PyScript resolves a worker whose top-level code raised: Loom has marked it failed already.
    WorkerRegistry registry;
    registry.apply(pageEvent(PageEvent::Kind::WorkerCreated, 100));
    registry.setFailed(1, QStringLiteral("KeyError: limit"), {});
    registry.apply(pageEvent(PageEvent::Kind::WorkerReady, 200));
    QCOMPARE(registry.find(1)->state, WorkerState::Failed);
    QCOMPARE(registry.find(1)->lastError, QStringLiteral("KeyError: limit"));
}

// The Workers dock's "last error" and the report's lastError: stderr that is no error (tqdm's
// progress bar, a warning, a caught traceback printed a line at a time, as Pyodide writes it)
// is shown in the console as stderr, but does not become the worker's last error.
void tst_Models::workerStderr_isItsLastErrorOnlyWhenAnError()
{
    PageSession session(QStringLiteral("/nonexistent"));
    QList<QByteArray> events = workerStartJson(1000, 1, "stats", "stats.py", "crunch");
    const auto stderrJson = [](double t, const QByteArray &text) {
        const QJsonObject fields{{QStringLiteral("text"), QString::fromUtf8(text)}};
        return eventJson("stderr", t, 1, QJsonDocument(fields).toJson(QJsonDocument::Compact).mid(1).chopped(1));
    };
    events << stderrJson(1100, " 50%|█████     | 5/10 [00:01<00:01,  4.99it/s]")
           << stderrJson(1101, "/home/pyodide/stats.py:3: UserWarning: slow path")
           << stderrJson(1102, "Traceback (most recent call last):")
           << stderrJson(1103, "  File \"/home/pyodide/stats.py\", line 9, in crunch")
           << stderrJson(1104, "ValueError: handled and printed");
    QVERIFY(deliver(session, batchJson(events)));
    session.drain();
    QCOMPARE(session.workers().find(1)->state, WorkerState::Ready);
    QCOMPARE(session.workers().find(1)->lastError, QString());
    int stderrLines = 0;
    for (const ConsoleEntry &entry : session.console().entries())
        stderrLines += entry.isError ? 1 : 0;
    QCOMPARE(stderrLines, 5);

    // An error nothing caught (a handler that raised), as PyScript writes it: one text.
    const QByteArray uncaught =
        "Traceback (most recent call last):\n  File \"/home/pyodide/stats.py\", line 12, in on_tick\nRuntimeError: boom\n";
    QVERIFY(deliver(session, batchJson({stderrJson(1200, uncaught)})));
    session.drain();
    QCOMPARE(session.workers().find(1)->state, WorkerState::Ready);
    QVERIFY2(session.workers().find(1)->lastError.contains(u"RuntimeError: boom"),
             qPrintable(session.workers().find(1)->lastError));
}

// A page that sends 100,000 worker events with new ids gets MaxWorkers rows; the rest
// is counted, and the table the Workers dock shows stays that size.
void tst_Models::forgedWorkerIds_areCappedAndCounted()
{
    PageSession session(QStringLiteral("/nonexistent"));
    WorkerTableModel table;
    table.setSession(&session);
    constexpr int Forged = 100'000;
    EventBatch batch;
    for (int id = 1; id <= Forged; ++id) {
        PageEvent created = pageEvent(PageEvent::Kind::WorkerCreated, 1000 + id, id);
        created.script.name = QStringLiteral("w%1").arg(id);
        created.script.type = QStringLiteral("mpy");
        batch.events.push_back(std::move(created));
        if (batch.events.size() == EventLimits::MaxEventsPerBatch) {
            session.enqueue(std::move(batch));
            session.drain(); // as the session's timer does while batches arrive
            batch = {};
        }
    }
    session.enqueue(std::move(batch));
    session.drain();
    QCOMPARE(session.counters().inboxDropped, 0u);
    QCOMPARE(session.workers().workers().size(), WorkerRegistry::MaxWorkers);
    QCOMPARE(session.workers().droppedEvents(), quint64(Forged - WorkerRegistry::MaxWorkers));
    QCOMPARE(table.rowCount(), int(WorkerRegistry::MaxWorkers));
    // The kept ones are still found by id, and updated.
    PageEvent ready = pageEvent(PageEvent::Kind::WorkerReady, 200'000, 500);
    EventBatch more;
    more.events.push_back(ready);
    session.enqueue(std::move(more));
    session.drain();
    QCOMPARE(session.workers().find(500)->state, WorkerState::Ready);
    QCOMPARE(session.workers().find(500)->name, QStringLiteral("w500"));
    QVERIFY(!session.workers().find(WorkerRegistry::MaxWorkers + 1));
}

void tst_Models::responsiveness_silenceAtTheEndIsABlock()
{
    Responsiveness r;
    r.addSample(1000, 5, 0, 0);
    r.addSample(1250, 8, 0, 0);
    Responsiveness answering = r;
    answering.endAt(1250 + Responsiveness::SilenceMs - 1, 900); // a sample is due any moment
    QCOMPARE(answering.blockedAtEndMs(), 0);
    QCOMPARE(answering.worstLevel(), Responsiveness::Level::Green);
    r.endAt(1250 + 4000, 900); // nothing for 4 s
    QCOMPARE(r.blockedAtEndMs(), 4000);
    QCOMPARE(r.worstStallMs(), 4000);
    QCOMPARE(r.worstLevel(), Responsiveness::Level::Red);
    Responsiveness neverAnswered;
    neverAnswered.endAt(900 + 3000, 900); // blocked from the start of the run
    QCOMPARE(neverAnswered.blockedAtEndMs(), 3000);
}

// Memory bounded in bytes, whatever a page sends.
void tst_Models::floodOf64KiBLines_staysWithinItsBytes()
{
    ConsoleLog log;
    log.append({1, QStringLiteral("worker:quiet"), false, QStringLiteral("a quiet line"), {}, {}, {}});
    const QString big(EventLimits::MaxText, u'x');
    for (int i = 0; i < 5000; ++i)
        log.append({double(2 + i), QStringLiteral("main:py"), false, big + QString::number(i), {}, {}, {}});
    QVERIFY2(log.bytes() <= ConsoleLog::MaxBytesPerSource + 1024, qPrintable(QString::number(log.bytes())));
    const QList<ConsoleEntry> kept = log.entries(QStringLiteral("main:py"));
    QVERIFY(!kept.isEmpty());
    QVERIFY(kept.last().text.endsWith(u"4999")); // the newest stays
    QCOMPARE(log.dropped(), 5000 - kept.size());
    QCOMPARE(log.entries(QStringLiteral("worker:quiet")).size(), 1); // another source keeps its line

    // Many sources, each under its own bound: all of them together stay under MaxBytes.
    ConsoleLog many;
    for (int source = 0; source < ConsoleLog::MaxSources; ++source) {
        for (int i = 0; i < 40; ++i)
            many.append({double(i), QStringLiteral("worker:w%1").arg(source), false, big, {}, {}, {}});
    }
    QVERIFY2(many.bytes() <= ConsoleLog::MaxBytes, qPrintable(QString::number(many.bytes())));
    QVERIFY(many.dropped() > 0);
}

void tst_Models::callsWithBigArguments_stayWithinTheirBytes()
{
    CallLog log;
    const QStringList args(EventLimits::MaxArgs, QString(EventLimits::MaxText, u'a'));
    for (int id = 1; id <= 2000; ++id) {
        PageEvent start = callEvent(PageEvent::Kind::CallStart, id, id);
        start.args = args;
        log.apply(start, QStringLiteral("w"));
    }
    QVERIFY2(log.bytes() <= CallLog::DefaultMaxBytes, qPrintable(QString::number(log.bytes())));
    QCOMPARE(log.dropped() + log.size(), 2000);
    QVERIFY(log.find(1, 2000)); // the newest stays, and ends
    log.apply(callEvent(PageEvent::Kind::CallEnd, 3000, 2000), QStringLiteral("w"));
    QVERIFY(log.find(1, 2000)->finished);
    QVERIFY(!log.find(1, 1));
}

void tst_Models::hostileReport_isCutToItsCap()
{
    // Control characters cost six bytes each in JSON ("\u0001"): a page filling the console and
    // the call log with them would make a report of hundreds of MB.
    PageSession session(QStringLiteral("/nonexistent"));
    const QString hostile(EventLimits::MaxText, QChar(1));
    EventBatch all;
    for (int i = 0; i < 400; ++i) {
        PageEvent line = pageEvent(PageEvent::Kind::Stdout, 1000 + i, 1 + i % 8); // eight workers' consoles
        line.text = hostile;
        PageEvent call = callEvent(PageEvent::Kind::CallStart, 1000 + i, i + 1);
        call.args = QStringList(4, hostile);
        EventBatch batch;
        batch.events = {line, call};
        all.events.append(batch.events);
        session.enqueue(std::move(batch));
        session.drain(); // as the session's timer does while batches arrive
    }
    // The same 250 MB offered at once: the inbox takes what fits in its bytes, and counts the rest.
    PageSession flooded(QStringLiteral("/nonexistent"));
    flooded.enqueue(std::move(all));
    QVERIFY(flooded.counters().inboxDropped > 0);
    QVERIFY(flooded.counters().received * 2 * EventLimits::MaxText <= quint64(PageSession::MaxQueuedBytes));
    RunReport report;
    report.setSession(&session);
    const QByteArray json = report.toJson();
    QVERIFY2(json.size() <= RunReport::MaxReportBytes, qPrintable(QString::number(json.size())));
    const QJsonObject parsed = QJsonDocument::fromJson(json).object();
    QCOMPARE(parsed.value(u"truncated").toInt(), int(RunReport::ShortTextChars));
    QVERIFY(
        parsed.value(u"console").toArray().last().toObject().value(u"text").toString().contains(u"more characters]"));
}

void tst_Models::expectations_judgeTheRun()
{
    // The verdict beside the run: a passed run whose expected outcome is not met becomes a page
    // error that counts what was unmet; a run that already failed is left as it is.
    PageSession session(QStringLiteral("/nonexistent"));
    auto batch = parseEventBatch(R"({"events": [
        {"k": "worker-created", "t": 1, "w": 1, "script": {"name": "calc", "type": "py"}},
        {"k": "worker-ready", "t": 2, "w": 1}]})");
    QVERIFY(batch);
    session.enqueue(std::move(*batch));
    session.drain();

    Expectations expect;
    expect.workers = {{QStringLiteral("calc"), QStringLiteral("ready")},
                      {QStringLiteral("calc"), QStringLiteral("failed")}};
    RunOutcome passed;
    const QStringList unmet = judgeExpectations(expect, session, {}, passed);
    QCOMPARE(unmet.size(), 1);
    QVERIFY2(unmet.first().contains(u"failed"), qPrintable(unmet.first()));
    QCOMPARE(passed.status, RunOutcome::Status::PageError);
    QCOMPARE(passed.message, QStringLiteral("1 of 2 expected outcome(s) not met."));

    RunOutcome timedOut;
    timedOut.status = RunOutcome::Status::Timeout;
    timedOut.message = QStringLiteral("Timed out");
    QVERIFY(judgeExpectations(expect, session, {}, timedOut).isEmpty());
    QCOMPARE(timedOut.status, RunOutcome::Status::Timeout);

    expect.workers.removeLast();
    RunOutcome met;
    QVERIFY(judgeExpectations(expect, session, {}, met).isEmpty());
    QCOMPARE(met.status, RunOutcome::Status::Passed);
}

// A page sends a batch again when its fetch failed, and a failed fetch may have reached Loom: the
// second copy (same id) is not applied again, and its counts are not added again.
void tst_Models::resentBatch_isTakenOnce()
{
    PageSession session(QStringLiteral("/nonexistent"));
    const auto batch = [](const char *id, int dropped) {
        const std::string body = std::string(R"({"id": ")") + id + R"(", "dropped": )" + std::to_string(dropped)
                                 + R"(, "events": [{"k": "stdout", "t": 5, "thread": "main:mpy", "text": "hello"}]})";
        auto parsed = parseEventBatch(body);
        return parsed ? *parsed : EventBatch{};
    };
    session.enqueue(batch("ab12.1", 7));
    session.enqueue(batch("ab12.1", 7)); // the same batch, sent again
    session.enqueue(batch("ab12.2", 0));
    session.drain();
    const BridgeCounters counters = session.counters();
    QCOMPARE(counters.received, 2u);
    QCOMPARE(counters.pageDropped, 7u);
    QCOMPARE(counters.resent, 1u);
    QCOMPARE(session.console().entries().size(), 2);
}

void tst_Models::isPythonError_tellsPythonFromJavaScript_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("python");
    QTest::newRow("traceback") << QStringLiteral(
        "Traceback (most recent call last):\n  File \"<exec>\", line 3\nValueError: boom")
                               << true;
    QTest::newRow("PythonError") << QStringLiteral("PythonError: Traceback (most recent call last):\nKeyError: 'x'")
                                 << true;
    QTest::newRow("uncaught PythonError") << QStringLiteral("Uncaught PythonError: ValueError: boom") << true;
    QTest::newRow("JavaScript TypeError")
        << QStringLiteral("Uncaught TypeError: workers.primes is not a function") << false;
    QTest::newRow("JavaScript naming Python")
        << QStringLiteral("Uncaught Error: Python worker failed to start") << false;
    QTest::newRow("DataCloneError") << QStringLiteral("Uncaught DataCloneError: Failed to execute 'postMessage'")
                                    << false;
}

// One test of "is this error Python's", for the run's outcome and the workers' states.
void tst_Models::isPythonError_tellsPythonFromJavaScript()
{
    QFETCH(QString, text);
    QFETCH(bool, python);
    QCOMPARE(isPythonError(text), python);
}

void tst_Models::isUncaughtPythonError_notATracebackTheProgramPrinted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("uncaught");
    // As PyScript reports an error nothing caught: one text (the browser console, a worker's stderr).
    QTest::newRow("worker's top-level raise") << QStringLiteral(
        "Traceback (most recent call last):\n  File \"<stdin>\", line 4, in <module>\nKeyError: limit\n")
                                              << true;
    QTest::newRow("PythonError") << QStringLiteral("PythonError: Traceback (most recent call last):\nKeyError: 'x'")
                                 << true;
    QTest::newRow("uncaught PythonError") << QStringLiteral("Uncaught PythonError: ValueError: boom") << true;
    // traceback.print_exc(), logging.exception: Pyodide writes stderr a line at a time.
    QTest::newRow("printed traceback's first line") << QStringLiteral("Traceback (most recent call last):") << false;
    QTest::newRow("... with its newline") << QStringLiteral("Traceback (most recent call last):\n") << false;
    QTest::newRow("printed exception line") << QStringLiteral("ValueError: boom") << false;
    QTest::newRow("JavaScript error") << QStringLiteral("Uncaught TypeError: x is not a function") << false;
}

void tst_Models::isUncaughtPythonError_notATracebackTheProgramPrinted()
{
    QFETCH(QString, text);
    QFETCH(bool, uncaught);
    QCOMPARE(isUncaughtPythonError(text), uncaught);
}

// The scan reads resources/python/pyscript_scripts.json, as loom_source.py does (its test,
// tests/python, reads the same page): the interpreters' own names run as types too, custom
// elements are matched by their whole name.
void tst_Models::scan_knowsEveryKindOfScriptPyScriptRuns()
{
    const auto scripts = scanPageScripts("<script type=\"pyodide\">a = 1</script>\n"
                                         "<script type=\"MicroPython\" worker name=\"w\">b = 2</script>\n"
                                         "<PY-SCRIPT>c = 3</PY-SCRIPT>\n"
                                         "<py-scripts>not python</py-scripts>\n"
                                         "<script type=\"text/python\">not pyscript</script>\n"
                                         "<mpy-script\tconfig=\"c.toml\">d = 4</mpy-script>\n");
    QStringList seen;
    for (const PageScript &script : scripts)
        seen.append(script.type + u':' + script.code);
    QCOMPARE(seen, (QStringList{QStringLiteral("py:a = 1"), QStringLiteral("mpy:b = 2"), QStringLiteral("py:c = 3"),
                                QStringLiteral("mpy:d = 4")}));
    QCOMPARE(scripts.at(3).config, QStringLiteral("c.toml"));
}

QTEST_GUILESS_MAIN(tst_Models)
#include "tst_models.moc"
