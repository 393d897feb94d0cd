// The page is untrusted: every malformed event is dropped and counted, never thrown.
#include "runtime/bridge/pageevent.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Loom::Runtime;

using namespace Qt::StringLiterals;

class tst_PageEvent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validEvents_areParsed();
    void burstCall_isReadAsStartAndEnd();
    void malformedBatch_isRefused_data();
    void malformedBatch_isRefused();
    void malformedEvent_isDroppedAndCounted_data();
    void malformedEvent_isDroppedAndCounted();
    void hugeText_isTruncated();
    void tooManyEvents_areCapped();
    void wireSchema_isWhatTheParserAccepts();
};

void tst_PageEvent::validEvents_areParsed()
{
    const auto batch = parseEventBatch(R"({"dropped": 3, "events": [
        {"k": "page", "t": 1, "isolated": true, "sab": true},
        {"k": "worker-created", "t": 2, "w": 1, "script": {"name": "primes", "type": "py", "src": "./w.py", "index": 4}},
        {"k": "call-start", "t": 3, "w": 1, "id": 7, "fn": "find_primes", "args": ["100", "false"]},
        {"k": "call-end", "t": 4, "w": 1, "id": 7, "fn": "find_primes", "ok": true, "result": "25", "ms": 1.5, "mainMs": 2.5},
        {"k": "stdout", "t": 5, "thread": "main:mpy", "text": "hello"},
        {"k": "resp", "t": 6, "lag": 12, "lt": 1, "ltMax": 80}]})");
    QVERIFY(batch);
    QCOMPARE(batch->rejected, 0);
    QCOMPARE(batch->droppedByPage, 3);
    QCOMPARE(batch->events.size(), 6);
    QCOMPARE(batch->events.at(1).script.name, QStringLiteral("primes"));
    QCOMPARE(batch->events.at(1).script.index, 4);
    QCOMPARE(batch->events.at(2).args, (QStringList{QStringLiteral("100"), QStringLiteral("false")}));
    QCOMPARE(batch->events.at(3).mainMs, 2.5);
    QCOMPARE(batch->events.at(4).thread, QStringLiteral("main:mpy"));
    QCOMPARE(batch->events.at(5).longestTask, 80);
}

void tst_PageEvent::burstCall_isReadAsStartAndEnd()
{
    // A call of a burst comes as one event (instrument.js): the session gets its start, then its
    // end, as for a call sent in two.
    const auto batch = parseEventBatch(R"({"events": [
        {"k": "call", "t": 10, "te": 10.25, "w": 2, "id": 7, "fn": "add", "args": ["6", "1"], "ok": true,
         "result": "7", "ms": 0.2},
        {"k": "call", "t": 11, "te": 12, "w": 2, "id": 8, "fn": "add", "args": ["x"], "ok": false,
         "error": "TypeError: bad", "ms": 1}]})");
    QVERIFY(batch);
    QCOMPARE(batch->rejected, 0);
    QCOMPARE(batch->events.size(), 4);
    const PageEvent &start = batch->events.at(0);
    const PageEvent &end = batch->events.at(1);
    QCOMPARE(start.kind, PageEvent::Kind::CallStart);
    QCOMPARE(start.t, 10.0);
    QCOMPARE(start.worker, 2);
    QCOMPARE(start.callId, 7);
    QCOMPARE(start.args, (QStringList{u"6"_s, u"1"_s}));
    QCOMPARE(end.kind, PageEvent::Kind::CallEnd);
    QCOMPARE(end.t, 10.25);
    QCOMPARE(end.callId, 7);
    QVERIFY(end.ok);
    QCOMPARE(end.text, u"7"_s);
    QCOMPARE(end.ms, 0.2);
    QCOMPARE(end.mainMs, -1.0); // a call of a burst has its worker time only
    QCOMPARE(batch->events.at(3).kind, PageEvent::Kind::CallEnd);
    QVERIFY(!batch->events.at(3).ok);
    QCOMPARE(batch->events.at(3).text, u"TypeError: bad"_s);
}

void tst_PageEvent::malformedBatch_isRefused_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("hello");
    QTest::newRow("truncated") << QByteArray(R"({"events": [{"k": "page")");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("string") << QByteArray("\"events\"");
    QTest::newRow("no events") << QByteArray("{}");
    QTest::newRow("events not list") << QByteArray(R"({"events": {}})");
    QTest::newRow("events null") << QByteArray(R"({"events": null})");
    QTest::newRow("invalid utf8") << QByteArray("{\"events\": [\"\xff\xfe\"]}");
    QTest::newRow("nesting bomb") << QByteArray(100000, '[');
}

