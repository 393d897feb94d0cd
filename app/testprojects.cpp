#include "testprojects.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace Loom::App {

using namespace Qt::StringLiterals;

namespace {

// Deeper than any project tree; a bound on a walk that links cannot make endless anyway.
constexpr int MaxDepth = 32;

bool isSkipped(const QString &folderName)
{
    return folderName.startsWith(u'.') || folderName == u"node_modules" || folderName == u"__pycache__";
}

void collect(const QString &dir, const QDir &root, const QString &rootName, int depth, TestDiscovery &found,
             QList<TestProject> &projects)
{
    const QDir here(dir);
    const bool hasScenarioFile = here.exists(QString::fromLatin1(ScenarioFileName));
    if (hasScenarioFile || here.exists(u"sample.json"_s)) {
        TestProject project;
        project.dir = here.absolutePath();
        project.root = rootName;
        const QString relative = root.relativeFilePath(project.dir);
        const bool isRoot = relative == u".";
        project.key = isRoot ? QFileInfo(project.dir).fileName() : relative;
        project.name = isRoot ? rootName : QDir::cleanPath(rootName + u'/' + relative);
        if (hasScenarioFile)
            project.scenarioFile = here.filePath(QString::fromLatin1(ScenarioFileName));
        projects.append(project);
        return;
    }
    if (here.exists(u"index.html"_s))
        ++found.pagesWithoutScenario;
    if (depth >= MaxDepth)
        return;
    const QStringList children = here.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name);
    for (const QString &child : children) {
        if (!isSkipped(child))
            collect(here.filePath(child), root, rootName, depth + 1, found, projects);
    }
}

} // namespace

Runtime::Result<TestDiscovery> findTestProjects(const QStringList &paths)
{
    TestDiscovery found;
    QSet<QString> seen; // a project reached through two PATHs runs once
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.isDir())
            return Runtime::failure(info.exists() ? u"%1 is not a folder"_s.arg(path)
                                                  : u"%1: no such folder"_s.arg(path));
        const QDir root(info.absoluteFilePath());
        QList<TestProject> projects;
        collect(root.absolutePath(), root, QDir::cleanPath(path), 0, found, projects);
        std::stable_sort(projects.begin(), projects.end(),
                         [](const TestProject &a, const TestProject &b) { return a.key < b.key; });
        for (const TestProject &project : std::as_const(projects)) {
            const QString canonical = QFileInfo(project.dir).canonicalFilePath();
            if (!seen.contains(canonical)) {
                seen.insert(canonical);
                found.projects.append(project);
            }
        }
    }
    return found;
}

quint64 shardHash(const QString &key)
{
    // FNV-1a, 64 bits (Fowler, Noll, Vo): fixed constants, the same on every machine and build,
    // unlike qHash, which is seeded per process.
    quint64 hash = 14695981039346656037ull;
    for (const char byte : key.toUtf8()) {
        hash ^= quint64(quint8(byte));
        hash *= 1099511628211ull;
    }
    return hash;
}

bool isInShard(const TestProject &project, int index, int count)
{
    if (count <= 1)
        return true;
    return shardHash(project.key) % quint64(count) == quint64(index - 1);
}

} // namespace Loom::App
