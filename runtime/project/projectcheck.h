#pragma once

#include "runtime/result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Loom::Runtime {

// A problem found in a project before it runs: where, how bad, and what to do, in plain words.
struct Diagnostic
{
    enum class Severity { Error, Warning };
    QString file;   // relative to the project
    int line = 0;   // 1-based
    int column = 0; // 1-based; 0 when unknown
    Severity severity = Severity::Error;
    QString code; // the kind: "syntax", "export-missing", "unknown-worker", ... (samples/README.md)
    QString message;

    QString severityName() const
    {
        return severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning");
    }
    // FILE:LINE:COL: severity: message [code], the form compilers print and editors follow.
    QString toString() const;
};

struct CheckInput
{
    QString projectDir;
    QHash<QString, QString> unsaved; // relative path -> text of an editor not saved yet
    bool offline = true;
    // The Pyodide packages Loom can serve offline (readyPackages: cached with their
    // dependencies). Unset: none, and every package is reported missing offline.
    std::optional<QStringList> packagesReady = {};
};

// What can be known without Python: the page's scripts and configs read, JSON configs parsed
// (nlohmann/json, with line and column), missing src and config files. The request is the JSON
// that resources/python/loom_analysis/'s check_project takes. Any thread; reads the disk.
struct CheckRequest
{
    QByteArray json;
    QList<Diagnostic> found;
};
CheckRequest prepareCheck(const CheckInput &input);

// The reply of check_project, validated: a malformed entry is dropped.
QList<Diagnostic> parseDiagnostics(const QByteArray &json);
void sortDiagnostics(QList<Diagnostic> &diagnostics);

// All of it, waiting for the embedded Python: for `loom check` and for a pool thread. Never on
// the UI thread. Fails only when Python cannot run the analysis.
Result<QList<Diagnostic>> checkProject(const CheckInput &input);

} // namespace Loom::Runtime
