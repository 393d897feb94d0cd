// The sample gallery's samples as a user meets them: every manifest valid, `loom samples` lists
// them, every offline sample's scenario meets its expected outcome headless, every online one
// says it needs the network instead of hanging, and a bad manifest is refused in plain words.
#include "runtime/project/samples.h"

#include "tests/support/files.h"
#include "tests/support/loomprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Loom::TestSupport;
using namespace Loom::Runtime;

namespace {
const QString Samples = QStringLiteral(LOOM_SOURCE_DIR "/samples");

QProcessEnvironment samplesEnvironment(const QString &dir)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"LOOM_SAMPLES_DIR"_s, dir);
    return environment;
}

// A valid manifest with one key replaced (or removed, with an invalid JSON value of `undefined`).
QByteArray manifestWith(const QByteArray &key, const QByteArray &value)
{
    QList<QPair<QByteArray, QByteArray>> fields = {
        {"title", R"("Primes")"},
        {"description", R"("Counts primes in a worker.")"},
        {"tags", R"(["workers", "pyodide"])"},
        {"features", R"(["__export__"])"},
        {"network", "false"},
        {"scenario", R"({"steps": [{"click": "#find"}], "expect": {"workers": {"primes": "ready"}}})"},
    };
    bool replaced = false;
    for (auto &field : fields) {
        if (field.first == key) {
            field.second = value;
            replaced = true;
        }
    }
    if (!replaced)
        fields.append({key, value});
    QByteArray json = "{";
    for (const auto &[name, text] : fields) {
        if (text == "undefined")
            continue;
        json += (json.size() > 1 ? ",\n  \"" : "\n  \"") + name + "\": " + text;
    }
    return json + "\n}\n";
}
} // namespace

class tst_Samples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void installedManifests_areAllValid();
    void gallery_coversTheWorkersGuide();
    void validManifest_isRead();
    void badManifest_isRefusedClearly_data();
    void badManifest_isRefusedClearly();
    void loomSamples_listsThemAndNamesABrokenOne();

    void offlineSample_meetsItsExpectedOutcome_data();
    void offlineSample_meetsItsExpectedOutcome();
    void onlineSample_saysItNeedsTheNetwork_data();
    void onlineSample_saysItNeedsTheNetwork();
    void unmetExpectation_failsTheRunAndSaysWhatHappened();
};

void tst_Samples::initTestCase()
{
    qputenv("LOOM_SAMPLES_DIR", Samples.toUtf8());
}

void tst_Samples::installedManifests_areAllValid()
{
    const SampleListing listing = scanSamples();
    QVERIFY2(listing.errors.isEmpty(), qPrintable(listing.errors.join(u'\n')));
    QVERIFY(listing.samples.size() >= 8);
    for (const SampleInfo &sample : listing.samples) {
        QVERIFY2(QFileInfo::exists(sample.dir + u"/index.html"_s), qPrintable(sample.name));
        QVERIFY2(!sample.scenario.expect.isEmpty(), qPrintable(sample.name + u": a sample checks its outcome"_s));
    }
}

// The issue's list, by folder: each feature of PyScript's workers guide has its sample.
void tst_Samples::gallery_coversTheWorkersGuide()
{
    const QList<SampleInfo> samples = listSamples();
    QStringList names;
    for (const SampleInfo &sample : samples)
        names.append(sample.name);
    QCOMPARE(names.value(0), u"primes"_s); // the gallery opens on the primes demo
    for (const QString &name :
         {u"calculator"_s, u"primes"_s, u"task-processor"_s, u"config-files"_s, u"micropython-fast"_s,
          u"mandelbrot-parallel"_s, u"error-handling"_s, u"deadlock"_s, u"data-numpy"_s})
        QVERIFY2(names.contains(name), qPrintable(name));
    for (const SampleInfo &sample : samples) {
        const bool numpy = sample.name == u"calculator" || sample.name == u"data-numpy";
        QCOMPARE(sample.needsNetwork, numpy); // Pyodide's packages are not vendored
    }
}

