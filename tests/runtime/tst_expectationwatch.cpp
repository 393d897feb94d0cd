// The IDE's live verdict on a project's scenario: ExpectationWatch judges the expected outcome
// while the user plays the steps by hand, from the session's events and the browser's console.
#include "runtime/bridge/pagesession.h"
#include "runtime/run/expectations.h"

#include <QSignalSpy>
#include <QTest>

using namespace Loom::Runtime;

class tst_ExpectationWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsTheRunUntilEverythingIsMet();
    void nothingToExpect_saysTotalZero();
};

namespace {
void feed(PageSession &session, const char *json)
{
    auto batch = parseEventBatch(json);
    QVERIFY(batch);
    session.enqueue(std::move(*batch));
    session.drain(); // signals batchApplied, as the session's timer does
}
} // namespace

void tst_ExpectationWatch::followsTheRunUntilEverythingIsMet()
{
    Expectations expect;
    expect.workers = {{QStringLiteral("calc"), QStringLiteral("ready")}};
    ExpectedCall call;
    call.function = QStringLiteral("add");
    call.worker = QStringLiteral("calc");
    call.ok = true;
    call.contains = QStringLiteral("5");
    expect.calls = {call};
    ExpectedConsoleLine line;
    line.text = QStringLiteral("page says hi");
    line.thread = QStringLiteral("browser");
    expect.console = {line};

    ExpectationWatch watch;
    QSignalSpy changed(&watch, &ExpectationWatch::changed);
    watch.setExpectations(expect);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.last().at(0).value<qsizetype>(), 3);
    QCOMPARE(changed.last().at(1).toStringList(), QStringList{QStringLiteral("the page has not run yet.")});

    PageSession session(QStringLiteral("/nonexistent"));
    watch.setSession(&session);
    QCOMPARE(watch.unmet().size(), 3);

    feed(session, R"({"events": [
        {"k": "worker-created", "t": 1, "w": 1, "script": {"name": "calc", "type": "py"}},
        {"k": "worker-ready", "t": 2, "w": 1}]})");
    QTRY_COMPARE(watch.unmet().size(), 2); // judged after the batch, within its 250 ms
    QVERIFY2(watch.unmet().first().startsWith(u"no call"), qPrintable(watch.unmet().first()));

    feed(session, R"({"events": [
        {"k": "call-start", "t": 3, "w": 1, "id": 1, "fn": "add", "args": ["2", "3"]},
        {"k": "call-end", "t": 4, "w": 1, "id": 1, "fn": "add", "ok": true, "result": "5", "ms": 0.5}]})");
    QTRY_COMPARE(watch.unmet().size(), 1);

    ConsoleLine said;
    said.text = QStringLiteral("the page says hi");
    watch.addBrowserLine(said);
    QTRY_VERIFY2(watch.unmet().isEmpty(), qPrintable(watch.unmet().join(u'\n')));
    QCOMPARE(changed.last().at(1).toStringList(), QStringList());

    // A new run starts over: its own session, an empty browser console.
    PageSession next(QStringLiteral("/nonexistent"));
    watch.setSession(&next);
    QCOMPARE(watch.unmet().size(), 3);
}

void tst_ExpectationWatch::nothingToExpect_saysTotalZero()
{
    ExpectationWatch watch;
    QSignalSpy changed(&watch, &ExpectationWatch::changed);
    watch.setExpectations({});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.last().at(0).value<qsizetype>(), 0);
    QVERIFY(watch.unmet().isEmpty());
}

QTEST_GUILESS_MAIN(tst_ExpectationWatch)
#include "tst_expectationwatch.moc"
