// The debugger's plain parts: breakpoint specs as the command line gives them, and hits as an
// untrusted page sends them.
#include "runtime/debug/breakpoint.h"
#include "runtime/debug/debugcontroller.h"
#include "runtime/debug/debughit.h"

#include <QTest>

#include <atomic>
#include <future>
#include <vector>

using namespace Loom::Runtime;

class tst_Debug : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void breakpointSpec_data();
    void breakpointSpec();
    void debugHit_isParsedAndBounded();
    void debugHit_malformedIsRefused_data();
    void debugHit_malformedIsRefused();
    void controller_holdsAThreadUntilResumed();
    void controller_releaseAllLetsEveryThreadGo();
    void controller_evaluateKeepsTheThreadPaused();
    void controller_pausesAtMostMaxPaused();
    void debugHit_exceptionEvaluationAndVariables();
    void breakpointSetting_roundTrips();
    void hitCondition_isValidated_data();
    void hitCondition_isValidated();
    void placeBreakpoints_movesToCodeAndDropsWhatNeverStops();
};

void tst_Debug::breakpointSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("logPoint");
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("extra"); // the condition or the expression; "!" for an error
    QTest::newRow("plain") << QStringLiteral("worker.py:52") << false << QStringLiteral("worker.py") << 52 << QString();
    QTest::newRow("dot slash") << QStringLiteral("./lib/util.py:3") << false << QStringLiteral("lib/util.py") << 3
                               << QString();
    QTest::newRow("condition with colons") << QStringLiteral("w.py:7:d['a:b'] > 1") << false << QStringLiteral("w.py")
                                           << 7 << QStringLiteral("d['a:b'] > 1");
    QTest::newRow("log point") << QStringLiteral("w.py:9:len(x)") << true << QStringLiteral("w.py") << 9
                               << QStringLiteral("len(x)");
    QTest::newRow("log without expression")
        << QStringLiteral("w.py:9") << true << QString() << 0 << QStringLiteral("!");
    QTest::newRow("no line") << QStringLiteral("w.py") << false << QString() << 0 << QStringLiteral("!");
    QTest::newRow("line zero") << QStringLiteral("w.py:0") << false << QString() << 0 << QStringLiteral("!");
    QTest::newRow("outside") << QStringLiteral("../w.py:3") << false << QString() << 0 << QStringLiteral("!");
    QTest::newRow("absolute") << QStringLiteral("/etc/w.py:3") << false << QString() << 0 << QStringLiteral("!");
}

void tst_Debug::breakpointSpec()
{
    QFETCH(QString, spec);
    QFETCH(bool, logPoint);
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QString, extra);
    const auto point = parseBreakpointSpec(spec, logPoint);
    if (extra == u"!") {
        QVERIFY(!point);
        QVERIFY2(point.error().contains(logPoint ? u"--log" : u"--break"), qPrintable(point.error()));
        return;
    }
    QVERIFY2(point, qPrintable(point ? QString() : point.error()));
    QCOMPARE(point->file, file);
    QCOMPARE(point->line, line);
    QCOMPARE(logPoint ? point->log : point->condition, extra);
}

void tst_Debug::debugHit_isParsedAndBounded()
{
    std::string stack;
    for (int i = 0; i < 500; ++i)
        stack += std::string(i ? "," : "") + R"({"file": "w.py", "line": )" + std::to_string(i + 1)
                 + R"(, "function": "f"})";
    const std::string body = R"({"thread": "worker:w", "file": "w.py", "line": 7, "function": "f", "stack": [)" + stack
                             + R"(], "locals": {"z": "1", "a": ")" + std::string(10000, 'x')
                             + R"(", "n": 3}, "log": "z", "value": "1"})";
    const auto hit = parseDebugHit(body);
    QVERIFY2(hit, qPrintable(hit ? QString() : hit.error()));
    QCOMPARE(hit->thread, QStringLiteral("worker:w"));
    QCOMPARE(hit->line, 7);
    QCOMPARE(hit->stack.size(), 64);                          // bounded
    QCOMPARE(hit->locals.size(), 2);                          // a non-string value is not a repr
    QCOMPARE(hit->locals.first().first, QStringLiteral("z")); // in the frame's order
    QCOMPARE(hit->locals.at(1).second.size(), 4096);
    QCOMPARE(hit->value, QStringLiteral("1"));
}

void tst_Debug::debugHit_malformedIsRefused_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("not JSON") << QByteArray("{");
    QTest::newRow("not an object") << QByteArray("[1]");
    QTest::newRow("no thread") << QByteArray(R"({"file": "w.py", "line": 3})");
    QTest::newRow("no line") << QByteArray(R"({"thread": "main:py", "file": "w.py"})");
    QTest::newRow("negative line") << QByteArray(R"({"thread": "main:py", "file": "w.py", "line": -3})");
}

