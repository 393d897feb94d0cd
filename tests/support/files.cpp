#include "tests/support/files.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <utility>

namespace Loom::TestSupport {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        qWarning() << "cannot write" << path << file.errorString();
        return false;
    }
    // Flushed here: QFile buffers, and a full disk only shows when the buffer is written out.
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        qWarning() << "cannot write all of" << path << file.errorString();
        return false;
    }
    return true;
}

QMap<QString, QByteArray> folderSnapshot(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(QDir(dir).relativeFilePath(path),
                     QCryptographicHash::hash(readFile(path), QCryptographicHash::Sha256));
    }
    return files;
}

void useThrowAwayHome(const QString &home)
{
    for (const auto &[variable, folder] : {std::pair{"XDG_CONFIG_HOME", "config"}, std::pair{"XDG_DATA_HOME", "data"},
                                           std::pair{"XDG_CACHE_HOME", "cache"}})
        qputenv(variable, (home + u'/' + QLatin1StringView(folder)).toUtf8());
}

} // namespace Loom::TestSupport
