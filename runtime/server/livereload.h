#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace Loom::Runtime {

class ProjectWatcher;

// `loom serve --reload`: pages open in any browser reload when a file of the project changes.
// The server puts scriptTag() into each HTML page it serves as a document (never into the file,
// never into an export); that script (resources/livereload.js) opens an event stream at
// EventsPath and reloads the page at its "reload" event. The page carries the version it was
// served at ("ID.N": this server's id, its count of changes), so a change made between serving
// the page and opening its stream still reloads it, and a page of an earlier server (restarted)
// reconnects without reloading. Thread-safe: the streams wait on server threads.
class LiveReload final
{
public:
    static constexpr std::string_view ScriptPath = "/__loom__/reload.js";
    static constexpr std::string_view EventsPath = "/__loom__/reload/events";
    // Each open stream holds a server thread and a connection: past this many, a stream is refused
    // (503: the browser's EventSource then stops asking) so pages always have threads left.
    static constexpr int MaxStreams = 64;

    explicit LiveReload(QString projectRoot);
    ~LiveReload(); // stop()
    LiveReload(const LiveReload &) = delete;
    LiveReload &operator=(const LiveReload &) = delete;

    // Watches the project (ProjectWatcher: its own thread); returns once its first snapshot is
    // taken. `onChange`, if set, hears each change too (on the watcher's thread).
    void start(std::function<void(const QStringList &)> onChange = {});
    // Ends every open stream (waitForChange says Stopped from now on) and the watching.
    void stop();

    // "ID.N": this server's id and how many changes it has seen.
    std::string version() const;
    // The element put into a page served at `version`, before its </head>: one line.
    static QByteArray scriptTag(const std::string &version);
    // resources/livereload.js, as served at ScriptPath.
    static QByteArray script();

    // A stream's side. openStream() admits at most MaxStreams at once (false: refuse it);
    // every admitted stream ends with closeStream().
    bool openStream();
    void closeStream();
    // The count a page served at `since` ("ID.N", from its script's URL) has seen: N when ID is
    // this server's, else (another server's page, or none) the count now.
    quint64 seenBy(std::string_view since) const;
    enum class Wait { Changed, Idle, Stopped };
    // Blocks until the count passes `seen` (Changed: `seen` is the count now), `timeout` passes
    // (Idle) or stop() is called (Stopped).
    Wait waitForChange(quint64 &seen, std::chrono::milliseconds timeout);

    // Files of the project changed: every stream says "reload". The watcher calls it.
    void changed();

private:
    const QString m_root;
    const std::string m_id; // random per server: a restarted server's pages are not its own
    std::unique_ptr<ProjectWatcher> m_watcher;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    quint64 m_count = 0;
    int m_streams = 0;
    bool m_stopped = false;
};

} // namespace Loom::Runtime