void tst_Debug::debugHit_malformedIsRefused()
{
    QFETCH(QByteArray, body);
    QVERIFY(!parseDebugHit(body.toStdString()));
}

namespace {
DebugHit hitAt(int line)
{
    DebugHit hit;
    hit.thread = QStringLiteral("worker:w");
    hit.file = QStringLiteral("w.py");
    hit.line = line;
    return hit;
}
} // namespace

// A paused thread's request waits on a server thread until the user resumes that thread.
void tst_Debug::controller_holdsAThreadUntilResumed()
{
    std::atomic<int> changes = 0;
    DebugController controller([&changes] { ++changes; });
    auto first = std::async(std::launch::async, [&controller] { return controller.pause(hitAt(3)); });
    auto second = std::async(std::launch::async, [&controller] { return controller.pause(hitAt(7)); });
    QTRY_COMPARE(controller.paused().size(), 2);
    QCOMPARE(first.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
    const QList<DebugController::Paused> paused = controller.paused();
    const quint64 at7 = paused.at(0).hit.line == 7 ? paused.at(0).id : paused.at(1).id;
    controller.resume(at7);
    QCOMPARE(second.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    QCOMPARE(second.get(), std::string(R"({"action": "continue"})"));
    QCOMPARE(controller.paused().size(), 1);
    QCOMPARE(controller.paused().first().hit.line, 3);
    QCOMPARE(first.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
    controller.resume(controller.paused().first().id, DebugController::Resume::StepOver);
    QCOMPARE(first.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    QCOMPARE(first.get(), std::string(R"({"action": "step", "step": "over"})")); // what the thread does next
    QVERIFY(controller.paused().isEmpty());
    QVERIFY(changes >= 4); // each pause and each resume is announced
}

// Stop, or a new run: every paused thread goes on; a later hit pauses again.
void tst_Debug::controller_releaseAllLetsEveryThreadGo()
{
    DebugController controller;
    auto a = std::async(std::launch::async, [&controller] { return controller.pause(hitAt(1)); });
    auto b = std::async(std::launch::async, [&controller] { return controller.pause(hitAt(2)); });
    QTRY_COMPARE(controller.paused().size(), 2);
    controller.releaseAll();
    QCOMPARE(a.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    QCOMPARE(b.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    auto later = std::async(std::launch::async, [&controller] { return controller.pause(hitAt(3)); });
    QTRY_COMPARE(controller.paused().size(), 1);
    QCOMPARE(later.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
    controller.releaseAll();
    QCOMPARE(later.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

// Evaluating answers the paused thread with the expression (escaped as JSON) and the frame; the
// thread then comes back as a new pause, which a second evaluate or a resume answers.
void tst_Debug::controller_evaluateKeepsTheThreadPaused()
{
    DebugController controller;
    auto paused = std::async(std::launch::async, [&controller] { return controller.pause(hitAt(4)); });
    QTRY_COMPARE(controller.paused().size(), 1);
    const quint64 id = controller.paused().first().id;
    controller.evaluate(id, 1, QStringLiteral("d[\"k\"] + 1"));
    QCOMPARE(paused.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    const std::string answer = paused.get();
    const std::string expected = "{\"action\":\"evaluate\",\"expression\":\"d[\\\"k\\\"] + 1\",\"frame\":1}";
    QCOMPARE(answer, expected);
    controller.evaluate(id, 0, QStringLiteral("x")); // answered already: nothing happens
    QVERIFY(controller.paused().isEmpty());
}

// A page that sends hit after hit cannot hold every server thread: past MaxPaused, a hit is
// answered at once.
void tst_Debug::controller_pausesAtMostMaxPaused()
{
    DebugController controller;
    std::vector<std::future<std::string>> held;
    for (qsizetype i = 0; i < DebugController::MaxPaused; ++i)
        held.push_back(
            std::async(std::launch::async, [&controller, i] { return controller.pause(hitAt(int(i) + 1)); }));
    QTRY_COMPARE(controller.paused().size(), DebugController::MaxPaused);
    auto extra = std::async(std::launch::async, [&controller] { return controller.pause(hitAt(999)); });
    QCOMPARE(extra.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    QCOMPARE(extra.get(), std::string(R"({"action": "continue"})"));
    QCOMPARE(controller.paused().size(), DebugController::MaxPaused);
    controller.releaseAll();
    for (auto &thread : held)
        QCOMPARE(thread.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

void tst_Debug::debugHit_exceptionEvaluationAndVariables()
{
    const auto hit = parseDebugHit(
        R"({"thread": "worker:stats", "file": "stats.py", "line": 13, "function": "mean",
            "stack": [{"file": "stats.py", "line": 13, "function": "mean"},
                      {"file": "stats.py", "line": 20, "function": "run", "locals": {"data": "[]"}, "folded": 3}],
            "foldedOuter": 7,
            "locals": {"values": "[1, 2]", "count": "0"}, "parts": {"values": [["[0]", "1"], ["[1]", "2"], [3, "x"]]},
            "globals": {"SCALE": "10"}, "exception": "ZeroDivisionError: division by zero",
            "exceptionKind": "uncaught", "evaluated": {"expression": "count", "value": "0", "frame": 1}})");
    QVERIFY2(hit, qPrintable(hit ? QString() : hit.error()));
    QCOMPARE(hit->exception, QStringLiteral("ZeroDivisionError: division by zero"));
    QCOMPARE(hit->exceptionKind, QStringLiteral("uncaught"));
    QCOMPARE(hit->stack.at(1).locals, (DebugHit::Variables{{QStringLiteral("data"), QStringLiteral("[]")}}));
    QCOMPARE(hit->stack.at(1).folded, 3); // runtime frames between the two, folded in the dock
    QCOMPARE(hit->foldedOuter, 7);
    QCOMPARE(hit->parts.value(QStringLiteral("values")).size(), 2); // a part whose name is not a string is left out
    QCOMPARE(hit->globals.first().second, QStringLiteral("10"));
    QVERIFY(hit->evaluated);
    QCOMPARE(hit->evaluated->expression, QStringLiteral("count"));
    QCOMPARE(hit->evaluated->value, QStringLiteral("0"));
    QCOMPARE(hit->evaluated->frame, 1);
    // A word from the tracer names no place.
    const auto notice = parseDebugHit(R"({"thread": "main:mpy", "notice": "no exceptions here"})");
    QVERIFY(notice);
    QCOMPARE(notice->notice, QStringLiteral("no exceptions here"));
}

// The IDE keeps a project's breakpoints with their conditions; the older "file:line" still reads.
void tst_Debug::breakpointSetting_roundTrips()
{
    const Breakpoint point{QStringLiteral("lib/w.py"), 12, QStringLiteral("n > 'a:b'"), QStringLiteral(">=3"),
                           QStringLiteral("len(items)")};
    const auto back = breakpointFromSetting(breakpointToSetting(point));
    QVERIFY(back);
    QCOMPARE(*back, point);
    const auto old = breakpointFromSetting(QStringLiteral("worker.py:52"));
    QVERIFY(old);
    QCOMPARE(*old, (Breakpoint{QStringLiteral("worker.py"), 52}));
    QVERIFY(!breakpointFromSetting(QStringLiteral(R"({"file": "../x.py", "line": 3})")));
}

void tst_Debug::hitCondition_isValidated_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<bool>("valid");
    for (const char *valid : {"", "5", " 12 ", "==5", ">5", ">=5", "% 3"})
        QTest::newRow(valid) << QString::fromLatin1(valid) << true;
    for (const char *invalid : {"0", "-1", "<5", "five", "5 times", ">=", "%0"})
        QTest::newRow(invalid) << QString::fromLatin1(invalid) << false;
}

void tst_Debug::hitCondition_isValidated()
{
    QFETCH(QString, condition);
    QFETCH(bool, valid);
    QCOMPARE(isValidHitCondition(condition), valid);
}

void tst_Debug::placeBreakpoints_movesToCodeAndDropsWhatNeverStops()
{
    const QHash<QString, QList<int>> stoppable = parseStoppableLines(R"({"w.py": [1, 3, 5], "index.html": [12]})");
    QCOMPARE(stoppable.value(QStringLiteral("w.py")), (QList<int>{1, 3, 5}));
    const QList<Breakpoint> breakpoints{{QStringLiteral("w.py"), 2, QStringLiteral("n > 1")}, // a comment
                                        {QStringLiteral("w.py"), 3},                          // already there
                                        {QStringLiteral("w.py"), 9},                          // after the last
                                        {QStringLiteral("other.py"), 4},                      // not known
                                        {QStringLiteral("index.html"), 12}};
    const PlacedBreakpoints placed = placeBreakpoints(breakpoints, stoppable);
    // Line 2 moves to 3 (with its condition); line 3's own breakpoint is the same place: one kept.
    QCOMPARE(placed.breakpoints, (QList<Breakpoint>{{QStringLiteral("w.py"), 3, QStringLiteral("n > 1")},
                                                    {QStringLiteral("other.py"), 4},
                                                    {QStringLiteral("index.html"), 12}}));
    QCOMPARE(placed.changes,
             (QStringList{QStringLiteral("The breakpoint at w.py:2 moved to line 3: no code on line 2."),
                          QStringLiteral("The breakpoint at w.py:9 can never stop: no code follows it.")}));
}

QTEST_GUILESS_MAIN(tst_Debug)
#include "tst_debug.moc"
