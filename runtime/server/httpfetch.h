#pragma once

#include "runtime/result.h"

#include <QByteArray>
#include <QList>
#include <QUrl>

#include <functional>
#include <utility>

namespace Loom::Runtime {

// One GET through cpp-httplib, for Loom's own downloads (package files, PyPI's index): redirects
// followed, a 3 s connection time-out (an offline machine fails at once), a size bound. Blocks:
// server and pool threads only.
struct HttpReply
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
};
struct HttpGet
{
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers = {};
    qint64 maxBytes = 1024LL * 1024 * 1024;
    std::function<void(qint64 received, qint64 total)> progress = {};
};
// Fails only when no answer came (unreachable, too large, not http(s)): with why, in words.
Result<HttpReply> httpGet(const HttpGet &request);

// What Loom's caches do with a download. Hex sha256, lower case.
QByteArray sha256Hex(const QByteArray &bytes);
// Written beside its final name and renamed over it (its folder made if need be): a reader sees
// all of it or nothing, and two processes writing the same file both leave a whole one. On
// failure, why.
Result<void> writeAtomically(const QString &path, const QByteArray &bytes);

} // namespace Loom::Runtime
