#include "runtime/vendor/vendorinterceptor.h"

#include "runtime/packages/pypicache.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QLoggingCategory>

namespace Loom::Runtime {

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcInterceptor, "loom.runtime.interceptor", QtWarningMsg)

bool isLocalUrl(const QUrl &url)
{
    const QString scheme = url.scheme();
    if (scheme != u"http" && scheme != u"https" && scheme != u"ws" && scheme != u"wss")
        return true; // blob:, data:, about:, chrome-devtools:, qrc:, file:
    const QString host = url.host().toLower();
    if (host == u"localhost" || host.endsWith(u".localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

VendorInterceptor::VendorInterceptor(VendorUrlMap map, QObject *parent)
    : QWebEngineUrlRequestInterceptor(parent)
    , m_map(std::move(map))
{}

void VendorInterceptor::setServer(const QUrl &baseUrl)
{
    std::lock_guard lock(m_mutex);
    m_server = baseUrl;
}

void VendorInterceptor::reset()
{
    std::lock_guard lock(m_mutex);
    m_summary = {};
    m_noted.clear();
    m_hosts.clear(); // a new run: the network may be back
}

void VendorInterceptor::checkHost(const QUrl &url)
{
    const QString host = url.host().toLower();
    if (host.isEmpty())
        return;
    const auto failed = [this](const QUrl &request, const QString &why) {
        FailedLoad load;
        load.url = request.toString(QUrl::RemoveUserInfo);
        load.reason = why;
        Q_EMIT loadFailed(load);
    };
    Host &entry = m_hosts[host];
    if (entry.known) {
        if (!entry.failure.isEmpty())
            failed(url, entry.failure);
        return;
    }
    entry.waiting.append(url);
    if (entry.waiting.size() > 1)
        return; // a lookup is under way
    QHostInfo::lookupHost(host, this, [this, host, failed](const QHostInfo &info) {
        auto it = m_hosts.find(host);
        if (it == m_hosts.end())
            return; // reset meanwhile
        it->second.known = true;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            it->second.failure = info.error() == QHostInfo::HostNotFound
                                     ? QStringLiteral("unreachable: offline, or no such host (%1 does not resolve)")
                                           .arg(host)
                                     : QStringLiteral("unreachable: %1").arg(info.errorString());
        }
        const QList<QUrl> waiting = std::exchange(it->second.waiting, {});
        if (!it->second.failure.isEmpty()) {
            for (const QUrl &request : waiting)
                failed(request, it->second.failure);
        }
    });
}

NetworkSummary VendorInterceptor::summary() const
{
    std::lock_guard lock(m_mutex);
    return m_summary;
}

void VendorInterceptor::interceptRequest(QWebEngineUrlRequestInfo &info)
{
    const QUrl url = info.requestUrl();
    if (isLocalUrl(url))
        return;
    QString noteText;
    QUrl redirect;
    {
        std::lock_guard lock(m_mutex);
        const auto match = m_map.match(url);
        if (match && !match->localPath.isEmpty() && !m_server.isEmpty()) {
            redirect = m_server.resolved(QUrl(VendorFiles::UrlPrefix + match->localPath));
            ++m_summary.mapped;
            if (!match->sameVersion && m_noted.insert(match->key + u' ' + match->asked).second) {
                noteText = u"The page asks for %1; Loom runs it with %2, the version it ships."_s.arg(
                    match->askedName(), m_map.servedName(match->key));
            }
        } else if (const QString pypi = PypiCache::loomPath(url); !pypi.isEmpty() && !m_server.isEmpty()) {
            // PyPI's index and wheels, for micropip: kept by Loom's PypiCache.
            redirect = m_server.resolved(QUrl(pypi));
            ++m_summary.mapped;
        } else {
            ++m_summary.externalCount;
            if (m_summary.external.size() < NetworkSummary::MaxExternal)
                m_summary.external.append(url.toString(QUrl::RemoveUserInfo));
        }
    }
    if (!redirect.isEmpty()) {
        qCDebug(lcInterceptor) << url << "->" << redirect;
        info.redirect(redirect);
    } else {
        qCDebug(lcInterceptor) << "leaves the machine:" << url;
        Q_EMIT external(url);
        checkHost(url);
    }
    if (!noteText.isEmpty())
        Q_EMIT note(noteText);
}

} // namespace Loom::Runtime
