#pragma once
// Runs the real loom executable for the app tests: its exit code, its output (stdout and stderr
// merged) and, for `run`, the JSON report it wrote.
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QTemporaryDir;

namespace Loom::TestSupport {

// The loom this build made (bin/loom in the build folder).
QString loomExecutable();

struct Run
{
    int exitCode = -1; // -1: crashed or killed at the time-out
    QString output;
    QJsonObject report;
};

// `loom ARGUMENTS`, given five minutes; `run` also writes its report where the Run reads it.
Run runLoom(const QStringList &arguments,
            const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// A copy of one of Loom's samples (its files; samples have no subfolders that tests edit) in
// `dir`, for a test to change; the path, or empty on failure.
QString copyOfSample(const QString &name, const QTemporaryDir &dir);

} // namespace Loom::TestSupport
