#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

namespace Loom::App {

// One project's run as a JUnit test case (docs/loom-test.md, "JUnit XML").
struct TestCaseResult
{
    enum class Verdict { Passed, Failed, Error };
    QString suite = {}; // the PATH the project was found under: the test case's classname and its testsuite
    QString name = {};  // the project's path under it
    Verdict verdict = Verdict::Passed;
    QString type = {};       // failed or error: the run's status (page-error, timeout, crashed, usage, ...)
    QString message = {};    // failed or error: one line
    QString details = {};    // failed or error: the steps and the unmet expectations
    QString output = {};     // what `loom run` printed: the page's console, steps, workers, the verdict
    QString attachment = {}; // the kept run report (--report-dir), named as JUnit attachments are
    double seconds = 0;
};

struct JUnitRun
{
    QDateTime started = {};
    double seconds = 0;
    QList<std::pair<QString, QString>> properties = {}; // each testsuite's <properties>
};

// The JUnit XML of a `loom test` run, in the shape Jenkins' junit-4.xsd describes (validated in
// tests/app/tst_testcommand.cpp) and GitLab and GitHub Actions' JUnit reporters read: one
// <testsuite> per PATH, one <testcase> per project with a <failure> (the page failed the
// scenario) or an <error> (the run could not judge it), the run's output in <system-out>.
// Characters XML 1.0 cannot carry (a page's ANSI colours) are written as U+FFFD.
QByteArray junitXml(const QList<TestCaseResult> &results, const JUnitRun &run);

} // namespace Loom::App
