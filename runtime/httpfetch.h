#pragma once

#include "result.h"

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

} // namespace Loom::Runtime
