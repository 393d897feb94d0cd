#pragma once
// Files a test writes, reads back, or proves untouched.
#include <QByteArray>
#include <QMap>
#include <QString>

namespace Loom::TestSupport {

// The file's bytes; empty when it cannot be read.
QByteArray readFile(const QString &path);

// Writes `bytes` to `path` in place (truncated, the same file a watcher sees changing; not a
// rename over it), creating its folders first. False, with a warning that says why, unless every
// byte was written: a test wraps it in QVERIFY.
bool writeFile(const QString &path, const QByteArray &bytes);

// Settings, the workspace, the browser profile and Loom's caches go below `home` from now on
// (XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME): a window test leaves the user's alone.
void useThrowAwayHome(const QString &home);

// Every file below `dir`, hidden ones included: relative path -> SHA-256 of its content. Two
// snapshots compare equal when nothing in the folder was added, removed or changed.
QMap<QString, QByteArray> folderSnapshot(const QString &dir);

} // namespace Loom::TestSupport
