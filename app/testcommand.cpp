#include "testcommand.h"

#include "junitreport.h"
#include "testprojects.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QSaveFile>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace Loom::App {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcTest, "loom.app.testcommand", QtWarningMsg)

// A run's own time-out covers its page; this covers a process that hangs before or after it.
constexpr int GraceSeconds = 60;
constexpr int MaxErrorsInDetails = 5;

void print(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// What a run printed, bounded: a flooding page must not fill the memory of `loom test` or its
// JUnit file. Its start and its end are kept (the end has the steps, the workers and the verdict).
class BoundedOutput
{
public:
    static constexpr qsizetype HeadBytes = 64 * 1024;
    static constexpr qsizetype TailBytes = 192 * 1024;

    void append(const QByteArray &bytes)
    {
        const qsizetype toHead = std::min(bytes.size(), HeadBytes - m_head.size());
        m_head.append(bytes.first(toHead));
        m_tail.append(bytes.sliced(toHead));
        if (m_tail.size() > 2 * TailBytes) {
            m_dropped += m_tail.size() - TailBytes;
            m_tail = m_tail.right(TailBytes);
        }
    }

    QString text() const
    {
        const qsizetype dropped = m_dropped + std::max<qsizetype>(0, m_tail.size() - TailBytes);
        if (dropped == 0)
            return QString::fromUtf8(m_head + m_tail);
        return QString::fromUtf8(m_head) + u"\n[... %1 bytes of output left out ...]\n"_s.arg(dropped)
               + QString::fromUtf8(m_tail.right(TailBytes));
    }

private:
    QByteArray m_head;
    QByteArray m_tail;
    qsizetype m_dropped = 0;
};

struct Job
{
    TestProject project;
    QString reportPath;
    QElapsedTimer clock;
    BoundedOutput output;
    bool killed = false;
};

QString oneLine(QString text)
{
    text.replace(u'\n', u' ');
    return text.simplified();
}

QString commandToRunAlone(const TestProject &project)
{
    QString command = u"loom run %1 --headless"_s.arg(QDir::toNativeSeparators(project.name));
    if (!project.scenarioFile.isEmpty())
        command += u" --scenario %1"_s.arg(
            QDir::toNativeSeparators(QDir::cleanPath(project.name + u'/' + QString::fromLatin1(ScenarioFileName))));
    return command;
}

QString lastLines(const QString &text, int count)
{
    QStringList lines = text.trimmed().split(u'\n');
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(u'\n');
}

// The verdict on one project, from its run's exit code and report (README, "Exit codes").
TestCaseResult judge(Job &job, int exitCode, QProcess::ExitStatus exitStatus, bool keepReport)
{
    TestCaseResult result;
    result.suite = job.project.root;
    result.name = job.project.key;
    result.seconds = double(job.clock.elapsed()) / 1000.0;
    result.output = job.output.text();

    QJsonObject report;
    QFile file(job.reportPath);
    if (file.open(QIODevice::ReadOnly))
        report = QJsonDocument::fromJson(file.readAll()).object();
    if (keepReport && file.exists())
        result.attachment = job.reportPath;
    const QString status = report.value(u"status").toString();
    const bool normalExit = exitStatus == QProcess::NormalExit && !job.killed;
    if (normalExit && exitCode == int(ExitCode::Success) && status == u"passed")
        return result;

    QStringList details;
    if (!report.isEmpty() && normalExit && exitCode != int(ExitCode::Usage) && exitCode != int(ExitCode::Environment)) {
        // The page ran and did not do what its scenario says: a failure of the project.
        result.verdict = status == u"crashed" ? TestCaseResult::Verdict::Error : TestCaseResult::Verdict::Failed;
        result.type = status;
        const QString message = report.value(u"message").toString();
        QStringList unmet;
        for (const QJsonValue &value : report.value(u"expect").toObject().value(u"unmet").toArray())
            unmet.append(value.toString());
        result.message = unmet.size() == 1 ? u"Expected outcome not met: %1"_s.arg(oneLine(unmet.first()))
                         : unmet.isEmpty() ? oneLine(message)
                                           : u"%1 The first: %2"_s.arg(oneLine(message), oneLine(unmet.first()));
        details.append(u"%1: %2"_s.arg(status, message));
        const QJsonArray steps = report.value(u"steps").toArray();
        if (!steps.isEmpty()) {
            details.append(u"Steps:"_s);
            for (const QJsonValue &value : steps) {
                const QJsonObject step = value.toObject();
                const bool ok = step.value(u"ok").toBool();
                const QString text = step.value(u"text").toString().trimmed();
                details.append(u"  %1 %2 (%3 s)%4"_s.arg(ok ? u"ok    "_s : u"FAILED"_s, step.value(u"step").toString(),
                                                         QString::number(step.value(u"ms").toDouble() / 1000.0, 'f', 2),
                                                         text.isEmpty() ? QString() : u": "_s + text));
            }
        }
        // The page's errors, where they were raised (the first few: the output has them all).
        int errors = 0;
        for (const QJsonValue &value : report.value(u"console").toArray()) {
            const QJsonObject line = value.toObject();
            if (line.value(u"stream").toString() != u"stderr" || ++errors > MaxErrorsInDetails)
                continue;
            if (errors == 1)
                details.append(u"Errors:"_s);
            details.append(u"  %1: %2"_s.arg(line.value(u"source").toString(),
                                             line.value(u"text").toString().trimmed().replace(u'\n', u"\n    "_s)));
            for (const QJsonValue &at : line.value(u"locations").toArray()) {
                const QJsonObject location = at.toObject();
                details.append(u"    at %1:%2 in %3"_s.arg(location.value(u"file").toString())
                                   .arg(location.value(u"line").toInt())
                                   .arg(location.value(u"function").toString()));
            }
        }
        if (!unmet.isEmpty()) {
            details.append(u"Expected outcome not met (%1 of %2):"_s.arg(unmet.size())
                               .arg(report.value(u"expect").toObject().value(u"checked").toInt()));
            for (const QString &line : std::as_const(unmet))
                details.append(u"  - "_s + line);
        }
    } else {
        // The run could not judge the page: a bad scenario, no index.html, a crash of Loom's own
        // process, a run that never ended. Its last lines say why.
        result.verdict = TestCaseResult::Verdict::Error;
        result.type = job.killed                               ? u"killed"_s
                      : exitStatus != QProcess::NormalExit     ? u"crashed"_s
                      : exitCode == int(ExitCode::Usage)       ? u"usage"_s
                      : exitCode == int(ExitCode::Environment) ? u"environment"_s
                                                               : u"error"_s;
        const QString tail = lastLines(result.output, 20);
        result.message = job.killed ? u"no end %1 s after its time-out: stopped"_s.arg(GraceSeconds)
                         : exitStatus != QProcess::NormalExit ? u"loom run crashed"_s
                                                              : oneLine(tail.split(u'\n').last());
        details.append(u"%1: %2"_s.arg(result.type, result.message));
        details.append(tail);
    }
    details.append(u"Run it alone: "_s + commandToRunAlone(job.project));
    result.details = details.join(u'\n');
    return result;
}

QString verdictWord(const TestCaseResult &result)
{
    return result.verdict == TestCaseResult::Verdict::Passed ? u"passed"_s : result.type;
}

// A report file name for a project: its path under PATH with "/" as "__", made unique (two PATHs
// may hold projects of the same name).
QString reportFileName(const TestProject &project, QSet<QString> &taken)
{
    QString base = project.key;
    base.replace(u'/', u"__"_s);
    QString name = base + u".json"_s;
    for (int i = 2; taken.contains(name); ++i)
        name = u"%1-%2.json"_s.arg(base).arg(i);
    taken.insert(name);
    return name;
}

// Each project runs in its own `loom run` process: one QtWebEngine, one server and one profile per
// project, as a single `loom run` has, so nothing of one run (a crashed renderer, a page that
// floods, a port, a cache) reaches another, and a run that crashes is that project's error. The
// cost, a process and a Chromium started per project, is small beside a page's run: a MicroPython
// page of tests/projects/suite takes 1.5 s in all.
QList<TestCaseResult> runProjects(const QList<TestProject> &projects, const CommandLine &cl, int jobs,
                                  const QString &reportDir, bool keepReports)
{
    QList<TestCaseResult> results(projects.size());
    QList<std::shared_ptr<Job>> pending;
    QSet<QString> taken;
    for (const TestProject &project : projects) {
        auto job = std::make_shared<Job>();
        job->project = project;
        job->reportPath = QDir(reportDir).filePath(reportFileName(project, taken));
        pending.append(job);
    }
    const QString loom = QCoreApplication::applicationFilePath();
    QEventLoop loop;
    qsizetype next = 0;
    int running = 0;
    int done = 0;
    const qsizetype width = std::min<qsizetype>(
        40, std::ranges::max(projects, {}, [](const TestProject &p) { return p.name.size(); }).name.size());
    const QString counterWidth = QString::number(projects.size());

    std::function<void()> startNext;
    auto finish = [&](qsizetype index, int exitCode, QProcess::ExitStatus exitStatus) {
        Job &job = *pending.at(index);
        results[index] = judge(job, exitCode, exitStatus, keepReports);
        const TestCaseResult &result = results.at(index);
        ++done;
        --running;
        print(u"[%1/%2] %3 %4 %5 s%6"_s.arg(QString::number(done).rightJustified(counterWidth.size()), counterWidth,
                                            verdictWord(result).leftJustified(11),
                                            job.project.name.leftJustified(width),
                                            QString::number(result.seconds, 'f', 2).rightJustified(6),
                                            result.message.isEmpty() ? QString() : u"  "_s + result.message));
        if (done == projects.size())
            loop.quit();
        else
            startNext();
    };
    startNext = [&] {
        while (running < jobs && next < pending.size()) {
            const qsizetype index = next++;
            Job &job = *pending.at(index);
            QStringList arguments = {u"run"_s,
                                     job.project.dir,
                                     u"--headless"_s,
                                     u"--report"_s,
                                     job.reportPath,
                                     u"--timeout"_s,
                                     QString::number(cl.timeoutSeconds)};
            if (!job.project.scenarioFile.isEmpty())
                arguments << u"--scenario"_s << job.project.scenarioFile;
            auto *process = new QProcess(&loop);
            process->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
            // A `loom test` that is killed (a cancelled CI job) takes its runs with it, rather than
            // leave their Chromiums running until their time-outs.
            process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
            QObject::connect(process, &QProcess::readyReadStandardOutput, process,
                             [process, &job] { job.output.append(process->readAllStandardOutput()); });
            QObject::connect(process, &QProcess::finished, process,
                             [process, index, &job, &finish](int exitCode, QProcess::ExitStatus exitStatus) {
                                 job.output.append(process->readAllStandardOutput());
                                 process->deleteLater();
                                 finish(index, exitCode, exitStatus);
                             });
            QObject::connect(
                process, &QProcess::errorOccurred, process,
                [process, index, &job, &finish](QProcess::ProcessError error) {
                    if (error != QProcess::FailedToStart)
                        return; // finished follows
                    job.output.append(
                        u"loom: cannot start %1: %2\n"_s.arg(process->program(), process->errorString()).toUtf8());
                    process->deleteLater();
                    finish(index, int(ExitCode::Environment), QProcess::NormalExit);
                });
            QTimer::singleShot(std::chrono::seconds(cl.timeoutSeconds + GraceSeconds), process, [process, &job] {
                job.killed = true;
                process->kill();
            });
            // A report left in --report-dir by an earlier test must not stand for a run that wrote none.
            QFile::remove(job.reportPath);
            qCDebug(lcTest) << "starting" << loom << arguments;
            job.clock.start();
            ++running;
            process->start(loom, arguments);
        }
    };
    startNext();
    loop.exec();
    return results;
}

void printSummary(const QList<TestProject> &projects, const QList<TestCaseResult> &results, double seconds,
                  const QString &scope)
{
    const qsizetype width = std::max<qsizetype>(
        7, std::min<qsizetype>(
               48, std::ranges::max(projects, {}, [](const TestProject &p) { return p.name.size(); }).name.size()));
    print(QString());
    print(u"  %1  %2  %3  %4"_s.arg(u"project"_s.leftJustified(width), u"result"_s.leftJustified(11),
                                    u"time"_s.rightJustified(8), u"message"_s));
    int passed = 0;
    for (qsizetype i = 0; i < results.size(); ++i) {
        const TestCaseResult &result = results.at(i);
        passed += result.verdict == TestCaseResult::Verdict::Passed ? 1 : 0;
        print(u"  %1  %2  %3  %4"_s
                  .arg(projects.at(i).name.leftJustified(width), verdictWord(result).leftJustified(11),
                       QString(QString::number(result.seconds, 'f', 2) + u" s"_s).rightJustified(8), result.message)
                  .trimmed()
                  .prepend(u"  "_s));
    }
    for (qsizetype i = 0; i < results.size(); ++i) {
        const TestCaseResult &result = results.at(i);
        if (result.verdict == TestCaseResult::Verdict::Passed)
            continue;
        print(QString());
        print(u"--- %1 (%2)"_s.arg(projects.at(i).name, verdictWord(result)));
        for (const QString &line : result.details.split(u'\n'))
            print(u"    "_s + line);
    }
    print(QString());
    print(u"Loom: %1 passed, %2 failed, of %3 project(s)%4, in %5 s"_s.arg(passed)
              .arg(results.size() - passed)
              .arg(results.size())
              .arg(scope, QString::number(seconds, 'f', 2)));
}

} // namespace

