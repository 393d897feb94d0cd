#include "projecttemplate.h"

#include "runtime/project/project.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSaveFile>

namespace Loom::Ui {

using namespace Runtime;

namespace {
constexpr auto IndexHtml = R"(<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>New PyScript app</title>
  <link rel="stylesheet" href="https://pyscript.net/releases/2025.11.1/core.css">
  <script type="module" src="https://pyscript.net/releases/2025.11.1/core.js"></script>
</head>
<body>
  <h1>Hello, workers</h1>
  <button id="go" disabled>Ask the worker</button>
  <p id="out">Starting…</p>
  <!-- The worker: Pyodide, heavy work off the main thread. -->
  <script type="py" worker name="helper" src="./worker.py"></script>
  <!-- The main thread: MicroPython, starts fast and keeps the page responsive. -->
  <script type="mpy" src="./main.py"></script>
</body>
</html>
)";

constexpr auto MainPy = R"(from pyscript import document, when, workers

helper = await workers["helper"]
document.getElementById("out").textContent = "The worker is ready."
document.getElementById("go").disabled = False


@when("click", "#go")
async def ask(event):
    total = await helper.total(1000000)
    document.getElementById("out").textContent = f"Sum of 0..999999: {total}"
)";

constexpr auto WorkerPy = R"(def total(n):
    # Runs in the worker: the page stays responsive however long this takes.
    return sum(range(n))


__export__ = ["total"]
)";

Result<> writeFile(const QString &path, const char *text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) < 0 || !file.commit())
        return failure(QStringLiteral("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    return {};
}
} // namespace

Result<QString> copyProject(const QString &sourceDir, const QString &workspace, const QString &name)
{
    const QDir source(sourceDir);
    if (!source.exists())
        return failure(QStringLiteral("%1 does not exist.").arg(QDir::toNativeSeparators(sourceDir)));
    if (!QDir().mkpath(workspace))
        return failure(QStringLiteral("Cannot create the workspace %1.").arg(QDir::toNativeSeparators(workspace)));
    QString target = QDir(workspace).filePath(name);
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = QDir(workspace).filePath(QStringLiteral("%1-%2").arg(name).arg(n));

    QDirIterator it(source.absolutePath(), QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    if (!QDir().mkpath(target))
        return failure(QStringLiteral("Cannot create %1.").arg(QDir::toNativeSeparators(target)));
    while (it.hasNext()) {
        const QFileInfo entry = it.nextFileInfo();
        const QString destination = QDir(target).filePath(source.relativeFilePath(entry.absoluteFilePath()));
        if (entry.isDir()) {
            if (!QDir().mkpath(destination))
                return failure(QStringLiteral("Cannot create %1.").arg(QDir::toNativeSeparators(destination)));
        } else if (!QFile::copy(entry.absoluteFilePath(), destination)) {
            return failure(QStringLiteral("Cannot copy %1.").arg(QDir::toNativeSeparators(entry.absoluteFilePath())));
        } else {
            // Installed samples may be read-only: the copy is the user's to edit.
            QFile::setPermissions(destination, QFile::permissions(destination) | QFile::WriteOwner);
        }
    }
    return target;
}

Result<> writeNewProject(const QString &dir)
{
    const QDir folder(dir);
    if (Runtime::Project(dir).hasEntryPage())
        return failure(QStringLiteral("%1 already holds a project (%2).")
                           .arg(QDir::toNativeSeparators(dir), Runtime::Project::entryPageName()));
    if (!QDir().mkpath(dir))
        return failure(QStringLiteral("Cannot create %1.").arg(QDir::toNativeSeparators(dir)));
    for (const auto &[file, text] : {std::pair{Runtime::Project::EntryPage.data(), IndexHtml},
                                     std::pair{"main.py", MainPy}, std::pair{"worker.py", WorkerPy}}) {
        if (auto written = writeFile(folder.filePath(QString::fromLatin1(file)), text); !written)
            return written;
    }
    return {};
}

} // namespace Loom::Ui
