// The page is untrusted: every malformed event is dropped and counted, never thrown.
#include "runtime/bridge/pageevent.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QVariant>
#include <QtNumeric>

#include <cstring>

using namespace Loom::Runtime;

using namespace Qt::StringLiterals;

class tst_PageEvent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validEvents_areParsed();
    void burstCall_isReadAsStartAndEnd();
    void lastBatch_isMarkedOnlyByTrue();
    void malformedBatch_isRefused_data();
    void malformedBatch_isRefused();
    void malformedEvent_isDroppedAndCounted_data();
    void malformedEvent_isDroppedAndCounted();
    void hugeText_isTruncated();
    void tooManyEvents_areCapped();
    void wireSchema_isWhatTheParserAccepts();
    void records_areReadAsTheirEvents();
    void numberCalls_areReadAsTheirStartAndEnd();
    void recordNumbers_readAsJavaScriptPrintsThem_data();
    void recordNumbers_readAsJavaScriptPrintsThem();
    void malformedRecords_areRejected_data();
    void malformedRecords_areRejected();
    void numberCalls_nameOnlyTheExportsTheBatchNames();
    void recordsOutOfStep_refuseTheBatch_data();
    void recordsOutOfStep_refuseTheBatch();
    void recordsOfAnUnknownWorker_areRejected();
    void records_countTowardTheBatchLimit();
    void numberCalls_countTwoTowardTheBatchLimit();
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

void tst_PageEvent::lastBatch_isMarkedOnlyByTrue()
{
    // The run's last batch (instrument.js, "the run's end") ends a headless run's wait: only a
    // JSON true marks it.
    const auto last = parseEventBatch(R"({"id": "a.9", "events": [], "last": true})");
    QVERIFY(last);
    QVERIFY(last->last);
    QCOMPARE(last->id, QStringLiteral("a.9"));
    for (const char *json : {R"({"events": []})", R"({"events": [], "last": false})", R"({"events": [], "last": 1})",
                             R"({"events": [], "last": "true"})"}) {
        const auto batch = parseEventBatch(json);
        QVERIFY(batch);
        QVERIFY2(!batch->last, json);
    }
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
        if (kind == u"records") // stands for bytes after the JSON: see the records tests below
            continue;
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
    QVERIFY(examples >= kinds.size() - 1);
}

namespace {
// The exports withRecords names ("fns"): a call of numbers names its function by its index here.
const QStringList Exports{u"f"_s, u"add"_s, u"añadir_número"_s, u"fail"_s};

// A worker's records as instrument.js writes them into its log (8-byte slots; see decodeLog).
class Records
{
public:
    Records &callStart(double id, double at, const QString &fn, const QList<QVariant> &args)
    {
        const qsizetype start = begin(1);
        slot(id);
        slot(at);
        text(fn);
        slot(double(args.size()));
        for (const QVariant &arg : args)
            value(arg);
        return end(start);
    }
    Records &callEnd(double id, double at, double ms, bool ok, const QString &fn, const QVariant &result)
    {
        const qsizetype start = begin(2);
        slot(id);
        slot(at);
        slot(ms);
        slot(ok ? 1 : 0);
        text(fn);
        value(result);
        return end(start);
    }
    // A call whose arguments are all numbers, of one of Exports, with its end when it returned a
    // number ({end's time, the number}).
    Records &numberCall(qint32 id, double at, const QString &fn, const QList<double> &args,
                        const QList<double> &ended = {})
    {
        const qsizetype start = begin(4);
        packed(id, quint16(args.size()), quint16(Exports.indexOf(fn)));
        slot(at);
        raw(args);
        raw(ended);
        return end(start);
    }
    Records &event(const QByteArray &json)
    {
        const qsizetype start = begin(3);
        text(QString::fromUtf8(json));
        return end(start);
    }
    Records &raw(const QList<double> &slots)
    {
        for (double value : slots)
            slot(value);
        return *this;
    }
    std::string bytes() const { return m_bytes.toStdString(); }
    qsizetype size() const { return m_bytes.size(); }

