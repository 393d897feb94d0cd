#include "tests/support/loomprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

namespace Loom::TestSupport {

QString loomExecutable()
{
    return QStringLiteral(LOOM_BINARY_DIR "/bin/loom");
}

Run runLoom(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QTemporaryDir dir;
    const QString reportPath = dir.filePath(QStringLiteral("report.json"));
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    QStringList args = arguments;
    if (args.value(0) == u"run")
        args << QStringLiteral("--report") << reportPath;
    process.start(loomExecutable(), args);
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

QString copyOfSample(const QString &name, const QTemporaryDir &dir)
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

} // namespace Loom::TestSupport
