#pragma once

#include "runtime/project/projectscan.h"
#include "runtime/result.h"

#include <QString>
#include <QStringView>

#include <string_view>

namespace Loom::Runtime {

// A PyScript project: a folder whose entry page is index.html, the page Loom runs, checks and
// exports first. What every layer means by "the project": where its files are, how a path
// written in a page resolves, and which names are hidden (never served, exported or checked).
// A value, cheap to copy; like QDir, it converts from the folder's path. A default-constructed
// Project is none (isNull()).
class Project
{
public:
    // The entry page, relative to the root; also what a folder URL serves.
    static constexpr std::string_view EntryPage = "index.html";
    static QString entryPageName() { return QString::fromLatin1(EntryPage); }

    Project() = default;
    Project(const QString &root); // NOLINT(google-explicit-constructor): a path is a project, as for QDir

    // The folder, if it has an entry page; else the error a user reads, naming the folder.
    static Result<Project> open(const QString &root);

    bool isNull() const { return m_root.isEmpty(); }
    // Absolute and clean, without a trailing slash; empty for none.
    const QString &root() const { return m_root; }
    QString entryPagePath() const { return filePath(entryPageName()); }
    bool hasEntryPage() const;

    // An absolute path for a project-relative one.
    QString filePath(const QString &relative) const;
    // The project-relative path of an absolute one (it may lead out: "../x").
    QString relativePath(const QString &path) const;
    // Whether an absolute path is inside the project (lexically; links are the server's concern).
    bool contains(const QString &path) const;
    // A path written in the page (src=, config=, a fetch), relative to the project; empty when it
    // is a URL or leads out of the project.
    static QString resolveWritten(const QString &written);

    // The PyScript scripts of the entry page, as it is on disk now.
    QList<PageScript> entryScripts() const;

    // Hidden: a name that starts with ".". Loom never serves, exports or checks a path with one.
    static bool isHiddenName(std::string_view name) { return !name.empty() && name.front() == '.'; }
    static bool isHidden(QStringView relativePath);

    bool operator==(const Project &) const = default;

private:
    QString m_root;
};

} // namespace Loom::Runtime