ExitCode testCommand(const CommandLine &cl)
{
    const QStringList paths = cl.testPaths.isEmpty() ? QStringList{u"."_s} : cl.testPaths;
    auto discovery = findTestProjects(paths);
    if (!discovery) {
        std::fprintf(stderr, "loom: %s\n", qPrintable(discovery.error()));
        return ExitCode::Usage;
    }
    const QString where = paths.join(u", "_s);
    const QString without = discovery->pagesWithoutScenario == 0
                                ? QString()
                                : u" (%1 page(s) without a scenario left out: give them a %2)"_s
                                      .arg(discovery->pagesWithoutScenario)
                                      .arg(QString::fromLatin1(ScenarioFileName));
    if (discovery->projects.isEmpty()) {
        std::fprintf(stderr, "loom: no project with a scenario (sample.json or %s) under %s%s\n", ScenarioFileName,
                     qPrintable(where), qPrintable(without));
        return ExitCode::Usage;
    }
    QList<TestProject> projects;
    for (const TestProject &project : std::as_const(discovery->projects)) {
        if (isInShard(project, cl.shardIndex, cl.shardCount))
            projects.append(project);
    }
    const QString shard = cl.shardCount > 0 ? u"shard %1/%2: "_s.arg(cl.shardIndex).arg(cl.shardCount) : QString();
    const int jobs = cl.jobs > 0 ? cl.jobs : std::max(1, QThread::idealThreadCount() / 2);
    print(u"Loom: %1%2 of %3 project(s) with a scenario under %4%5"_s.arg(shard)
              .arg(projects.size())
              .arg(discovery->projects.size())
              .arg(where, without));
    if (cl.list) {
        for (const TestProject &project : std::as_const(projects))
            print(project.name);
        return ExitCode::Success;
    }

    QTemporaryDir scratch;
    const QString reportDir = cl.reportDir.isEmpty() ? scratch.path() : cl.reportDir;
    if (!QDir().mkpath(reportDir) || (cl.reportDir.isEmpty() && !scratch.isValid())) {
        std::fprintf(stderr, "loom: cannot make the report folder %s\n", qPrintable(reportDir));
        return ExitCode::Environment;
    }
    const QDateTime started = QDateTime::currentDateTime();
    QElapsedTimer clock;
    clock.start();
    const QList<TestCaseResult> results = projects.isEmpty()
                                              ? QList<TestCaseResult>()
                                              : runProjects(projects, cl, jobs, reportDir, !cl.reportDir.isEmpty());
    const double seconds = double(clock.elapsed()) / 1000.0;
    if (projects.isEmpty())
        print(u"Loom: this shard has no project: nothing to run"_s);
    else
        printSummary(projects, results, seconds,
                     (cl.shardCount > 0 ? u" (shard %1/%2)"_s.arg(cl.shardIndex).arg(cl.shardCount) : QString())
                         + u", -j %1"_s.arg(jobs));

    if (!cl.junitFile.isEmpty()) {
        JUnitRun run;
        run.started = started;
        run.seconds = seconds;
        run.properties = {{u"loom.version"_s, QCoreApplication::applicationVersion()},
                          {u"loom.jobs"_s, QString::number(jobs)},
                          {u"loom.timeout"_s, QString::number(cl.timeoutSeconds)}};
        if (cl.shardCount > 0)
            run.properties.append({u"loom.shard"_s, u"%1/%2"_s.arg(cl.shardIndex).arg(cl.shardCount)});
        QSaveFile file(cl.junitFile);
        if (!QFileInfo(cl.junitFile).absoluteDir().mkpath(u"."_s) || !file.open(QIODevice::WriteOnly)
            || file.write(junitXml(results, run)) < 0 || !file.commit()) {
            std::fprintf(stderr, "loom: cannot write the JUnit report to %s\n", qPrintable(cl.junitFile));
            return ExitCode::Environment;
        }
        print(u"Loom: JUnit report written to %1"_s.arg(cl.junitFile));
    }
    const bool allPassed = std::ranges::all_of(
        results, [](const TestCaseResult &result) { return result.verdict == TestCaseResult::Verdict::Passed; });
    return allPassed ? ExitCode::Success : ExitCode::PageError;
}

} // namespace Loom::App