void tst_PageEvent::malformedBatch_isRefused()
{
    QFETCH(QByteArray, body);
    QVERIFY(!parseEventBatch(body.toStdString()));
}

void tst_PageEvent::malformedEvent_isDroppedAndCounted_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::newRow("number") << QByteArray("42");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("list") << QByteArray("[1, 2]");
    QTest::newRow("no kind") << QByteArray(R"({"t": 1})");
    QTest::newRow("kind not string") << QByteArray(R"({"k": 5, "t": 1})");
    QTest::newRow("unknown kind") << QByteArray(R"({"k": "format-disk", "t": 1})");
    QTest::newRow("no time") << QByteArray(R"({"k": "page", "isolated": true, "sab": true})");
    QTest::newRow("time string") << QByteArray(R"({"k": "page", "t": "now", "isolated": true, "sab": true})");
    QTest::newRow("negative time") << QByteArray(R"({"k": "page", "t": -5, "isolated": true, "sab": true})");
    QTest::newRow("isolated not bool") << QByteArray(R"({"k": "page", "t": 1, "isolated": "yes", "sab": true})");
    QTest::newRow("worker event without worker") << QByteArray(R"({"k": "worker-ready", "t": 1})");
    QTest::newRow("worker id zero") << QByteArray(R"({"k": "worker-ready", "t": 1, "w": 0})");
    QTest::newRow("worker id negative") << QByteArray(R"({"k": "worker-ready", "t": 1, "w": -3})");
    QTest::newRow("worker id huge") << QByteArray(R"({"k": "worker-ready", "t": 1, "w": 1e12})");
    QTest::newRow("worker id fraction") << QByteArray(R"({"k": "worker-ready", "t": 1, "w": 1.5})");
    QTest::newRow("worker id string") << QByteArray(R"({"k": "worker-ready", "t": 1, "w": "1"})");
    QTest::newRow("script not object") << QByteArray(R"({"k": "worker-created", "t": 1, "w": 1, "script": "x"})");
    QTest::newRow("script name not string")
        << QByteArray(R"({"k": "worker-created", "t": 1, "w": 1, "script": {"name": 3}})");
    QTest::newRow("script index string") << QByteArray(
        R"({"k": "worker-created", "t": 1, "w": 1, "script": {"index": "2"}})");
    QTest::newRow("export without name") << QByteArray(R"({"k": "export", "t": 1, "w": 1})");
    QTest::newRow("call without id") << QByteArray(R"({"k": "call-start", "t": 1, "w": 1, "fn": "f"})");
    QTest::newRow("call id zero") << QByteArray(R"({"k": "call-start", "t": 1, "w": 1, "id": 0, "fn": "f"})");
    QTest::newRow("call without fn") << QByteArray(R"({"k": "call-start", "t": 1, "w": 1, "id": 1})");
    QTest::newRow("args not list") << QByteArray(
        R"({"k": "call-start", "t": 1, "w": 1, "id": 1, "fn": "f", "args": "1,2"})");
    QTest::newRow("arg not string") << QByteArray(
        R"({"k": "call-start", "t": 1, "w": 1, "id": 1, "fn": "f", "args": [1]})");
    QTest::newRow("end without ok") << QByteArray(
        R"({"k": "call-end", "t": 1, "w": 1, "id": 1, "fn": "f", "ok": "yes"})");
    QTest::newRow("end ms string") << QByteArray(
        R"({"k": "call-end", "t": 1, "w": 1, "id": 1, "fn": "f", "ok": true, "ms": "2"})");
    QTest::newRow("end result number") << QByteArray(
        R"({"k": "call-end", "t": 1, "w": 1, "id": 1, "fn": "f", "ok": true, "result": 5})");
    QTest::newRow("stdout without text") << QByteArray(R"({"k": "stdout", "t": 1, "w": 1})");
    QTest::newRow("stdout text not string") << QByteArray(R"({"k": "stdout", "t": 1, "w": 1, "text": ["a"]})");
    QTest::newRow("main stdout without thread") << QByteArray(R"({"k": "stdout", "t": 1, "text": "a"})");
    QTest::newRow("main stdout foreign thread")
        << QByteArray(R"({"k": "stdout", "t": 1, "thread": "kernel", "text": "a"})");
    QTest::newRow("resp without lag") << QByteArray(R"({"k": "resp", "t": 1})");
    QTest::newRow("resp negative lag") << QByteArray(R"({"k": "resp", "t": 1, "lag": -1})");
    QTest::newRow("resp lag string") << QByteArray(R"({"k": "resp", "t": 1, "lag": "slow"})");
    QTest::newRow("call ends before it starts")
        << QByteArray(R"({"k": "call", "t": 5, "te": 4, "w": 1, "id": 1, "fn": "f", "ok": true, "result": "1"})");
    QTest::newRow("call without end time")
        << QByteArray(R"({"k": "call", "t": 5, "w": 1, "id": 1, "fn": "f", "ok": true, "result": "1"})");
    QTest::newRow("call result number") << QByteArray(
        R"({"k": "call", "t": 5, "te": 6, "w": 1, "id": 1, "fn": "f", "ok": true, "result": 1})");
    QTest::newRow("failed text not string") << QByteArray(R"({"k": "worker-failed", "t": 1, "w": 1, "text": {}})");
}

