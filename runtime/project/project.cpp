#include "runtime/project/project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Loom::Runtime {

Project::Project(const QString &root)
    : m_root(root.isEmpty() ? QString() : QDir::cleanPath(QDir(root).absolutePath()))
{}

Result<Project> Project::open(const QString &root)
{
    Project project(root);
    if (project.isNull() || !QFileInfo(project.root()).isDir())
        return failure(QStringLiteral("%1 is not a folder.").arg(QDir::toNativeSeparators(root)));
    if (!project.hasEntryPage())
        return failure(QStringLiteral("%1 has no %2: a PyScript project is a folder with an %2.")
                           .arg(QDir::toNativeSeparators(project.root()), entryPageName()));
    return project;
}

bool Project::hasEntryPage() const
{
    return !isNull() && QFileInfo(entryPagePath()).isFile();
}

QString Project::filePath(const QString &relative) const
{
    return QDir::cleanPath(QDir(m_root).absoluteFilePath(relative));
}

QString Project::relativePath(const QString &path) const
{
    return QDir(m_root).relativeFilePath(path);
}

bool Project::contains(const QString &path) const
{
    return !isNull() && QDir::cleanPath(path).startsWith(m_root + u'/');
}

QString Project::resolveWritten(const QString &written)
{
    if (written.contains(u"://") || written.startsWith(u"//"))
        return {};
    const QString cleaned = QDir::cleanPath(written.startsWith(u'/') ? written.mid(1) : written);
    if (cleaned.startsWith(u"../") || cleaned == u"..")
        return {};
    return cleaned;
}

QList<PageScript> Project::entryScripts() const
{
    QFile html(entryPagePath());
    if (isNull() || !html.open(QIODevice::ReadOnly))
        return {};
    return scanPageScripts(html.readAll());
}

bool Project::isHidden(QStringView relativePath)
{
    for (const QStringView part : relativePath.split(u'/')) {
        if (part.startsWith(u'.') && part != u"." && part != u"..")
            return true;
    }
    return false;
}

} // namespace Loom::Runtime