    void slot(double value) { m_bytes.append(reinterpret_cast<const char *>(&value), 8); }
    // A slot of two 32-bit integers: a record's kind and size, or a call of numbers' id, and its
    // count of arguments and export's index (16 bits each).
    void halves(qint32 first, quint32 second)
    {
        m_bytes.append(reinterpret_cast<const char *>(&first), 4);
        m_bytes.append(reinterpret_cast<const char *>(&second), 4);
    }
    void packed(qint32 id, quint16 count, quint16 index) { halves(id, count | quint32(index) << 16); }
    // Slots written as words: "h4,5" a record's kind and size, "p2,1,3" a call of numbers' id,
    // count and index, "nan", or a number.
    Records &raw(const QString &words)
    {
        for (const QString &word : words.split(u' ', Qt::SkipEmptyParts)) {
            const QList<qint64> parts = [&word] {
                QList<qint64> numbers;
                for (const QString &part : word.mid(1).split(u','))
                    numbers.append(part.toLongLong());
                return numbers;
            }();
            if (word.startsWith(u'h'))
                halves(qint32(parts[0]), quint32(parts[1]));
            else if (word.startsWith(u'p'))
                packed(qint32(parts[0]), quint16(parts[1]), quint16(parts[2]));
            else
                slot(word == u"nan"_s ? qQNaN() : word.toDouble());
        }
        return *this;
    }
    void text(const QString &text)
    {
        slot(1);
        slot(double(text.size()));
        characters(text);
    }
    void characters(const QString &text)
    {
        QByteArray chars(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
        chars.append(QByteArray((8 - chars.size() % 8) % 8, '\0'));
        m_bytes.append(chars);
    }
    void value(const QVariant &value)
    {
        if (value.typeId() == QMetaType::Double) {
            slot(0);
            slot(value.toDouble());
        } else {
            text(value.toString());
        }
    }

private:
    qsizetype begin(qint32 kind)
    {
        const qsizetype start = m_bytes.size();
        halves(kind, 0); // its size, once known
        return start;
    }
    Records &end(qsizetype start)
    {
        const qint32 size = qint32((m_bytes.size() - start) / 8);
        std::memcpy(m_bytes.data() + start + 4, &size, 4);
        return *this;
    }
    QByteArray m_bytes;
};

// A batch of JSON events around one run of records of worker 3, whose clock starts at 1000 and
// whose exports are `fns`.
Result<EventBatch> withRecords(const Records &records, const std::string &placeholder = {},
                               const std::string &fns = R"(["f", "add", "añadir_número", "fail"])")
{
    const std::string head = R"({"events": [{"k": "resp", "t": 1, "lag": 1}, )"
                             + (placeholder.empty() ? R"({"k": "records", "t": 2, "w": 3, "o": 1000, "b": )"
                                                          + std::to_string(records.size()) + R"(, "fns": )" + fns + "}"
                                                    : placeholder)
                             + R"(, {"k": "worker-ready", "t": 3, "w": 3}]})";
    return parseRecordBatch(head + "\n" + records.bytes());
}
} // namespace

void tst_PageEvent::records_areReadAsTheirEvents()
{
    Records records;
    records.callStart(1, 10.5, u"add"_s, {QVariant(3.0), QVariant(u"\"x\""_s)})
        .callEnd(1, 11.25, 0.75, true, u"add"_s, QVariant(4.0))
        .event(R"({"k": "stdout", "t": 1011.5, "text": "héllo"})")
        .callStart(2, 12, u"add"_s, {})
        .callEnd(2, 13, 1, false, u"add"_s, QVariant(u"ValueError: bad"_s));
    const auto batch = withRecords(records);
    QVERIFY2(batch, qPrintable(batch ? QString() : batch.error()));
    QCOMPARE(batch->rejected, 0);
    QCOMPARE(batch->events.size(), 7); // the JSON events around the five records, in order
    QCOMPARE(batch->events[0].kind, PageEvent::Kind::Responsiveness);
    const PageEvent &start = batch->events[1];
    QCOMPARE(start.kind, PageEvent::Kind::CallStart);
    QCOMPARE(start.worker, 3);
    QCOMPARE(start.callId, 1);
    QCOMPARE(start.t, 1010.5); // the worker's clock: its origin and its performance.now()
    QCOMPARE(start.name, u"add"_s);
    QCOMPARE(start.args, QStringList({u"3"_s, u"\"x\""_s}));
    const PageEvent &end = batch->events[2];
    QCOMPARE(end.kind, PageEvent::Kind::CallEnd);
    QCOMPARE(end.callId, 1);
    QCOMPARE(end.t, 1011.25);
    QCOMPARE(end.ms, 0.75);
    QVERIFY(end.ok);
    QCOMPARE(end.text, u"4"_s);
    QCOMPARE(end.mainMs, -1.0); // a call of a burst: its worker time only
    QCOMPARE(batch->events[3].kind, PageEvent::Kind::Stdout);
    QCOMPARE(batch->events[3].worker, 3);
    QCOMPARE(batch->events[3].text, u"héllo"_s);
    QCOMPARE(batch->events[4].args, QStringList());
    QVERIFY(!batch->events[5].ok);
    QCOMPARE(batch->events[5].text, u"ValueError: bad"_s);
    QCOMPARE(batch->events[6].kind, PageEvent::Kind::WorkerReady);
}

void tst_PageEvent::numberCalls_areReadAsTheirStartAndEnd()
{
    Records records;
    records
        .numberCall(1, 10.5, u"add"_s, {3, 0.5}, {11.25, 3.5}) // returned
        .numberCall(2, 12, u"añadir_número"_s, {})                   // still running
        .numberCall(3, 13, u"fail"_s, {1})                           // ended otherwise: its own end
        .callEnd(3, 14, 1, false, u"fail"_s, QVariant(u"ValueError: bad"_s));
    const auto batch = withRecords(records);
    QVERIFY2(batch, qPrintable(batch ? QString() : batch.error()));
    QCOMPARE(batch->rejected, 0);
    QCOMPARE(batch->events.size(), 7); // the JSON events around a start and end, two starts, an end
    const PageEvent &start = batch->events[1];
    QCOMPARE(start.kind, PageEvent::Kind::CallStart);
    QCOMPARE(start.worker, 3);
    QCOMPARE(start.callId, 1);
    QCOMPARE(start.t, 1010.5);
    QCOMPARE(start.name, u"add"_s);
    QCOMPARE(start.args, QStringList({u"3"_s, u"0.5"_s}));
    const PageEvent &end = batch->events[2];
    QCOMPARE(end.kind, PageEvent::Kind::CallEnd);
    QCOMPARE(end.worker, 3);
    QCOMPARE(end.callId, 1);
    QCOMPARE(end.t, 1011.25);
    QCOMPARE(end.ms, 0.75); // its end's time less its start's
    QVERIFY(end.ok);
    QCOMPARE(end.name, u"add"_s);
    QCOMPARE(end.text, u"3.5"_s);
    QCOMPARE(end.mainMs, -1.0);
    QCOMPARE(batch->events[3].kind, PageEvent::Kind::CallStart);
    QCOMPARE(batch->events[3].name, u"añadir_número"_s); // named by its index in the batch's "fns"
    QCOMPARE(batch->events[3].args, QStringList());
    QCOMPARE(batch->events[4].kind, PageEvent::Kind::CallStart);
    QCOMPARE(batch->events[4].args, QStringList{u"1"_s});
    QCOMPARE(batch->events[5].kind, PageEvent::Kind::CallEnd);
    QVERIFY(!batch->events[5].ok);
    QCOMPARE(batch->events[5].text, u"ValueError: bad"_s);
}

void tst_PageEvent::recordNumbers_readAsJavaScriptPrintsThem_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text"); // String(value) in JavaScript
    QTest::newRow("zero") << 0.0 << u"0"_s;
    QTest::newRow("minus zero") << -0.0 << u"0"_s;
    QTest::newRow("integer") << 45150.0 << u"45150"_s;
    QTest::newRow("negative") << -1.5 << u"-1.5"_s;
    QTest::newRow("tenth") << 0.1 << u"0.1"_s;
    QTest::newRow("sum") << 0.1 + 0.2 << u"0.30000000000000004"_s;
    QTest::newRow("2^53") << 9007199254740992.0 << u"9007199254740992"_s;
    QTest::newRow("1e20") << 1e20 << u"100000000000000000000"_s;
    QTest::newRow("21 digits") << 123456789012345680000.0 << u"123456789012345680000"_s;
    QTest::newRow("1e21") << 1e21 << u"1e+21"_s;
    QTest::newRow("1.5e300") << 1.5e300 << u"1.5e+300"_s;
    QTest::newRow("largest") << 1.7976931348623157e308 << u"1.7976931348623157e+308"_s;
    QTest::newRow("1e-6") << 1e-6 << u"0.000001"_s;
    QTest::newRow("1.5e-6") << 1.5e-6 << u"0.0000015"_s;
    QTest::newRow("1e-7") << 1e-7 << u"1e-7"_s;
    QTest::newRow("-2.5e-8") << -2.5e-8 << u"-2.5e-8"_s;
    QTest::newRow("smallest") << 5e-324 << u"5e-324"_s;
    QTest::newRow("epoch ms") << 1796228806263.092 << u"1796228806263.092"_s;
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << u"NaN"_s;
    QTest::newRow("infinity") << std::numeric_limits<double>::infinity() << u"Infinity"_s;
    QTest::newRow("-infinity") << -std::numeric_limits<double>::infinity() << u"-Infinity"_s;
}

