// Scenario files and --step specs: accepted forms and clear errors for the rest.
#include "runtime/scenario.h"

#include <QTest>

using namespace Loom::Runtime;

class tst_Scenario : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validScenario_keepsOrder();
    void badScenario_isClearError_data();
    void badScenario_isClearError();
    void stepSpec_data();
    void stepSpec();
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

void tst_Scenario::badScenario_isClearError_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{steps: [") << QStringLiteral("not valid JSON");
    QTest::newRow("no steps") << QByteArray("{}") << QStringLiteral("\"steps\" list");
    QTest::newRow("steps not list") << QByteArray(R"({"steps": 3})") << QStringLiteral("\"steps\" list");
    QTest::newRow("top-level list") << QByteArray("[]") << QStringLiteral("\"steps\" list");
    QTest::newRow("step not object") << QByteArray(R"({"steps": ["click #a"]})") << QStringLiteral("step 1 is not an object");
    QTest::newRow("unknown verb") << QByteArray(R"({"steps": [{"click": "#a"}, {"tap": "#b"}]})") << QStringLiteral("step 2 needs one of");
    QTest::newRow("fill without value") << QByteArray(R"({"steps": [{"fill": "#a"}]})") << QStringLiteral("needs a \"value\"");
    QTest::newRow("selector not string") << QByteArray(R"({"steps": [{"click": 5}]})") << QStringLiteral("step 1: \"click\" must be a non-empty string");
    QTest::newRow("typo in a key") << QByteArray(R"({"steps": [], "expcet": {}})") << QStringLiteral("unknown key \"expcet\"");
    QTest::newRow("bad json position") << QByteArray("{\"steps\": [\n  {\"click\": }]}") << QStringLiteral("line 2, column 13");
}

void tst_Scenario::badScenario_isClearError()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto scenario = parseScenario(json);
    QVERIFY(!scenario);
    QVERIFY2(scenario.error().contains(expected), qPrintable(scenario.error()));
}

void tst_Scenario::stepSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QString>("value");
    QTest::newRow("click") << QStringLiteral("click:#find") << true << QStringLiteral("#find") << QString();
    QTest::newRow("fill") << QStringLiteral("fill:#limit=1000") << true << QStringLiteral("#limit") << QStringLiteral("1000");
    QTest::newRow("fill with = in value") << QStringLiteral("fill:#q=a=b") << true << QStringLiteral("#q") << QStringLiteral("a=b");
    QTest::newRow("wait-text") << QStringLiteral("wait-text:#out=Found 25") << true << QStringLiteral("#out") << QStringLiteral("Found 25");
    QTest::newRow("attribute selector") << QStringLiteral("click:button[name=go]") << true << QStringLiteral("button[name=go]") << QString();
    QTest::newRow("no verb") << QStringLiteral("#find") << false << QString() << QString();
    QTest::newRow("empty click") << QStringLiteral("click:") << false << QString() << QString();
    QTest::newRow("fill without value") << QStringLiteral("fill:#limit") << false << QString() << QString();
    QTest::newRow("unknown verb") << QStringLiteral("press:#a") << false << QString() << QString();
}

void tst_Scenario::stepSpec()
{
    QFETCH(QString, spec);
    QFETCH(bool, valid);
    QFETCH(QString, selector);
    QFETCH(QString, value);
    const auto step = parseStepSpec(spec);
    QCOMPARE(bool(step), valid);
    if (valid) {
        QCOMPARE(step->selector, selector);
        QCOMPARE(step->value, value);
    } else {
        QVERIFY(step.error().contains(spec));
    }
}

QTEST_GUILESS_MAIN(tst_Scenario)
#include "tst_scenario.moc"