void tst_Samples::validManifest_isRead()
{
    const auto sample = parseSampleManifest(manifestWith("order", "3"));
    QVERIFY2(sample, qPrintable(sample ? QString() : sample.error()));
    QCOMPARE(sample->title, u"Primes"_s);
    QCOMPARE(sample->tags, QStringList({u"workers"_s, u"pyodide"_s}));
    QCOMPARE(sample->features, QStringList({u"__export__"_s}));
    QCOMPARE(sample->order, 3);
    QCOMPARE(sample->needsNetwork, false);
    QCOMPARE(sample->scenario.steps.size(), 1);
    QCOMPARE(sample->scenario.expect.workers.value(0).second, u"ready"_s);
}

void tst_Samples::badManifest_isRefusedClearly_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, const QByteArray &json, const QString &message) {
        QTest::newRow(name) << json << message;
    };
    row("not JSON", "{\"title\": \"x\",\n  \"tags\": [}", u"not valid JSON (line 2, column 12)"_s);
    row("empty file", "", u"not valid JSON"_s);
    row("a list", "[]", u"must be a JSON object"_s);
    row("unknown key", manifestWith("tittle", R"("x")"), u"unknown key \"tittle\""_s);
    row("no title", manifestWith("title", "undefined"), u"\"title\" must be a non-empty string"_s);
    row("empty title", manifestWith("title", R"("")"), u"\"title\" must be a non-empty string"_s);
    row("title not text", manifestWith("title", "7"), u"\"title\" must be a non-empty string"_s);
    row("title too long", manifestWith("title", '"' + QByteArray(61, 'x') + '"'), u"\"title\" has 61 characters"_s);
    row("no description", manifestWith("description", "undefined"), u"\"description\" must be a non-empty string"_s);
    row("two paragraphs", manifestWith("description", R"("One.\n\nTwo.")"), u"one paragraph"_s);
    row("no tags", manifestWith("tags", "undefined"),
        u"\"tags\" must be a list of lowercase words, with at least one"_s);
    row("tags empty", manifestWith("tags", "[]"), u"\"tags\" must be a list"_s);
    row("tags a string", manifestWith("tags", R"("workers")"), u"\"tags\" must be a list"_s);
    row("tag a number", manifestWith("tags", "[3]"), u"3 is not one"_s);
    row("tag capitalised", manifestWith("tags", R"(["Workers"])"), u"tag \"Workers\" must be a lowercase word"_s);
    row("tag with space", manifestWith("tags", R"(["web workers"])"), u"tag \"web workers\""_s);
    row("no features", manifestWith("features", "undefined"), u"\"features\" must be a list of strings"_s);
    row("no network", manifestWith("network", "undefined"), u"\"network\" must be true or false"_s);
    row("network a string", manifestWith("network", R"("no")"), u"\"network\" must be true or false"_s);
    row("order negative", manifestWith("order", "-1"), u"\"order\" must be a whole number"_s);
    row("order fractional", manifestWith("order", "1.5"), u"\"order\" must be a whole number"_s);
    row("no scenario", manifestWith("scenario", "undefined"), u"\"scenario\" is missing"_s);
    row("scenario without steps", manifestWith("scenario", "{}"), u"needs a \"steps\" list"_s);
    row("scenario with no step", manifestWith("scenario", R"({"steps": []})"), u"needs at least one step"_s);
    row("scenario unknown key", manifestWith("scenario", R"({"steps": [{"click": "#a"}], "expects": {}})"),
        u"unknown key \"expects\""_s);
    row("step unknown verb", manifestWith("scenario", R"({"steps": [{"tap": "#a"}]})"), u"step 1 needs one of"_s);
    row("step two verbs", manifestWith("scenario", R"({"steps": [{"click": "#a", "fill": "#b"}]})"),
        u"step 1 needs one of"_s);
    row("step extra key", manifestWith("scenario", R"({"steps": [{"click": "#a", "value": "1"}]})"),
        u"step 1 has an unknown key \"value\""_s);
    row("fill without value", manifestWith("scenario", R"({"steps": [{"fill": "#a"}]})"), u"needs a \"value\""_s);
    row("waitText contains a number", manifestWith("scenario", R"({"steps": [{"waitText": "#a", "contains": 5}]})"),
        u"\"contains\" must be a string"_s);
    row("expect a list", manifestWith("scenario", R"({"steps": [{"click": "#a"}], "expect": []})"),
        u"\"expect\" must be an object"_s);
    row("expect unknown key", manifestWith("scenario", R"({"steps": [{"click": "#a"}], "expect": {"worker": {}}})"),
        u"unknown key \"worker\""_s);
    row("expected state unknown",
        manifestWith("scenario", R"({"steps": [{"click": "#a"}], "expect": {"workers": {"primes": "done"}}})"),
        u"worker \"primes\" must be expected in one of the states starting, loading, ready, busy, failed, stopped"_s);
    row("expected call without function",
        manifestWith("scenario", R"({"steps": [{"click": "#a"}], "expect": {"calls": [{"ok": true}]}})"),
        u"call 1 needs a \"function\""_s);
    row("expected call ok a string",
        manifestWith("scenario",
                     R"({"steps": [{"click": "#a"}], "expect": {"calls": [{"function": "f", "ok": "yes"}]}})"),
        u"\"ok\" must be true or false"_s);
    row("expected console not strings",
        manifestWith("scenario", R"({"steps": [{"click": "#a"}], "expect": {"console": [1]}})"),
        u"\"console\" must be a list of non-empty strings"_s);
    row("allowErrors a string",
        manifestWith("scenario", R"({"steps": [{"click": "#a"}], "expect": {"allowErrors": "yes"}})"),
        u"\"allowErrors\" must be true or false"_s);
}

void tst_Samples::badManifest_isRefusedClearly()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    const auto sample = parseSampleManifest(json);
    QVERIFY2(!sample, json.constData());
    QVERIFY2(sample.error().contains(message), qPrintable(sample.error()));
}

// A broken manifest is named with its file and its fault; the other samples are still listed.
void tst_Samples::loomSamples_listsThemAndNamesABrokenOne()
{
    const Run listed = runLoom({u"samples"_s}, samplesEnvironment(Samples));
    QCOMPARE(listed.exitCode, 0);
    for (const SampleInfo &sample : listSamples()) {
        const QRegularExpression line(u"^%1 +%2 +%3$"_s.arg(QRegularExpression::escape(sample.name),
                                                            sample.needsNetwork ? u"online"_s : u"offline"_s,
                                                            QRegularExpression::escape(sample.title)),
                                      QRegularExpression::MultilineOption);
        QVERIFY2(line.match(listed.output).hasMatch(), qPrintable(listed.output));
    }
    QVERIFY(listed.output.startsWith(u"primes "_s));

    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u"good/sample.json"_s), manifestWith("order", "1")));
    QVERIFY(writeFile(dir.filePath(u"bad/sample.json"_s), manifestWith("tags", R"(["Web Workers"])")));
    const Run run = runLoom({u"samples"_s}, samplesEnvironment(dir.path()));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.output.contains(u"good "_s), qPrintable(run.output));
    QVERIFY2(run.output.contains(u"error: "_s + dir.filePath(u"bad/sample.json"_s)
                                 + u": tag \"Web Workers\" must be a lowercase word"_s),
             qPrintable(run.output));

    const Run refused = runLoom({u"run"_s, u"--sample"_s, u"bad"_s, u"--headless"_s}, samplesEnvironment(dir.path()));
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.output.contains(u"tag \"Web Workers\""_s), qPrintable(refused.output));
}

void tst_Samples::offlineSample_meetsItsExpectedOutcome_data()
{
    QTest::addColumn<QString>("name");
    for (const SampleInfo &sample : listSamples()) {
        if (!sample.needsNetwork)
            QTest::newRow(qPrintable(sample.name)) << sample.name;
    }
}

void tst_Samples::offlineSample_meetsItsExpectedOutcome()
{
    QFETCH(QString, name);
    const auto sample = loadSample(name);
    QVERIFY(sample);
    const Run run = runLoom({u"run"_s, u"--sample"_s, name, u"--headless"_s}, samplesEnvironment(Samples));
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(run.report.value(u"status").toString(), u"passed"_s);
    const QJsonObject expect = run.report.value(u"expect").toObject();
    QCOMPARE(expect.value(u"checked").toInt(), int(sample->scenario.expect.count()));
    QCOMPARE(expect.value(u"unmet").toArray().size(), 0);
    QVERIFY(run.output.contains(u"Loom: expected outcome met"_s));
    // Every step passed, in order, and the last one saw its text.
    const QJsonArray steps = run.report.value(u"steps").toArray();
    QCOMPARE(steps.size(), sample->scenario.steps.size());
    for (const QJsonValue &step : steps)
        QVERIFY(step.toObject().value(u"ok").toBool());
    // Offline means offline: the runtime came from Loom, and nothing else was asked of the internet.
    const QJsonObject network = run.report.value(u"network").toObject();
    QVERIFY(network.value(u"mappedToRuntime").toInt() > 0);
    QCOMPARE(network.value(u"externalCount").toInt(), 0);
    QVERIFY(network.value(u"failedLoads").toArray().isEmpty());
}

void tst_Samples::onlineSample_saysItNeedsTheNetwork_data()
{
    QTest::addColumn<QString>("name");
    for (const SampleInfo &sample : listSamples()) {
        if (sample.needsNetwork)
            QTest::newRow(qPrintable(sample.name)) << sample.name;
    }
}

// Offline, a sample that needs the network ends as a page error that says so, not as a time-out.
void tst_Samples::onlineSample_saysItNeedsTheNetwork()
{
    QFETCH(QString, name);
    const Run run = runLoom({u"run"_s, u"--sample"_s, name, u"--headless"_s}, samplesEnvironment(Samples));
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.report.value(u"status").toString(), u"page-error"_s);
    QVERIFY2(run.output.contains(u"needs the network"_s), qPrintable(run.output));
    // What it needed is named, with where Loom tried to get it: the first package file (micropip,
    // which every "packages" entry needs), not in Loom's cache, Pyodide's CDN unreachable.
    const QJsonArray failed = run.report.value(u"network").toObject().value(u"failedLoads").toArray();
    QVERIFY2(!failed.isEmpty(), qPrintable(run.output));
    const QString reason = failed.first().toObject().value(u"reason").toString();
    QVERIFY2(failed.first().toObject().value(u"url").toString().endsWith(u"/micropip-0.11.1-py3-none-any.whl"),
             qPrintable(run.output));
    QVERIFY2(reason.contains(u"not in Loom's package cache"), qPrintable(reason));
    QVERIFY2(reason.contains(u"https://cdn.jsdelivr.net/pyodide/v314.0.2/full/micropip-0.11.1-py3-none-any.whl"),
             qPrintable(reason));
    // The browser itself asked nothing of the internet: Loom's server did, for it.
    QCOMPARE(run.report.value(u"network").toObject().value(u"externalCount").toInt(), 0);
}

// A copy of primes whose manifest expects a wrong count: the run fails and says what it saw.
void tst_Samples::unmetExpectation_failsTheRunAndSaysWhatHappened()
{
    QTemporaryDir dir;
    const QString copy = copyOfSample(u"primes"_s, dir);
    QVERIFY(!copy.isEmpty());
    QByteArray manifest = readFile(copy + u"/sample.json"_s);
    QVERIFY(manifest.contains(R"("contains": "78498")"));
    manifest.replace(R"("contains": "78498")", R"("contains": "12345")");
    manifest.replace(R"("primes": "ready")", R"("primes": "failed")");
    QFile::remove(copy + u"/sample.json"_s);
    QVERIFY(writeFile(copy + u"/sample.json"_s, manifest));

    // The copy's own manifest is its scenario, as for a sample opened as a copy.
    const Run run = runLoom({u"run"_s, copy, u"--headless"_s});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.report.value(u"status").toString(), u"page-error"_s);
    QVERIFY2(run.output.contains(u"expected outcome not met: worker \"primes\" should be failed, but it is ready."_s),
             qPrintable(run.output));
    QVERIFY2(run.output.contains(
                 u"expected outcome not met: no call primes.find_primes() succeeding with \"12345\" in its result "
                 "(primes.find_primes() returned {'limit': 1000000, 'count': 78498"_s),
             qPrintable(run.output));
    const QJsonObject expect = run.report.value(u"expect").toObject();
    QCOMPARE(expect.value(u"checked").toInt(), 3);
    QCOMPARE(expect.value(u"unmet").toArray().size(), 2);
}

QTEST_GUILESS_MAIN(tst_Samples)
#include "tst_samples.moc"
