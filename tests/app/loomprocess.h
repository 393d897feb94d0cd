#pragma once
// Runs the real loom executable for the app tests: its exit code, its output (stdout and stderr
// merged) and, for `run`, the JSON report it wrote.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace LoomTest {

inline const QString Loom = QStringLiteral(LOOM_BINARY_DIR "/bin/loom");

struct Run
{
    int exitCode = -1; // -1: crashed or killed at the time-out
    QString output;
    QJsonObject report;
};

inline Run runLoom(const QStringList &arguments,
                   const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QTemporaryDir dir;
    const QString reportPath = dir.filePath(QStringLiteral("report.json"));
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    QStringList args = arguments;
    if (args.value(0) == u"run")
        args << QStringLiteral("--report") << reportPath;
    process.start(Loom, args);
    if (!process.waitForFinished(300'000))
        process.kill();
    Run run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.output = QString::fromUtf8(process.readAll());
    QFile report(reportPath);
    if (report.open(QIODevice::ReadOnly))
        run.report = QJsonDocument::fromJson(report.readAll()).object();
    return run;
}

} // namespace LoomTest
