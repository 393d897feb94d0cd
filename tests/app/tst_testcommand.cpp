// `loom test` end to end over tests/projects/suite (two passing projects, two failing ones, a page
// without a scenario): its exit code, its JUnit XML (checked against Jenkins' junit-4.xsd by
// xmllint), the reports it keeps, and shards that split the projects without overlap or gap.
#include "tests/support/loomprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace Loom::TestSupport;

namespace {
const QString Suite = QStringLiteral(LOOM_TESTS_DIR "/projects/suite");
const QString Schema = QStringLiteral(LOOM_TESTS_DIR "/schemas/junit-4.xsd");
const QSet<QString> AllProjects = {u"greeting"_s, u"sample-copy"_s, u"unmet"_s, u"nested/python-error"_s};

// One <testcase> as a CI's JUnit reader sees it.
struct TestCase
{
    QString classname;
    QString time;
    QString failureKind; // "failure", "error" or empty
    QString failureMessage;
    QString failureType;
    QString failureText;
    QString systemOut;
};

// The test cases of a JUnit file by name, or an error.
QMap<QString, TestCase> readJUnit(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"no JUnit file at "_s + path;
        return {};
    }
    QMap<QString, TestCase> cases;
    QXmlStreamReader xml(&file);
    QString current;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = xml.name();
        if (name == u"testcase") {
            current = xml.attributes().value(u"name").toString();
            cases[current].classname = xml.attributes().value(u"classname").toString();
            cases[current].time = xml.attributes().value(u"time").toString();
        } else if (name == u"failure" || name == u"error") {
            TestCase &testCase = cases[current];
            testCase.failureKind = name.toString();
            testCase.failureMessage = xml.attributes().value(u"message").toString();
            testCase.failureType = xml.attributes().value(u"type").toString();
            testCase.failureText = xml.readElementText();
        } else if (name == u"system-out" && !current.isEmpty()) {
            cases[current].systemOut = xml.readElementText();
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return cases;
}

// xmllint's verdict on the file against junit-4.xsd: empty when valid.
QString schemaProblems(const QString &path)
{
    const QString xmllint = QStringLiteral(LOOM_XMLLINT);
    if (xmllint.isEmpty())
        return u"xmllint not found: ./dev.sh setup installs libxml2-utils"_s;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(xmllint, {u"--noout"_s, u"--schema"_s, Schema, path});
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit)
        return u"xmllint did not finish"_s;
    const QString output = QString::fromUtf8(process.readAll());
    return process.exitCode() == 0 ? QString() : output;
}

QSet<QString> namesOf(const QMap<QString, TestCase> &cases)
{
    const QList<QString> keys = cases.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

// The projects `loom test ROOT --list` prints after its first line, by their path under ROOT.
QSet<QString> listed(const Run &run, const QString &root)
{
    QStringList lines = run.output.trimmed().split(u'\n');
    lines.removeFirst();
    QSet<QString> names;
    for (const QString &line : std::as_const(lines))
        names.insert(line.startsWith(QDir::cleanPath(root) + u'/') ? line.mid(QDir::cleanPath(root).size() + 1) : line);
    return names;
}
} // namespace

class tst_TestCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mixedFolder_failsAndReportsEachProject();
    void shards_areDisjointAndCoverEveryProject();
    void shardRule_isStable();
    void discovery_findsProjectsAndOnlyThem();
    void brokenScenario_isAnErrorOfItsProject();
    void badArguments_areUsageErrors_data();
    void badArguments_areUsageErrors();
    void folderWithoutProjects_isUsageError();
};

