#include "runtime/server/livereload.h"

#include "runtime/project/projectwatcher.h"

#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <charconv>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcLiveReload, "loom.runtime.livereload", QtWarningMsg)

namespace {
std::string newId()
{
    return QByteArray::number(QRandomGenerator::system()->generate64(), 16).toStdString();
}
} // namespace

LiveReload::LiveReload(QString projectRoot)
    : m_root(std::move(projectRoot))
    , m_id(newId())
{}

LiveReload::~LiveReload()
{
    stop();
}

void LiveReload::start(std::function<void(const QStringList &)> onChange)
{
    if (m_watcher)
        return;
    ProjectWatcher::Options options;
    options.root = m_root;
    options.onChange = [this, onChange = std::move(onChange)](const QStringList &paths) {
        qCDebug(lcLiveReload) << "changed:" << paths;
        changed();
        if (onChange)
            onChange(paths);
    };
    m_watcher = std::make_unique<ProjectWatcher>(std::move(options));
    m_watcher->start();
}

void LiveReload::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    m_wake.notify_all();
    if (m_watcher)
        m_watcher->stop();
}

std::string LiveReload::version() const
{
    std::lock_guard lock(m_mutex);
    return m_id + '.' + std::to_string(m_count);
}

QByteArray LiveReload::scriptTag(const std::string &version)
{
    return "<script src=\"" + QByteArray(ScriptPath.data(), qsizetype(ScriptPath.size()))
           + "?since=" + QByteArray::fromStdString(version) + "\" async></script>";
}

QByteArray LiveReload::script()
{
    QFile file(QStringLiteral(":/loom/livereload.js"));
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcLiveReload) << "livereload.js is missing from this build";
        return {};
    }
    return file.readAll();
}

bool LiveReload::openStream()
{
    std::lock_guard lock(m_mutex);
    if (m_stopped || m_streams >= MaxStreams)
        return false;
    ++m_streams;
    return true;
}

void LiveReload::closeStream()
{
    std::lock_guard lock(m_mutex);
    --m_streams;
}

quint64 LiveReload::seenBy(std::string_view since) const
{
    std::lock_guard lock(m_mutex);
    const auto dot = since.find('.');
    if (dot == std::string_view::npos || since.substr(0, dot) != m_id)
        return m_count;
    quint64 seen = 0;
    const std::string_view number = since.substr(dot + 1);
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), seen);
    if (error != std::errc() || end != number.data() + number.size() || seen > m_count)
        return m_count;
    return seen;
}

LiveReload::Wait LiveReload::waitForChange(quint64 &seen, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, timeout, [&] { return m_stopped || m_count > seen; });
    if (m_stopped)
        return Wait::Stopped;
    if (m_count <= seen)
        return Wait::Idle;
    seen = m_count;
    return Wait::Changed;
}

void LiveReload::changed()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_count;
    }
    m_wake.notify_all();
}

} // namespace Loom::Runtime