void tst_PageEvent::recordNumbers_readAsJavaScriptPrintsThem()
{
    QFETCH(double, value);
    QFETCH(QString, text);
    QCOMPARE(javaScriptNumberText(value), text);
    Records records;
    records.callStart(1, 1, u"f"_s, {QVariant(value)}).numberCall(2, 1, u"f"_s, {value}, {2, value});
    const auto batch = withRecords(records);
    QVERIFY(batch);
    QCOMPARE(batch->rejected, 0);
    QCOMPARE(batch->events[1].args, QStringList{text});
    QCOMPARE(batch->events[2].args, QStringList{text}); // a call of numbers: its argument
    QCOMPARE(batch->events[3].text, text);              // and its result
}

void tst_PageEvent::malformedRecords_areRejected_data()
{
    QTest::addColumn<QString>("slots"); // after one good call start (Records::raw's words)
    QTest::addColumn<int>("rejected");
    QTest::addColumn<int>("read"); // events of the records
    QTest::newRow("size 0: the rest unread") << u"h1,0 2 3"_s << 1 << 1;
    QTest::newRow("size past the end") << u"h1,9 2 3"_s << 1 << 1;
    QTest::newRow("size negative") << u"h1,-1 2 3"_s << 1 << 1;
    QTest::newRow("unknown kind") << u"h9,1"_s << 1 << 1;
    QTest::newRow("call id 0") << u"h1,8 0 1 1 1 102 0 0"_s << 1 << 1;
    QTest::newRow("call id not whole") << u"h1,8 1.5 1 1 1 102 0 0"_s << 1 << 1;
    QTest::newRow("time NaN") << u"h1,8 2 nan 1 1 102 0 0"_s << 1 << 1;
    QTest::newRow("no name") << u"h1,6 2 1 1 0 0"_s << 1 << 1;
    QTest::newRow("name longer than its record") << u"h1,6 2 1 1 99 102"_s << 1 << 1;
    QTest::newRow("value tag 2") << u"h1,6 2 1 2 1 102"_s << 1 << 1;
    QTest::newRow("more arguments than it holds") << u"h1,8 2 1 1 1 102 5 0"_s << 1 << 1;
    QTest::newRow("end ok 2") << u"h2,10 2 1 1 2 1 1 102 0 1"_s << 1 << 1;
    QTest::newRow("end without value") << u"h2,8 2 1 1 1 1 1 102"_s << 1 << 1;
    QTest::newRow("event not JSON") << u"h3,4 1 1 123"_s << 1 << 1;
    // A call of numbers: its id, count of arguments and export's index, its time, the arguments,
    // and maybe its end's time and result.
    QTest::newRow("number call, export not in fns") << u"h4,3 p2,0,4 1"_s << 1 << 1;
    QTest::newRow("number call, more arguments than it holds") << u"h4,4 p2,2,1 1 5"_s << 1 << 1;
    QTest::newRow("number call, fewer arguments than it holds") << u"h4,5 p2,1,1 1 5 6"_s << 1 << 1;
    QTest::newRow("number call, id 0") << u"h4,3 p0,0,1 1"_s << 1 << 1;
    QTest::newRow("number call, id negative") << u"h4,3 p-5,0,1 1"_s << 1 << 1;
    QTest::newRow("number call, time NaN") << u"h4,3 p2,0,1 nan"_s << 1 << 1;
    QTest::newRow("number call, end cut short") << u"h4,4 p2,0,1 1 2"_s << 1 << 1;
    QTest::newRow("number call, more than its end") << u"h4,6 p2,0,1 1 2 3 4"_s << 1 << 1;
    QTest::newRow("number call, ends before it starts") << u"h4,5 p2,0,1 5 4 3"_s << 1 << 1;
    QTest::newRow("number call, end NaN") << u"h4,5 p2,0,1 1 nan 3"_s << 1 << 1;
    QTest::newRow("number call, good") << u"h4,6 p2,1,1 1 7 2 8"_s << 0 << 3;
    // A good record after a bad one whose size is right is still read.
    QTest::newRow("then a good one") << u"h9,1 h1,8 3 1 1 1 102 0 0"_s << 1 << 2;
}

