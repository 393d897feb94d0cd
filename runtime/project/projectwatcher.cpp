#include "runtime/project/projectwatcher.h"

#include "runtime/project/project.h"

#include <QDir>
#include <QFileSystemWatcher>
#include <QLoggingCategory>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <filesystem>
#include <system_error>

#include <sys/stat.h>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcProjectWatcher, "loom.runtime.projectwatcher", QtWarningMsg)

namespace fs = std::filesystem;

namespace {

// Beyond these, a project is not a page's folder but something else (a home folder, a checkout
// with its dependencies): the rest is not looked at, which the log says once.
constexpr qsizetype MaxFiles = 20000;
// inotify watches are a per-user budget (fs.inotify.max_user_watches, 8192 on older kernels):
// files past this many are still compared, but only changes their folder sees (a file made,
// removed or renamed: an editor's save) are noticed, not a write in place.
constexpr qsizetype MaxWatchedFiles = 4000;

struct Tree
{
    ProjectSnapshot files;
    QStringList dirs; // absolute, the root first
    bool truncated = false;
};

void scanDir(const fs::path &dir, const QString &relative, Tree &tree)
{
    tree.dirs.append(QString::fromStdString(dir.string()));
    std::error_code error;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (Project::isHiddenName(name))
            continue;
        const QString path = relative.isEmpty() ? QString::fromStdString(name)
                                                : relative + u'/' + QString::fromStdString(name);
        std::error_code kindError;
        if (it->is_directory(kindError) && !it->is_symlink(kindError)) {
            scanDir(it->path(), path, tree);
            continue;
        }
        struct stat info{};
        if (::stat(it->path().c_str(), &info) != 0 || !S_ISREG(info.st_mode))
            continue;
        if (tree.files.size() >= MaxFiles) {
            tree.truncated = true;
            return;
        }
        tree.files[path] = FileStamp{qint64(info.st_size),
                                     qint64(info.st_mtim.tv_sec) * 1'000'000'000 + qint64(info.st_mtim.tv_nsec),
                                     quint64(info.st_ino)};
    }
}

Tree scanTree(const QString &root)
{
    Tree tree;
    std::error_code error;
    if (fs::is_directory(root.toStdString(), error))
        scanDir(root.toStdString(), QString(), tree);
    return tree;
}

} // namespace

ProjectSnapshot snapshotProject(const QString &root)
{
    return scanTree(root).files;
}

QStringList changedFiles(const ProjectSnapshot &before, const ProjectSnapshot &after)
{
    QStringList changed;
    auto old = before.begin();
    auto now = after.begin();
    while (old != before.end() || now != after.end()) {
        if (now == after.end() || (old != before.end() && old->first < now->first)) {
            changed.append(old++->first); // removed
        } else if (old == before.end() || now->first < old->first) {
            changed.append(now++->first); // added
        } else {
            if (!(old->second == now->second))
                changed.append(now->first);
            ++old;
            ++now;
        }
    }
    return changed;
}

// Lives on the watcher's thread: the QFileSystemWatcher, the timers and the last snapshot are
// touched there only.
class ProjectWatcher::Private
{
public:
    explicit Private(Options o)
        : options(std::move(o))
    {}

    void setUp()
    {
        watcher = new QFileSystemWatcher(&context);
        quiet = new QTimer(&context);
        quiet->setSingleShot(true);
        quiet->setInterval(options.quiet);
        longest = new QTimer(&context);
        longest->setSingleShot(true);
        longest->setInterval(options.maxDelay);
        QObject::connect(quiet, &QTimer::timeout, &context, [this] { settle(); });
        QObject::connect(longest, &QTimer::timeout, &context, [this] { settle(); });
        QObject::connect(watcher, &QFileSystemWatcher::fileChanged, &context, [this] { noticed(); });
        QObject::connect(watcher, &QFileSystemWatcher::directoryChanged, &context, [this] { noticed(); });
        const Tree tree = scanTree(options.root);
        snapshot = tree.files;
        watch(tree);
    }

    // Back to `owner`, so that the context dies on the thread that owns this object.
    void tearDown(QThread *owner)
    {
        delete watcher;
        delete quiet;
        delete longest;
        watcher = nullptr;
        quiet = longest = nullptr;
        context.moveToThread(owner);
    }

    void noticed()
    {
        if (!longest->isActive())
            longest->start();
        quiet->start();
    }

    void settle()
    {
        quiet->stop();
        longest->stop();
        const Tree tree = scanTree(options.root);
        const QStringList changed = changedFiles(snapshot, tree.files);
        snapshot = tree.files;
        // A save by rename ended the old file's watch, a new folder needs one: watch what is there now.
        watch(tree);
        qCDebug(lcProjectWatcher) << "changed:" << changed;
        if (!changed.isEmpty() && options.onChange)
            options.onChange(changed);
    }

    void watch(const Tree &tree)
    {
        if (tree.truncated && !warnedTruncated) {
            warnedTruncated = true;
            qCWarning(lcProjectWatcher) << options.root << "has more than" << MaxFiles
                                        << "files: changes past them are not seen";
        }
        QSet<QString> wanted(tree.dirs.begin(), tree.dirs.end());
        qsizetype files = 0;
        for (const auto &[relative, stamp] : tree.files) {
            if (++files > MaxWatchedFiles)
                break;
            wanted.insert(options.root + u'/' + relative);
        }
        QStringList gone;
        for (const QString &path : watcher->files() + watcher->directories()) {
            if (!wanted.remove(path))
                gone.append(path);
        }
        if (!gone.isEmpty())
            watcher->removePaths(gone);
        if (!wanted.isEmpty()) {
            const QStringList failed = watcher->addPaths(QStringList(wanted.begin(), wanted.end()));
            // A file removed between the scan and now cannot be watched: its folder's next event says so.
            if (!failed.isEmpty())
                qCDebug(lcProjectWatcher) << "not watched:" << failed;
        }
    }

    Options options;
    QThread thread;
    QObject context; // moved to `thread`: the parent and context of the objects below
    QFileSystemWatcher *watcher = nullptr;
    QTimer *quiet = nullptr;   // restarted by every event
    QTimer *longest = nullptr; // started by the first event of a burst
    ProjectSnapshot snapshot;
    bool warnedTruncated = false;
    bool started = false;
};

ProjectWatcher::ProjectWatcher(Options options)
    : d(std::make_unique<Private>(std::move(options)))
{
    d->options.root = QDir::cleanPath(d->options.root);
}

ProjectWatcher::~ProjectWatcher()
{
    stop();
}

void ProjectWatcher::start()
{
    if (d->started)
        return;
    d->started = true;
    d->thread.setObjectName(QStringLiteral("ProjectWatcher"));
    d->context.moveToThread(&d->thread);
    d->thread.start();
    QMetaObject::invokeMethod(&d->context, [this] { d->setUp(); }, Qt::BlockingQueuedConnection);
}

void ProjectWatcher::stop()
{
    if (!d->started || !d->thread.isRunning())
        return;
    QThread *owner = QThread::currentThread();
    QMetaObject::invokeMethod(&d->context, [this, owner] { d->tearDown(owner); }, Qt::BlockingQueuedConnection);
    d->thread.quit();
    d->thread.wait();
}

} // namespace Loom::Runtime