void tst_TestCommand::mixedFolder_failsAndReportsEachProject()
{
    QTemporaryDir dir;
    const QString junit = dir.filePath(u"out/junit.xml"_s);
    const QString reports = dir.filePath(u"reports"_s);
    const Run run = runLoom(
        {u"test"_s, Suite, u"-j"_s, u"2"_s, u"--junit"_s, junit, u"--report-dir"_s, reports, u"--timeout"_s, u"60"_s});
    QVERIFY2(run.exitCode == 1, qPrintable(run.output));
    // A live line per project, the page without a scenario named as left out, and the summary.
    QVERIFY2(run.output.contains(u"4 of 4 project(s) with a scenario"_s), qPrintable(run.output));
    QVERIFY2(run.output.contains(u"1 page(s) without a scenario left out"_s), qPrintable(run.output));
    for (const QString &project : AllProjects) {
        const QRegularExpression line(
            u"^\\[\\d/4\\] (passed|page-error) +%1/%2 "_s.arg(QRegularExpression::escape(QDir::cleanPath(Suite)),
                                                              QRegularExpression::escape(project)),
            QRegularExpression::MultilineOption);
        QVERIFY2(line.match(run.output).hasMatch(), qPrintable(project + u"\n"_s + run.output));
    }
    QVERIFY2(run.output.contains(u"Loom: 2 passed, 2 failed, of 4 project(s), -j 2"_s), qPrintable(run.output));

    QCOMPARE(schemaProblems(junit), QString());
    QString error;
    const QMap<QString, TestCase> cases = readJUnit(junit, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(namesOf(cases), AllProjects);

    for (const QString &passing : {u"greeting"_s, u"sample-copy"_s}) {
        const TestCase &testCase = cases.value(passing);
        QVERIFY2(testCase.failureKind.isEmpty(), qPrintable(passing + u": "_s + testCase.failureText));
        QCOMPARE(testCase.classname, QDir::cleanPath(Suite));
        QVERIFY2(testCase.time.toDouble() > 0, qPrintable(testCase.time));
    }
    // The run's console rides along, the page's ANSI colour made valid XML.
    QVERIFY2(cases.value(u"greeting"_s).systemOut.contains(u"greeting: hello from MicroPython"_s),
             qPrintable(cases.value(u"greeting"_s).systemOut));
    QVERIFY(cases.value(u"greeting"_s).systemOut.contains(u"PASSED"_s));

    // The unmet expectation is named, in the message and in the text with the steps.
    const TestCase unmet = cases.value(u"unmet"_s);
    QCOMPARE(unmet.failureKind, u"failure"_s);
    QCOMPARE(unmet.failureType, u"page-error"_s);
    QVERIFY2(unmet.failureMessage.contains(u"a line this page never prints"_s), qPrintable(unmet.failureMessage));
    QVERIFY2(unmet.failureText.contains(u"ok     wait until #out equals \"ran\""_s), qPrintable(unmet.failureText));
    QVERIFY2(unmet.failureText.contains(u"Expected outcome not met (1 of 2)"_s), qPrintable(unmet.failureText));
    QVERIFY2(unmet.failureText.contains(u"Run it alone: loom run "_s), qPrintable(unmet.failureText));
    QVERIFY2(unmet.systemOut.contains(u"unmet: the page ran"_s), qPrintable(unmet.systemOut));

    const TestCase pythonError = cases.value(u"nested/python-error"_s);
    QCOMPARE(pythonError.failureKind, u"failure"_s);
    QVERIFY2(pythonError.failureMessage.contains(u"ZeroDivisionError"_s), qPrintable(pythonError.failureMessage));
    // Where it was raised, mapped to the page's lines.
    QVERIFY2(pythonError.failureText.contains(u"at index.html:13 in divide"_s), qPrintable(pythonError.failureText));

    // Each run's own report is kept, named after its project, and attached to its test case.
    const QMap<QString, QString> expectedStatus = {{u"greeting"_s, u"passed"_s},
                                                   {u"sample-copy"_s, u"passed"_s},
                                                   {u"unmet"_s, u"page-error"_s},
                                                   {u"nested__python-error"_s, u"page-error"_s}};
    for (auto it = expectedStatus.cbegin(); it != expectedStatus.cend(); ++it) {
        QFile report(reports + u'/' + it.key() + u".json"_s);
        QVERIFY2(report.open(QIODevice::ReadOnly), qPrintable(report.fileName()));
        QCOMPARE(QJsonDocument::fromJson(report.readAll()).object().value(u"status").toString(), it.value());
    }
    QVERIFY(unmet.systemOut.contains(u"[[ATTACHMENT|"_s + reports + u"/unmet.json]]"_s));
}

void tst_TestCommand::shards_areDisjointAndCoverEveryProject()
{
    QTemporaryDir dir;
    QSet<QString> union_;
    QList<QSet<QString>> shards;
    for (const QString &shard : {u"1/2"_s, u"2/2"_s}) {
        const QString junit = dir.filePath(u"junit-%1.xml"_s.arg(shard.left(1)));
        const Run run = runLoom({u"test"_s, Suite, u"--shard"_s, shard, u"--junit"_s, junit, u"--timeout"_s, u"60"_s});
        QCOMPARE(schemaProblems(junit), QString());
        QString error;
        const QSet<QString> names = namesOf(readJUnit(junit, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(!names.isEmpty(), qPrintable(run.output)); // four projects, two shards: both have some
        // A shard fails only when one of its own projects does.
        QCOMPARE(run.exitCode, names.contains(u"unmet"_s) || names.contains(u"nested/python-error"_s) ? 1 : 0);
        // --list names what the shard runs.
        QCOMPARE(listed(runLoom({u"test"_s, Suite, u"--shard"_s, shard, u"--list"_s}), Suite), names);
        shards.append(names);
        union_ += names;
    }
    QVERIFY(!shards.at(0).intersects(shards.at(1)));
    QCOMPARE(union_, AllProjects);
    QCOMPARE(listed(runLoom({u"test"_s, Suite, u"--list"_s}), Suite), AllProjects);
}

// The split is a function of each project's path under PATH alone: these memberships hold on any
// machine, in any checkout, whatever else the folder holds (FNV-1a-64 of the key, mod N).
void tst_TestCommand::shardRule_isStable()
{
    const QString samples = QStringLiteral(LOOM_SOURCE_DIR "/samples");
    const Run first = runLoom({u"test"_s, samples, u"--shard"_s, u"1/2"_s, u"--list"_s});
    QCOMPARE(first.exitCode, 0);
    QCOMPARE(listed(first, samples), (QSet<QString>{u"deadlock"_s, u"micropython-fast"_s}));
    const Run suite = runLoom({u"test"_s, Suite, u"--shard"_s, u"2/2"_s, u"--list"_s});
    QCOMPARE(listed(suite, Suite), QSet<QString>{u"sample-copy"_s});
}

// What counts as a project, what is skipped, and a project named twice runs once, in the same
// shard whichever PATH found it.
void tst_TestCommand::discovery_findsProjectsAndOnlyThem()
{
    QTemporaryDir dir;
    const QString tree = dir.filePath(u"tree"_s);
    const auto project = [&](const QString &path, const QString &scenarioFile) {
        QVERIFY(QDir().mkpath(tree + u'/' + path));
        for (const QString &file : {u"index.html"_s, scenarioFile}) {
            if (file.isEmpty())
                continue;
            QFile out(tree + u'/' + path + u'/' + file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write("{}");
        }
    };
    project(u"a"_s, u"loom.scenario.json"_s);
    project(u"a/inner"_s, u"sample.json"_s);          // a's own files
    project(u"deep/x/y"_s, u"sample.json"_s);         // found at any depth
    project(u".hidden/p"_s, u"loom.scenario.json"_s); // skipped
    project(u"node_modules/p"_s, u"sample.json"_s);   // skipped
    project(u"page-only"_s, QString());               // a page without a scenario
    QVERIFY(QFile::link(tree, tree + u"/loop"_s));    // not followed

    const Run all = runLoom({u"test"_s, tree, u"--list"_s});
    QCOMPARE(all.exitCode, 0);
    QCOMPARE(listed(all, tree), (QSet<QString>{u"a"_s, u"deep/x/y"_s}));
    QVERIFY2(all.output.contains(u"2 of 2 project(s) with a scenario under "_s + tree
                                 + u" (1 page(s) without a scenario left out"_s),
             qPrintable(all.output));

    // The project itself as PATH, and again through its parent: once, under its own name.
    const Run twice = runLoom({u"test"_s, tree + u"/a"_s, tree, u"--list"_s});
    QCOMPARE(twice.output.trimmed().split(u'\n').size(), 3); // the first line, then a and deep/x/y
    QCOMPARE(listed(twice, tree), (QSet<QString>{u"a"_s, u"deep/x/y"_s}));
    for (const QString &shard : {u"1/2"_s, u"2/2"_s}) {
        const auto inShard = [&](const QString &path) {
            return listed(runLoom({u"test"_s, path, u"--shard"_s, shard, u"--list"_s}), tree).contains(u"a"_s);
        };
        QCOMPARE(inShard(tree + u"/a"_s), inShard(tree));
    }
}

// A scenario that does not parse is the run's error, not the page's failure; the other projects
// still run and pass.
void tst_TestCommand::brokenScenario_isAnErrorOfItsProject()
{
    QTemporaryDir dir;
    const QString broken = dir.filePath(u"broken"_s);
    QVERIFY(QDir().mkpath(broken));
    QVERIFY(QFile::copy(Suite + u"/greeting/index.html"_s, broken + u"/index.html"_s));
    QFile scenario(broken + u"/loom.scenario.json"_s);
    QVERIFY(scenario.open(QIODevice::WriteOnly));
    scenario.write(R"({"steps": [{"clik": "#out"}]})");
    scenario.close();
    QVERIFY(QDir().mkpath(dir.filePath(u"good"_s)));
    for (const QString &file : {u"index.html"_s, u"loom.scenario.json"_s})
        QVERIFY(QFile::copy(Suite + u"/greeting/"_s + file, dir.filePath(u"good/"_s) + file));

    const QString junit = dir.filePath(u"junit.xml"_s);
    const Run run = runLoom({u"test"_s, dir.path(), u"--junit"_s, junit, u"--timeout"_s, u"60"_s});
    QVERIFY2(run.exitCode == 1, qPrintable(run.output));
    QCOMPARE(schemaProblems(junit), QString());
    QString error;
    const QMap<QString, TestCase> cases = readJUnit(junit, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(namesOf(cases), (QSet<QString>{u"broken"_s, u"good"_s}));
    QVERIFY(cases.value(u"good"_s).failureKind.isEmpty());
    const TestCase testCase = cases.value(u"broken"_s);
    QCOMPARE(testCase.failureKind, u"error"_s);
    QCOMPARE(testCase.failureType, u"usage"_s);
    // loom run's own words on what is wrong with the scenario.
    QVERIFY2(testCase.failureMessage.contains(u"step 1 needs one of"_s), qPrintable(testCase.failureMessage));
}

void tst_TestCommand::badArguments_areUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("shard 0") << QStringList{u"--shard"_s, u"0/2"_s} << u"--shard takes I/N"_s;
    QTest::newRow("shard past N") << QStringList{u"--shard"_s, u"3/2"_s} << u"--shard takes I/N"_s;
    QTest::newRow("shard word") << QStringList{u"--shard"_s, u"half"_s} << u"--shard takes I/N"_s;
    QTest::newRow("no jobs") << QStringList{u"-j0"_s} << u"-j takes a number"_s;
    QTest::newRow("one report") << QStringList{u"--report"_s, u"r.json"_s} << u"--report-dir DIR"_s;
    QTest::newRow("steps") << QStringList{u"--step"_s, u"click:#a"_s} << u"--step is for loom run"_s;
    QTest::newRow("no such folder") << QStringList{Suite + u"/missing"_s} << u"no such folder"_s;
}

void tst_TestCommand::badArguments_areUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runLoom(QStringList{u"test"_s, Suite} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.output.contains(message), qPrintable(run.output));
}

void tst_TestCommand::folderWithoutProjects_isUsageError()
{
    const Run run = runLoom({u"test"_s, Suite + u"/no-scenario"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.output.contains(u"no project with a scenario (sample.json or loom.scenario.json)"_s),
             qPrintable(run.output));
}

QTEST_GUILESS_MAIN(tst_TestCommand)
#include "tst_testcommand.moc"