void tst_PageEvent::malformedRecords_areRejected()
{
    QFETCH(QString, slots);
    QFETCH(int, rejected);
    QFETCH(int, read);
    Records records;
    records.callStart(1, 1, u"f"_s, {});
    records.raw(slots);
    const auto batch = withRecords(records);
    QVERIFY(batch);
    QCOMPARE(batch->rejected, rejected);
    QCOMPARE(batch->events.size(), 2 + read); // and the JSON events around them
}

// A call of numbers names its function by its index in the batch's "fns", which must be a name of
// up to 128 characters: a record naming anything else is rejected, and the rest still read.
void tst_PageEvent::numberCalls_nameOnlyTheExportsTheBatchNames()
{
    Records records;
    for (qint32 index = 0; index < 5; ++index)
        records.raw(u"h4,3 p%1,0,%2 1"_s.arg(index + 1).arg(index));
    const std::string fns = R"([null, "add", 5, ")" + std::string(129, 'x') + R"(", ")" + std::string(128, 'y') + R"("])";
    const auto batch = withRecords(records, {}, fns);
    QVERIFY(batch);
    QCOMPARE(batch->rejected, 3);
    QCOMPARE(batch->events.size(), 4);
    QCOMPARE(batch->events[1].name, u"add"_s);
    QCOMPARE(batch->events[1].callId, 2);
    QCOMPARE(batch->events[2].name, QString(128, u'y'));
    QCOMPARE(batch->events[2].callId, 5);
    const auto none = withRecords(records, {}, "{}"); // no list: no call of numbers has a name
    QVERIFY(none);
    QCOMPARE(none->rejected, 5);
}

