#include "runtime/server/mimetypes.h"

#include <QMimeDatabase>
#include <QString>

namespace Loom::Runtime {

namespace {
struct Entry
{
    QStringView suffix;
    const char *type;
};

// Checked first: the shared database disagrees between versions on some of these
// (application/javascript vs text/javascript, .py as text/x-python3, .wasm unknown).
constexpr Entry WebTypes[] = {
    {u"html", "text/html; charset=utf-8"},
    {u"htm", "text/html; charset=utf-8"},
    {u"js", "text/javascript; charset=utf-8"},
    {u"mjs", "text/javascript; charset=utf-8"},
    {u"css", "text/css; charset=utf-8"},
    {u"wasm", "application/wasm"},
    {u"json", "application/json"},
    {u"map", "application/json"},
    {u"py", "text/x-python; charset=utf-8"},
    {u"toml", "application/toml"},
    {u"txt", "text/plain; charset=utf-8"},
    {u"md", "text/markdown; charset=utf-8"},
    {u"csv", "text/csv; charset=utf-8"},
    {u"svg", "image/svg+xml"},
    {u"png", "image/png"},
    {u"jpg", "image/jpeg"},
    {u"jpeg", "image/jpeg"},
    {u"gif", "image/gif"},
    {u"webp", "image/webp"},
    {u"ico", "image/x-icon"},
    {u"zip", "application/zip"},
    {u"whl", "application/zip"},
    {u"woff2", "font/woff2"},
    {u"woff", "font/woff"},
};
} // namespace

QByteArray mimeTypeForFileName(QStringView fileName)
{
    const qsizetype dot = fileName.lastIndexOf(u'.');
    const QStringView suffix = dot >= 0 ? fileName.mid(dot + 1) : QStringView();
    for (const Entry &entry : WebTypes) {
        if (suffix.compare(entry.suffix, Qt::CaseInsensitive) == 0)
            return entry.type;
    }
    static const QMimeDatabase database;
    const QMimeType type = database.mimeTypeForFile(fileName.toString(), QMimeDatabase::MatchExtension);
    if (type.isValid() && !type.isDefault())
        return type.name().toLatin1();
    return "application/octet-stream";
}

} // namespace Loom::Runtime
