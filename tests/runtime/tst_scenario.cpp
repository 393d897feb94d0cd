// Scenario files and --step specs: accepted forms and clear errors for the rest; console
// expectations counted over both consoles.
#include "runtime/project/project.h"
#include "runtime/project/samples.h"
#include "runtime/run/expectations.h"
#include "runtime/run/scenario.h"
#include "tests/support/files.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Loom::Runtime;
using Loom::TestSupport::writeFile;
using namespace Qt::StringLiterals;

class tst_Scenario : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validScenario_keepsOrder();
    void stepForms_data();
    void stepForms();
    void badScenario_isClearError_data();
    void badScenario_isClearError();
    void consoleExpectation_isRead();
    void allowErrorsAlone_isNoCheck();
    void stepSpec_data();
    void stepSpec();
    void consoleExpectations_data();
    void consoleExpectations();
    void projectScenario_ownFileBeforeTheManifest();
};

void tst_Scenario::validScenario_keepsOrder()
{
    const auto scenario = parseScenario(R"({"steps": [{"fill": "#limit", "value": "10"}, {"click": "#find"},
                                          {"waitText": "#out", "contains": "Found 4"}]})");
    QVERIFY(scenario);
    QCOMPARE(scenario->steps.size(), 3);
    QCOMPARE(scenario->steps.at(0).kind, ScenarioStep::Kind::Fill);
    QCOMPARE(scenario->steps.at(0).value, QStringLiteral("10"));
    QCOMPARE(scenario->steps.at(1).selector, QStringLiteral("#find"));
    QCOMPARE(scenario->steps.at(2).describe(), QStringLiteral("wait until #out contains \"Found 4\""));
}