void tst_PageEvent::recordsOutOfStep_refuseTheBatch_data()
{
    QTest::addColumn<QByteArray>("placeholder"); // for records of 56 bytes
    QTest::newRow("fewer bytes than said") << QByteArray(R"({"k": "records", "t": 2, "w": 3, "o": 0, "b": 128})");
    QTest::newRow("more bytes than said") << QByteArray(R"({"k": "records", "t": 2, "w": 3, "o": 0, "b": 48})");
    QTest::newRow("bytes not whole slots") << QByteArray(R"({"k": "records", "t": 2, "w": 3, "o": 0, "b": 12})");
    QTest::newRow("bytes negative") << QByteArray(R"({"k": "records", "t": 2, "w": 3, "o": 0, "b": -8})");
    QTest::newRow("bytes missing") << QByteArray(R"({"k": "records", "t": 2, "w": 3, "o": 0})");
}

void tst_PageEvent::recordsOutOfStep_refuseTheBatch()
{
    QFETCH(QByteArray, placeholder);
    Records records;
    records.callStart(1, 1, u"f"_s, {});
    QCOMPARE(records.size(), 56);
    QVERIFY(!withRecords(records, placeholder.toStdString()));
    QVERIFY(!parseRecordBatch(R"({"events": []})")); // no newline: no records
}

void tst_PageEvent::recordsOfAnUnknownWorker_areRejected()
{
    Records records;
    records.callStart(1, 1, u"f"_s, {}).callEnd(1, 2, 1, true, u"f"_s, QVariant(1.0));
    const auto batch = withRecords(records, R"({"k": "records", "t": 2, "w": 0, "o": 0, "b": )"
                                                + std::to_string(records.size()) + "}");
    QVERIFY(batch);
    QCOMPARE(batch->rejected, 2);
    QCOMPARE(batch->events.size(), 2);
}

void tst_PageEvent::records_countTowardTheBatchLimit()
{
    Records records;
    for (int i = 1; i <= EventLimits::MaxEventsPerBatch + 5; ++i)
        records.callStart(i, i, u"f"_s, {});
    const auto batch = withRecords(records);
    QVERIFY(batch);
    QCOMPARE(batch->events.size(), EventLimits::MaxEventsPerBatch);
    // The JSON event before them counts one: 4,999 records are read, six are not, nor the JSON
    // event after them.
    QCOMPARE(batch->rejected, 6 + 1);
}

void tst_PageEvent::numberCalls_countTwoTowardTheBatchLimit()
{
    Records records;
    for (int i = 1; i <= EventLimits::MaxEventsPerBatch / 2 + 5; ++i)
        records.numberCall(i, i, u"f"_s, {1}, {i + 0.5, 2});
    const auto batch = withRecords(records);
    QVERIFY(batch);
    // The JSON event before them and 2,499 calls leave room for one event: the next call, two
    // events, is not read, nor the five after it; the JSON event after them is.
    QCOMPARE(batch->events.size(), EventLimits::MaxEventsPerBatch);
    QCOMPARE(batch->rejected, 6);
    QCOMPARE(batch->events[batch->events.size() - 2].kind, PageEvent::Kind::CallEnd);
    QCOMPARE(batch->events[batch->events.size() - 2].callId, EventLimits::MaxEventsPerBatch / 2 - 1);
    QCOMPARE(batch->events.last().kind, PageEvent::Kind::WorkerReady);
}

QTEST_GUILESS_MAIN(tst_PageEvent)
#include "tst_pageevent.moc"
