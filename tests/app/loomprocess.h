#pragma once
// Runs the real loom executable for the app tests: its exit code, its output (stdout and stderr
// merged) and, for `run`, the JSON report it wrote.
#include <QDir>
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

// A copy of one of Loom's samples (its files; samples have no subfolders that tests edit) in
// `dir`, for a test to change; the path, or empty on failure.
inline QString copyOfSample(const QString &name, const QTemporaryDir &dir)
{
    const QString source = QStringLiteral(LOOM_SOURCE_DIR "/samples/") + name;
    const QString copy = dir.filePath(name);
    if (!QDir().mkpath(copy))
        return {};
    for (const QString &file : QDir(source).entryList(QDir::Files)) {
        if (!QFile::copy(source + u'/' + file, copy + u'/' + file))
            return {};
    }
    return copy;
}

} // namespace LoomTest