void tst_PageEvent::malformedEvent_isDroppedAndCounted()
{
    QFETCH(QByteArray, event);
    const QByteArray body = R"({"events": [{"k": "page", "t": 1, "isolated": false, "sab": false}, )" + event
                            + R"(, {"k": "worker-ready", "t": 2, "w": 1}]})";
    const auto batch = parseEventBatch(body.toStdString());
    QVERIFY(batch);
    QCOMPARE(batch->rejected, 1);
    QCOMPARE(batch->events.size(), 2); // its neighbours survive
}

void tst_PageEvent::hugeText_isTruncated()
{
    const std::string text(EventLimits::MaxText * 4, 'x');
    const auto batch = parseEventBatch(R"({"events": [{"k": "stdout", "t": 1, "w": 1, "text": ")" + text + R"("}]})");
    QVERIFY(batch);
    QCOMPARE(batch->events.size(), 1);
    QVERIFY(batch->events.first().text.size() <= EventLimits::MaxText + 1);
}

void tst_PageEvent::tooManyEvents_areCapped()
{
    std::string body = R"({"events": [)";
    for (qsizetype i = 0; i < EventLimits::MaxEventsPerBatch + 10; ++i)
        body += std::string(i ? "," : "") + R"({"k": "resp", "t": 1, "lag": 1})";
    body += "]}";
    const auto batch = parseEventBatch(body);
    QVERIFY(batch);
    QCOMPARE(batch->events.size(), EventLimits::MaxEventsPerBatch);
    QCOMPARE(batch->rejected, 10);
}

void tst_PageEvent::wireSchema_isWhatTheParserAccepts()
{
    // resources/bridge/events.schema.json is the wire format's one definition: instrument.js's
    // events are validated against it in a real page (tests/browser/bridge_schema.mjs); here, the
    // parser knows exactly its kinds, accepts each of its examples, and refuses an example
    // without one of the fields the schema requires.
    QFile file(QStringLiteral(LOOM_SOURCE_DIR "/resources/bridge/events.schema.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject defs = QJsonDocument::fromJson(file.readAll()).object().value(u"$defs").toObject();
    const QJsonObject event = defs.value(u"event").toObject();
    QStringList kinds;
    for (const QJsonValue &kind : event.value(u"properties").toObject().value(u"k").toObject().value(u"enum").toArray())
        kinds.append(kind.toString());
    QCOMPARE(kinds, pageEventKindNames());

    const auto parse = [](const QJsonObject &one) {
        const QJsonObject batch{{u"events"_s, QJsonArray{one}}};
        return parseEventBatch(QJsonDocument(batch).toJson(QJsonDocument::Compact).toStdString());
    };
    int examples = 0;
    for (const QString &kind : std::as_const(kinds)) {
        const QJsonObject def = defs.value(kind).toObject();
        QVERIFY2(!def.isEmpty(), qPrintable(kind));
        QStringList required = {u"k"_s, u"t"_s};
        for (const QJsonValue &field : def.value(u"required").toArray())
            required.append(field.toString());
        for (const QJsonValue &value : def.value(u"examples").toArray()) {
            const QJsonObject example = value.toObject();
            QCOMPARE(example.value(u"k").toString(), kind);
            const auto batch = parse(example);
            QVERIFY(batch);
            const qsizetype read = kind == u"call" ? 2 : 1; // a call-start and a call-end
            QVERIFY2(batch->events.size() == read && batch->rejected == 0,
                     QJsonDocument(example).toJson(QJsonDocument::Compact).constData());
            for (const QString &field : std::as_const(required)) {
                QJsonObject without = example;
                without.remove(field);
                const auto refused = parse(without);
                QVERIFY(refused);
                QVERIFY2(refused->events.isEmpty() && refused->rejected == 1,
                         qPrintable(kind + u" accepted without "_s + field));
            }
            ++examples;
        }
    }
    QVERIFY(examples >= kinds.size());
}

QTEST_GUILESS_MAIN(tst_PageEvent)
#include "tst_pageevent.moc"
