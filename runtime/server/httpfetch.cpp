#include "runtime/server/httpfetch.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <httplib.h>

namespace Loom::Runtime {

namespace {
constexpr time_t ConnectSeconds = 3;
constexpr time_t ReadSeconds = 60;
} // namespace

Result<HttpReply> httpGet(const HttpGet &request)
{
    const QUrl &url = request.url;
    if (url.scheme() != u"http" && url.scheme() != u"https")
        return failure(QStringLiteral("%1 is not an http(s) URL").arg(url.toString()));
    const std::string origin = url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment).toStdString();
    httplib::Client client(origin);
    client.set_connection_timeout(ConnectSeconds, 0);
    client.set_read_timeout(ReadSeconds, 0);
    client.set_follow_location(true);
    httplib::Headers headers;
    for (const auto &[name, value] : request.headers)
        headers.emplace(name.toStdString(), value.toStdString());
    std::string body;
    bool tooLarge = false;
    std::string target = url.path(QUrl::FullyEncoded).toStdString();
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toStdString();
    const auto response = client.Get(
        target, headers,
        [&](const char *data, size_t length) {
            if (qint64(body.size() + length) > request.maxBytes) {
                tooLarge = true;
                return false;
            }
            body.append(data, length);
            return true;
        },
        [&](uint64_t received, uint64_t total) {
            if (request.progress)
                request.progress(qint64(received), total > 0 ? qint64(total) : -1);
            return true;
        });
    if (tooLarge)
        return failure(QStringLiteral("it is larger than %1 MB").arg(request.maxBytes >> 20));
    if (!response) {
        const auto error = response.error();
        return failure(error == httplib::Error::Connection
                           ? QStringLiteral("%1 is unreachable (offline?)").arg(url.host())
                           : QString::fromStdString(httplib::to_string(error)));
    }
    return HttpReply{response->status, QByteArray::fromStdString(body),
                     QByteArray::fromStdString(response->get_header_value("Content-Type"))};
}

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

Result<void> writeAtomically(const QString &path, const QByteArray &bytes)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return failure(QStringLiteral("the folder %1 cannot be created")
                           .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath())));
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        return failure(out.errorString());
    return {};
}

} // namespace Loom::Runtime