// Each JSON step form, read back as what the run will do (describe() is what the run prints).
void tst_Scenario::stepForms_data()
{
    QTest::addColumn<QByteArray>("step");
    QTest::addColumn<QString>("described");
    auto row = [](const char *name, const char *step, const QString &described) {
        QTest::newRow(name) << QByteArray(step) << described;
    };
    row("fill", R"({"fill": "#limit", "value": "10"})", u"fill #limit with \"10\""_s);
    row("fill empty", R"({"fill": "#limit", "value": ""})", u"fill #limit with \"\""_s);
    row("click", R"({"click": "button[name=go]"})", u"click button[name=go]"_s);
    row("waitFor", R"({"waitFor": "#done"})", u"wait for #done"_s);
    row("waitFor visible", R"({"waitFor": "#done", "visible": true})", u"wait until #done is visible"_s);
    row("waitFor visible false", R"({"waitFor": "#done", "visible": false})", u"wait for #done"_s);
    row("waitFor not", R"({"waitFor": "#spinner", "not": true})", u"wait until #spinner is gone"_s);
    row("waitFor visible not", R"({"waitFor": "#spinner", "visible": true, "not": true})",
        u"wait until #spinner is hidden or gone"_s);
    row("waitText contains", R"({"waitText": "#out", "contains": "Found"})", u"wait until #out contains \"Found\""_s);
    row("waitText equals", R"({"waitText": "#out", "equals": "sum 45"})", u"wait until #out equals \"sum 45\""_s);
    row("waitText equals empty", R"({"waitText": "#out", "equals": ""})", u"wait until #out equals \"\""_s);
    row("waitText matches", R"({"waitText": "#out", "matches": "^sum \\d+$"})",
        u"wait until #out matches /^sum \\d+$/"_s);
    row("waitText matches \\u escape", R"({"waitText": "#out", "matches": "\\u0041+"})",
        u"wait until #out matches /\\u0041+/"_s);
    row("waitText not contains", R"({"waitText": "#status", "contains": "Loading", "not": true})",
        u"wait until #status does not contain \"Loading\""_s);
    row("waitText not equals", R"({"waitText": "#status", "equals": "Loading", "not": true})",
        u"wait until #status does not equal \"Loading\""_s);
    row("waitText not matches", R"({"waitText": "#status", "matches": "^Load", "not": false})",
        u"wait until #status matches /^Load/"_s);
    row("reload", R"({"reload": true})", u"reload the page"_s);
}

void tst_Scenario::stepForms()
{
    QFETCH(QByteArray, step);
    QFETCH(QString, described);
    const auto scenario = parseScenario("{\"steps\": [" + step + "]}");
    QVERIFY2(scenario, qPrintable(scenario ? QString() : scenario.error()));
    QCOMPARE(scenario->steps.size(), 1);
    QCOMPARE(scenario->steps.first().describe(), described);
}

void tst_Scenario::badScenario_isClearError_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{steps: [") << QStringLiteral("not valid JSON");
    QTest::newRow("no steps") << QByteArray("{}") << QStringLiteral("\"steps\" list");
    QTest::newRow("steps not list") << QByteArray(R"({"steps": 3})") << QStringLiteral("\"steps\" list");
    QTest::newRow("top-level list") << QByteArray("[]") << QStringLiteral("\"steps\" list");
    QTest::newRow("step not object") << QByteArray(R"({"steps": ["click #a"]})")
                                     << QStringLiteral("step 1 is not an object");
    QTest::newRow("unknown verb") << QByteArray(R"({"steps": [{"click": "#a"}, {"tap": "#b"}]})")
                                  << QStringLiteral("step 2 needs one of");
    QTest::newRow("fill without value") << QByteArray(R"({"steps": [{"fill": "#a"}]})")
                                        << QStringLiteral("needs a \"value\"");
    QTest::newRow("selector not string") << QByteArray(R"({"steps": [{"click": 5}]})")
                                         << QStringLiteral("step 1: \"click\" must be a non-empty string");
    QTest::newRow("typo in a key") << QByteArray(R"({"steps": [], "expcet": {}})")
                                   << QStringLiteral("unknown key \"expcet\"");
    QTest::newRow("bad json position") << QByteArray("{\"steps\": [\n  {\"click\": }]}")
                                       << QStringLiteral("line 2, column 13");
    auto step = [](const char *name, const char *step, const QString &expected) {
        QTest::newRow(name) << ("{\"steps\": [" + QByteArray(step) + "]}") << expected;
    };
    step("two verbs", R"({"click": "#a", "waitFor": "#b"})", u"step 1 needs one of"_s);
    step("waitText without a match", R"({"waitText": "#a"})",
         u"needs one of \"contains\", \"equals\" or \"matches\" (to wait for the element itself, use {\"waitFor\""_s);
    step("waitText two matches", R"({"waitText": "#a", "contains": "x", "equals": "x"})",
         u"needs one of \"contains\", \"equals\" or \"matches\""_s);
    step("waitText contains empty", R"({"waitText": "#a", "contains": ""})", u"\"contains\" must not be empty"_s);
    step("waitText matches empty", R"({"waitText": "#a", "matches": ""})", u"\"matches\" must not be empty"_s);
    step("waitText equals a number", R"({"waitText": "#a", "equals": 4})", u"\"equals\" must be a string"_s);
    step("waitText bad pattern", R"({"waitText": "#a", "matches": "sum (\\d+"})",
         u"\"matches\" is not a valid regular expression: missing closing parenthesis"_s);
    step("waitText not a string", R"({"waitText": "#a", "contains": "x", "not": "yes"})",
         u"\"not\" must be true or false"_s);
    step("waitText visible", R"({"waitText": "#a", "contains": "x", "visible": true})", u"unknown key \"visible\""_s);
    step("waitFor visible a string", R"({"waitFor": "#a", "visible": "yes"})", u"\"visible\" must be true or false"_s);
    step("waitFor with contains", R"({"waitFor": "#a", "contains": "x"})", u"unknown key \"contains\""_s);
    step("waitFor empty selector", R"({"waitFor": ""})", u"\"waitFor\" must be a non-empty string"_s);
    step("reload false", R"({"reload": false})", u"\"reload\" must be true"_s);
    step("reload a selector", R"({"reload": "#a"})", u"\"reload\" must be true"_s);
    step("reload with a key", R"({"reload": true, "wait": 3})", u"unknown key \"wait\""_s);
    step("click negated", R"({"click": "#a", "not": true})", u"unknown key \"not\""_s);
    auto console = [](const char *name, const char *entry, const QString &expected) {
        QTest::newRow(name) << (R"({"steps": [], "expect": {"console": [)" + QByteArray(entry) + "]}}") << expected;
    };
    console("console number", "1", u"\"console\" must be a list of non-empty strings or of objects"_s);
    console("console empty string", R"("")", u"\"console\" must be a list of non-empty strings or of objects"_s);
    console("console without text", R"({"thread": "main"})", u"console line needs a \"text\""_s);
    console("console unknown key", R"({"text": "x", "lvl": "error"})", u"console line has an unknown key \"lvl\""_s);
    console("console bad level", R"({"text": "x", "level": "fatal"})", u"\"level\" must be info, warning or error"_s);
    console("console empty thread", R"({"text": "x", "thread": ""})", u"\"thread\" must be a non-empty string"_s);
    console("console negative count", R"({"text": "x", "count": -1})", u"\"count\" must be a whole number from 0"_s);
    console("console fractional count", R"({"text": "x", "count": 1.5})", u"\"count\" must be a whole number from 0"_s);
    console("console count as text", R"({"text": "x", "count": "2"})", u"\"count\" must be a whole number from 0"_s);
    console("console count and min", R"({"text": "x", "count": 2, "min": 1})", u"\"count\" is exact"_s);
    console("console min over max", R"({"text": "x", "min": 3, "max": 2})", u"\"min\" is more than \"max\""_s);
}

void tst_Scenario::badScenario_isClearError()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto scenario = parseScenario(json);
    QVERIFY(!scenario);
    QVERIFY2(scenario.error().contains(expected), qPrintable(scenario.error()));
}

void tst_Scenario::consoleExpectation_isRead()
{
    const auto scenario = parseScenario(R"({"steps": [], "expect": {"console": ["plain",
        {"text": "deprecated", "thread": "browser", "level": "warning", "count": 0},
        {"text": "tick", "thread": "primes", "min": 2, "max": 5}]}})");
    QVERIFY2(scenario, qPrintable(scenario ? QString() : scenario.error()));
    const QList<ExpectedConsoleLine> &console = scenario->expect.console;
    QCOMPARE(console.size(), 3);
    QCOMPARE(console.at(0).describe(), u"at least 1 console line containing \"plain\""_s);
    QCOMPARE(console.at(1).thread, u"browser"_s);
    QCOMPARE(console.at(1).level, ExpectedConsoleLine::Level::Warning);
    QCOMPARE(console.at(1).count, 0);
    QCOMPARE(console.at(1).describe(),
             u"exactly 0 console lines of the browser's console at level warning containing \"deprecated\""_s);
    QCOMPARE(console.at(2).describe(), u"2 to 5 console lines of worker \"primes\" containing \"tick\""_s);
    QCOMPARE(scenario->expect.count(), 3);
}

// allowErrors is a switch: a scenario may set it alone, and then has nothing to check.
void tst_Scenario::allowErrorsAlone_isNoCheck()
{
    const auto scenario = parseScenario(R"({"steps": [{"waitFor": "#out"}], "expect": {"allowErrors": true}})");
    QVERIFY2(scenario, qPrintable(scenario ? QString() : scenario.error()));
    QVERIFY(scenario->expect.allowErrors);
    QVERIFY(scenario->expect.isEmpty());
    QCOMPARE(scenario->expect.count(), 0);
}

void tst_Scenario::stepSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // valid: describe(); refused: part of the message
    auto valid = [](const char *name, const QString &spec, const QString &selector, const QString &value,
                    const QString &described) {
        QTest::newRow(name) << spec << true << selector << value << described;
    };
    auto refused = [](const char *name, const QString &spec, const QString &message) {
        QTest::newRow(name) << spec << false << QString() << QString() << message;
    };
    valid("click", u"click:#find"_s, u"#find"_s, {}, u"click #find"_s);
    valid("fill", u"fill:#limit=1000"_s, u"#limit"_s, u"1000"_s, u"fill #limit with \"1000\""_s);
    valid("fill with = in value", u"fill:#q=a=b"_s, u"#q"_s, u"a=b"_s, u"fill #q with \"a=b\""_s);
    valid("fill empty", u"fill:#q="_s, u"#q"_s, {}, u"fill #q with \"\""_s);
    valid("wait-text", u"wait-text:#out=Found 25"_s, u"#out"_s, u"Found 25"_s,
          u"wait until #out contains \"Found 25\""_s);
    valid("attribute selector", u"click:button[name=go]"_s, u"button[name=go]"_s, {}, u"click button[name=go]"_s);
    valid("wait-for attribute", u"wait-for:html[lang=en]"_s, u"html[lang=en]"_s, {}, u"wait for html[lang=en]"_s);
    valid("wait-visible", u"wait-visible:#done"_s, u"#done"_s, {}, u"wait until #done is visible"_s);
    valid("wait-gone", u"wait-gone:.spinner"_s, u".spinner"_s, {}, u"wait until .spinner is gone"_s);
    valid("wait-hidden", u"wait-hidden:#hidden"_s, u"#hidden"_s, {}, u"wait until #hidden is hidden or gone"_s);
    valid("wait-text attribute selector", u"wait-text:html[lang=en] #out=x=1"_s, u"html[lang=en] #out"_s, u"x=1"_s,
          u"wait until html[lang=en] #out contains \"x=1\""_s);
    valid("quoted = and ] in selector", u"wait-text:a[title=\"x=]y\"]=z"_s, u"a[title=\"x=]y\"]"_s, u"z"_s,
          u"wait until a[title=\"x=]y\"] contains \"z\""_s);
    valid("single quotes", u"fill:input[name='a=b']=1"_s, u"input[name='a=b']"_s, u"1"_s,
          u"fill input[name='a=b'] with \"1\""_s);
    valid("parentheses", u"wait-text:p:not([data-k=v])=t"_s, u"p:not([data-k=v])"_s, u"t"_s,
          u"wait until p:not([data-k=v]) contains \"t\""_s);
    valid("escaped =", u"wait-text:#a\\=b=c"_s, u"#a\\=b"_s, u"c"_s, u"wait until #a\\=b contains \"c\""_s);
    valid("wait-text-equals", u"wait-text-equals:#out=sum 45"_s, u"#out"_s, u"sum 45"_s,
          u"wait until #out equals \"sum 45\""_s);
    valid("wait-text-equals empty", u"wait-text-equals:#out="_s, u"#out"_s, {}, u"wait until #out equals \"\""_s);
    valid("wait-text-matches", u"wait-text-matches:#out=^sum \\d+$"_s, u"#out"_s, u"^sum \\d+$"_s,
          u"wait until #out matches /^sum \\d+$/"_s);
    valid("wait-text-not", u"wait-text-not:#status=Loading"_s, u"#status"_s, u"Loading"_s,
          u"wait until #status does not contain \"Loading\""_s);
    valid("wait-text-not-equals", u"wait-text-not-equals:#status=Loading"_s, u"#status"_s, u"Loading"_s,
          u"wait until #status does not equal \"Loading\""_s);
    valid("wait-text-not-matches", u"wait-text-not-matches:#status=^Load"_s, u"#status"_s, u"^Load"_s,
          u"wait until #status does not match /^Load/"_s);
    valid("reload", u"reload"_s, {}, {}, u"reload the page"_s);
    refused("no verb", u"#find"_s, u"use click:SEL"_s);
    refused("empty click", u"click:"_s, u"the selector is empty"_s);
    refused("empty selector", u"wait-text:=x"_s, u"the selector is empty"_s);
    refused("fill without value", u"fill:#limit"_s, u"fill needs SELECTOR=VALUE"_s);
    refused("unknown verb", u"press:#a"_s, u"wait-text-not-matches:SEL=PATTERN or reload"_s);
    refused("reload with a selector", u"reload:#a"_s, u"use click:SEL"_s);
    refused("bracket not closed", u"wait-text:html[lang=en=x"_s, u"do not close"_s);
    refused("parenthesis not closed", u"wait-for:p:not([a=b]"_s,
            u"Write the step in a scenario file (--scenario FILE)"_s);
    refused("stray bracket", u"click:a]b"_s, u"do not close"_s);
    refused("quote not closed", u"wait-text:a[title=\"x]=y"_s, u"do not close"_s);
    refused("= after a click selector", u"click:#a=b"_s, u"click takes a selector only"_s);
    refused("wait-text empty", u"wait-text:#out="_s, u"use wait-for:SELECTOR"_s);
    refused("wait-text-matches empty", u"wait-text-matches:#out="_s, u"use wait-for:SELECTOR"_s);
    refused("bad pattern", u"wait-text-matches:#out=(sum"_s, u"the pattern is not a valid regular expression"_s);
}

void tst_Scenario::stepSpec()
{
    QFETCH(QString, spec);
    QFETCH(bool, valid);
    QFETCH(QString, selector);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const auto step = parseStepSpec(spec);
    QVERIFY2(bool(step) == valid, qPrintable(step ? step->describe() : step.error()));
    if (valid) {
        QCOMPARE(step->selector, selector);
        QCOMPARE(step->value, value);
        QCOMPARE(step->describe(), expected);
    } else {
        QVERIFY2(step.error().contains(u'"' + spec + u'"'), qPrintable(step.error()));
        QVERIFY2(step.error().contains(expected), qPrintable(step.error()));
    }
}

// Both consoles as a headless run sees them: the bridge's Python lines (by thread) and the
// browser's own lines, where PyScript logs Python's output a second time.
void tst_Scenario::consoleExpectations_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<QString>("unmet"); // empty: met
    auto row = [](const char *name, const char *entry, const QString &unmet) {
        QTest::newRow(name) << QByteArray(entry) << unmet;
    };
    row("plain string, any thread", R"("python ran")", {});
    row("plain string, browser only", R"("from JavaScript")", {});
    row("plain string missing", R"("never printed")", u"no console line contains \"never printed\"."_s);
    row("main: the echo counts once", R"({"text": "python ran", "thread": "main", "count": 1})", {});
    row("any thread: the echo counts once", R"({"text": "python ran", "count": 1})", {});
    row("browser sees the echo", R"({"text": "python ran", "thread": "browser", "count": 1})", {});
    row("browser warning on main", R"({"text": "from JavaScript", "thread": "main", "level": "warning", "count": 1})",
        {});
    row("browser warning as info", R"({"text": "from JavaScript", "level": "info"})",
        u"expected at least 1 console line at level info containing \"from JavaScript\", found 0 (other lines containing it: "
        "browser:main warning: 1)."_s);
    row("browser warning not from a worker", R"({"text": "from JavaScript", "thread": "worker"})",
        u"found 0 (other lines containing it: browser:main warning: 1)"_s);
    row("worker by name", R"({"text": "tick", "thread": "primes", "count": 2})", {});
    row("worker by kind", R"({"text": "tick", "thread": "worker", "count": 2})", {});
    row("worker lines not on main", R"({"text": "tick", "thread": "main", "count": 0})", {});
    row("other worker", R"({"text": "tick", "thread": "words"})",
        u"expected at least 1 console line of worker \"words\" containing \"tick\", found 0 (other lines containing it: "
        "worker:primes info: 2)."_s);
    row("python stderr is error", R"({"text": "ValueError", "thread": "primes", "level": "error", "count": 1})", {});
    row("browser error on a worker", R"({"text": "Uncaught", "thread": "worker", "level": "error", "count": 1})", {});
    row("count too high", R"({"text": "tick", "count": 3})",
        u"expected exactly 3 console lines containing \"tick\", found 2."_s);
    row("count zero", R"({"text": "from JavaScript", "count": 0})", u"found 1"_s);
    row("min", R"({"text": "tick", "min": 2})", {});
    row("min not reached", R"({"text": "python ran", "min": 2})",
        u"expected at least 2 console lines containing \"python ran\", found 1."_s);
    row("max", R"({"text": "tick", "max": 2})", {});
    row("max passed", R"({"text": "tick", "max": 1})",
        u"expected at most 1 console line containing \"tick\", found 2."_s);
    row("max 0 and absent", R"({"text": "never printed", "max": 0})", {});
}

void tst_Scenario::consoleExpectations()
{
    QFETCH(QByteArray, entry);
    QFETCH(QString, unmet);
    const auto scenario = parseScenario(R"({"steps": [], "expect": {"console": [)" + entry + "]}}");
    QVERIFY2(scenario, qPrintable(scenario ? QString() : scenario.error()));

    const auto python = [](const QString &source, const QString &text, bool isError = false) {
        ConsoleEntry entry;
        entry.source = source;
        entry.text = text;
        entry.isError = isError;
        return entry;
    };
    const auto browser = [](ConsoleLine::Level level, bool fromWorker, const QString &text) {
        ConsoleLine line;
        line.level = level;
        line.fromWorker = fromWorker;
        line.text = text;
        return line;
    };
    const QList<ConsoleEntry> pythonLines = {
        python(u"main:mpy"_s, u"steps: python ran"_s),
        python(u"worker:primes"_s, u"tick 1"_s),
        python(u"worker:primes"_s, u"tick 2"_s),
        python(u"worker:primes"_s, u"Traceback (most recent call last):\nValueError: x"_s, true),
    };
    const QList<ConsoleLine> browserLines = {
        browser(ConsoleLine::Level::Info, false, u"steps: python ran"_s), // PyScript's echo of the print
        browser(ConsoleLine::Level::Warning, false, u"steps: from JavaScript"_s),
        browser(ConsoleLine::Level::Info, true, u"tick 1"_s),
        browser(ConsoleLine::Level::Info, true, u"tick 2"_s),
        browser(ConsoleLine::Level::Error, true, u"Uncaught (in promise) DataCloneError"_s),
    };
    const QStringList messages = unmetConsoleExpectations(scenario->expect.console, pythonLines, browserLines);
    if (unmet.isEmpty()) {
        QVERIFY2(messages.isEmpty(), qPrintable(messages.join(u'\n')));
    } else {
        QCOMPARE(messages.size(), 1);
        QVERIFY2(messages.first().contains(unmet), qPrintable(messages.first()));
    }
}

// A project's own loom.scenario.json is its scenario (and comes before a sample manifest), so
// `loom run DIR --headless` and the IDE play what `loom test` plays.
void tst_Scenario::projectScenario_ownFileBeforeTheManifest()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&dir](const char *name, const QByteArray &text) {
        return writeFile(dir.filePath(QString::fromLatin1(name)), text);
    };
    QVERIFY(write("index.html", "<html></html>"));
    const Project project(dir.path());
    QVERIFY(projectScenario(project) && !*projectScenario(project));
    const QByteArray valid = R"({"steps": [{"click": "#go"}], "expect": {"console": ["done"]}})";
    QVERIFY(write("loom.scenario.json", valid));
    const auto own = projectScenario(project);
    QVERIFY2(own && *own, qPrintable(own ? QString() : own.error()));
    QCOMPARE((*own)->steps.size(), 1);
    const QByteArray invalid = R"({"steps": [{"fly": "#go"}]})";
    QVERIFY(write("loom.scenario.json", invalid));
    const auto broken = projectScenario(project);
    QVERIFY(!broken);
    QVERIFY2(broken.error().contains(u"loom.scenario.json"), qPrintable(broken.error()));
}

QTEST_GUILESS_MAIN(tst_Scenario)
#include "tst_scenario.moc"
