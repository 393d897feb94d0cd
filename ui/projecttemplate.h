#pragma once

#include "runtime/result.h"

#include <QString>

namespace Loom::Ui {

// Copies a project folder into `workspace` as `name`, or `name-2`, `name-3`... when taken; the
// source is never touched. Returns the new folder.
Runtime::Result<QString> copyProject(const QString &sourceDir, const QString &workspace, const QString &name);

// Writes a small working project into an empty folder: a MicroPython main thread that calls a
// Pyodide worker, the shape every Loom project starts from.
Runtime::Result<> writeNewProject(const QString &dir);

} // namespace Loom::Ui
