// The debugger's plain parts: breakpoint specs as the command line gives them, and hits as an
// untrusted page sends them.
#include "runtime/debug/breakpoint.h"
#include "runtime/debug/debugcontroller.h"
#include "runtime/debug/debughit.h"

#include <QTest>

#include <atomic>
#include <future>

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

QTEST_GUILESS_MAIN(tst_Debug)
#include "tst_debug.moc"
