#pragma once

#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

namespace Loom::Runtime {

// A project file as the watcher compares it: when any of these differs, the file changed.
struct FileStamp
{
    qint64 size = -1;
    qint64 modifiedNs = 0; // the modification time, in nanoseconds
    quint64 inode = 0;     // an editor's save by rename makes a new file
    bool operator==(const FileStamp &) const = default;
};

// The project's files now, by project-relative path ("sub/worker.py"). Hidden names
// (Project::isHidden) are left out, with all below a hidden folder: the server never serves them,
// so they never change a page. Symbolic links are followed for files, not into folders.
using ProjectSnapshot = std::map<QString, FileStamp>;
ProjectSnapshot snapshotProject(const QString &root);

// The paths added, removed or changed from one snapshot to the next, sorted.
QStringList changedFiles(const ProjectSnapshot &before, const ProjectSnapshot &after);

// Watches a project's files on a thread of its own (QFileSystemWatcher there, never on the
// caller's): after a burst of file-system events has settled, it compares a new snapshot with the
// last one and reports the files that changed, if any. Events that change no file of the project
// (a hidden file, a file's access time, an editor's temporary file gone again) report nothing.
class ProjectWatcher final
{
public:
    struct Options
    {
        QString root;
        // Events are collected until none came for `quiet` (an editor's save by rename is several
        // events), and for at most `maxDelay` while they keep coming.
        std::chrono::milliseconds quiet = std::chrono::milliseconds(200);
        std::chrono::milliseconds maxDelay = std::chrono::milliseconds(1000);
        // Called on the watcher's thread with the project-relative paths that changed (never empty).
        std::function<void(const QStringList &)> onChange = {};
    };

    explicit ProjectWatcher(Options options);
    ~ProjectWatcher(); // stop()
    ProjectWatcher(const ProjectWatcher &) = delete;
    ProjectWatcher &operator=(const ProjectWatcher &) = delete;

    // Starts the thread, takes the first snapshot there and returns once it is taken: a change
    // made after start() returns is reported.
    void start();
    // Stops watching and joins the thread; no onChange call runs once it returns. Not from onChange.
    void stop();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Loom::Runtime
