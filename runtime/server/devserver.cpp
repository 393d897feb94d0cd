#include "runtime/server/devserver.h"

#include <QRandomGenerator>

#include "runtime/packages/packagecache.h"
#include "runtime/packages/projectpackages.h"
#include "runtime/packages/pypicache.h"
#include "runtime/project/htmlrewriter.h"
#include "runtime/project/projectpath.h"
#include "runtime/server/livereload.h"
#include "runtime/server/mimetypes.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <format>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Loom::Runtime {

Q_LOGGING_CATEGORY(lcDevServer, "loom.runtime.devserver", QtWarningMsg)

namespace fs = std::filesystem;

namespace {

const char LoopbackAddress[] = "127.0.0.1";
const std::string RuntimePrefix = QString(VendorFiles::UrlPrefix).toStdString();
const std::string PypiPrefix = std::string(PypiCache::UrlPrefix.data(), PypiCache::UrlPrefix.size());
const std::string ReservedPrefix = "/__loom__/";
constexpr std::chrono::milliseconds KeepAlive{2000};
constexpr size_t MaxRequestBody = 1 << 20;
constexpr size_t ServerThreads = 16;
// Threads grow past ServerThreads while every one is busy (a slow client holds its thread until
// its request's deadline), up to this many; beyond it, connections wait their turn.
constexpr size_t MaxServerThreads = 256;
constexpr std::chrono::milliseconds ReadTimeout{5000};
constexpr std::chrono::milliseconds WriteTimeout{10000};
// What browsers use; cpp-httplib listens with 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into
// Debian's libcpp-httplib), which made 1,000 concurrent connections take a minute.
constexpr int ListenBacklog = 511;

// The media type of a Content-Type, lower case, without its parameters ("; charset=…"); compared
// exactly, never by prefix ("application/json-evil" is not JSON).
std::string mediaType(const std::string &value)
{
    const std::string type = value.substr(0, value.find(';'));
    const auto begin = type.find_first_not_of(" \t");
    const auto end = type.find_last_not_of(" \t");
    if (begin == std::string::npos)
        return {};
    std::string media = type.substr(begin, end - begin + 1);
    std::transform(media.begin(), media.end(), media.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return media;
}

bool isJsonContentType(const std::string &value)
{
    return mediaType(value) == "application/json";
}

// cpp-httplib's TaskQueue with threads that grow on demand: `base` always, up to `max` while all
// are busy. A slow connection costs one thread, not the page's turn.
class ElasticPool final : public httplib::TaskQueue
{
public:
    ElasticPool(size_t base, size_t max)
        : m_max(max)
    {
        std::lock_guard lock(m_mutex);
        for (size_t i = 0; i < base; ++i)
            m_threads.emplace_back([this] { work(); });
    }
    ~ElasticPool() override = default;

    bool enqueue(std::function<void()> job) override
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_shutdown)
                return false;
            m_jobs.push_back(std::move(job));
            if (m_idle < m_jobs.size() && m_threads.size() < m_max)
                m_threads.emplace_back([this] { work(); });
        }
        m_ready.notify_one();
        return true;
    }

    void shutdown() override
    {
        {
            std::lock_guard lock(m_mutex);
            m_shutdown = true;
        }
        m_ready.notify_all();
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(m_mutex);
            threads.swap(m_threads);
        }
        for (std::thread &thread : threads)
            thread.join();
    }

private:
    void work()
    {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                ++m_idle;
                m_ready.wait(lock, [this] { return m_shutdown || !m_jobs.empty(); });
                --m_idle;
                if (m_jobs.empty())
                    return; // shut down, nothing left
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            job();
        }
    }

    const size_t m_max;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    size_t m_idle = 0;
    bool m_shutdown = false;
};

// A file that does not change while Loom runs (the vendored runtime, a cached package, written by
// rename), mapped read-only: its bytes are a response body that DeadlineStream hands to the socket
// with sendfile(), as nginx does, instead of copying them through a send() buffer.
class MappedFile
{
public:
    static std::shared_ptr<const MappedFile> open(const fs::path &path)
    {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return nullptr;
        struct stat info{};
        if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
            ::close(fd);
            return nullptr;
        }
        auto file = std::shared_ptr<MappedFile>(new MappedFile(fd, size_t(info.st_size)));
        if (file->m_size > 0) {
            void *data = ::mmap(nullptr, file->m_size, PROT_READ, MAP_SHARED, fd, 0);
            if (data == MAP_FAILED)
                return nullptr;
            file->m_data = static_cast<const char *>(data);
        }
        return file;
    }
    ~MappedFile()
    {
        if (m_data)
            ::munmap(const_cast<char *>(m_data), m_size);
        ::close(m_fd);
    }
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const char *data() const { return m_data ? m_data : ""; }
    size_t size() const { return m_size; }
    int fd() const { return m_fd; }

private:
    MappedFile(int fd, size_t size)
        : m_fd(fd)
        , m_size(size)
    {}
    const int m_fd;
    const size_t m_size;
    const char *m_data = nullptr;
};

// The mapped file whose bytes the current thread is writing to a socket, if any (set by setBody's
// content provider around each DataSink::write, read by DeadlineStream::write).
thread_local const MappedFile *t_writingFile = nullptr;

// cpp-httplib's socket stream, with one addition: a deadline for reading a whole request. Its own
// read time-out is per recv(), so a client trickling a header byte every few seconds held a
// thread for ever; here every read of one request (line, headers, body) shares one deadline.
class DeadlineStream final : public httplib::Stream
{
public:
    explicit DeadlineStream(int socket)
        : m_socket(socket)
    {}

    void startRequest(std::chrono::steady_clock::time_point deadline) { m_deadline = deadline; }

    bool is_readable() const override { return m_bufferBegin < m_bufferEnd || wait(POLLIN, readTimeout()) > 0; }
    bool is_writable() const override { return wait(POLLOUT, WriteTimeout) > 0 && isAlive(); }

    ssize_t read(char *ptr, size_t size) override
    {
        if (m_bufferBegin == m_bufferEnd) {
            if (!is_readable())
                return -1;
            // cpp-httplib reads headers a byte at a time: small reads are served from a buffer.
            if (size < m_buffer.size()) {
                const ssize_t n = receive(m_buffer.data(), m_buffer.size());
                if (n <= 0)
                    return n;
                m_bufferBegin = 0;
                m_bufferEnd = size_t(n);
            } else {
                return receive(ptr, size);
            }
        }
        const size_t n = std::min(size, m_bufferEnd - m_bufferBegin);
        std::memcpy(ptr, m_buffer.data() + m_bufferBegin, n);
        m_bufferBegin += n;
        return ssize_t(n);
    }

    ssize_t write(const char *ptr, size_t size) override
    {
        if (!is_writable())
            return -1;
        ssize_t n;
        const MappedFile *file = t_writingFile;
        if (file && ptr >= file->data() && size <= file->size() - size_t(ptr - file->data())) {
            off_t offset = ptr - file->data();
            do {
                n = ::sendfile(m_socket, file->fd(), &offset, size);
            } while (n < 0 && errno == EINTR);
            return n;
        }
        do {
            n = ::send(m_socket, ptr, size, MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        return n;
    }

    void get_remote_ip_and_port(std::string &ip, int &port) const override { address(&getpeername, ip, port); }
    void get_local_ip_and_port(std::string &ip, int &port) const override { address(&getsockname, ip, port); }
    socket_t socket() const override { return m_socket; }

private:
    std::chrono::milliseconds readTimeout() const
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline
                                                                                - std::chrono::steady_clock::now());
        return std::clamp(left, std::chrono::milliseconds{0}, ReadTimeout);
    }
    int wait(short events, std::chrono::milliseconds timeout) const
    {
        pollfd fd{m_socket, events, 0};
        int n;
        do {
            n = ::poll(&fd, 1, int(timeout.count()));
        } while (n < 0 && errno == EINTR);
        return n > 0 && (fd.revents & (events | POLLHUP | POLLERR)) ? n : (n < 0 ? -1 : 0);
    }
    // What cpp-httplib checks before each write: the peer has not closed the connection.
    bool isAlive() const
    {
        if (wait(POLLIN, std::chrono::milliseconds{0}) == 0)
            return true;
        char byte;
        return ::recv(m_socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
    }
    ssize_t receive(char *ptr, size_t size)
    {
        ssize_t n;
        do {
            n = ::recv(m_socket, ptr, size, 0);
        } while (n < 0 && errno == EINTR);
        return n;
    }
    void address(int (*query)(int, sockaddr *, socklen_t *), std::string &ip, int &port) const
    {
        sockaddr_storage addr{};
        socklen_t length = sizeof addr;
        char host[NI_MAXHOST];
        char service[NI_MAXSERV];
        if (query(m_socket, reinterpret_cast<sockaddr *>(&addr), &length) == 0
            && getnameinfo(reinterpret_cast<sockaddr *>(&addr), length, host, sizeof host, service, sizeof service,
                           NI_NUMERICHOST | NI_NUMERICSERV)
                   == 0) {
            ip = host;
            port = std::atoi(service);
        }
    }

    const int m_socket;
    std::chrono::steady_clock::time_point m_deadline = std::chrono::steady_clock::time_point::max();
    std::array<char, 4096> m_buffer{};
    size_t m_bufferBegin = 0;
    size_t m_bufferEnd = 0;
};

// cpp-httplib's server with DeadlineStream in its connection loop (cpp-httplib's own loop, as in
// Server::process_and_close_socket: keep-alive, then one request at a time).
class HttpServer final : public httplib::Server
{
public:
    std::chrono::milliseconds requestDeadline{10000};
    std::chrono::milliseconds keepAlive{2000};

private:
    bool process_and_close_socket(socket_t sock) override
    {
        DeadlineStream stream(sock);
        std::string remoteIp, localIp;
        int remotePort = 0, localPort = 0;
        stream.get_remote_ip_and_port(remoteIp, remotePort);
        stream.get_local_ip_and_port(localIp, localPort);
        bool ok = false;
        for (size_t left = keep_alive_max_count_; left > 0 && waitForRequest(sock); --left) {
            // The deadline runs from the request's first byte.
            stream.startRequest(std::chrono::steady_clock::now() + requestDeadline);
            bool closed = false;
            ok = process_request(stream, remoteIp, remotePort, localIp, localPort, left == 1, closed, nullptr);
            if (!ok || closed)
                break;
        }
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        return ok;
    }

    // Idle between requests: until bytes arrive, the keep-alive time ends or the server stops.
    bool waitForRequest(socket_t sock) const
    {
        using namespace std::chrono;
        constexpr milliseconds Slice{50}; // how soon stop() ends idle connections
        const auto end = steady_clock::now() + keepAlive;
        for (;;) {
            if (svr_sock_ == INVALID_SOCKET)
                return false;
            const auto left = duration_cast<milliseconds>(end - steady_clock::now());
            if (left < milliseconds{0})
                return false;
            pollfd fd{sock, POLLIN, 0};
            const int n = ::poll(&fd, 1, int(std::min(left, Slice).count()));
            if (n > 0)
                return true;
            if (n < 0 && errno != EINTR)
                return false;
        }
    }
};

// PyScript's offline recipe puts its dist in ./pyscript/ and the interpreters in
// ./pyscript/{pyodide,micropython}/, and the `offline` attribute makes pages load
// ./pyscript/<interpreter>/<interpreter>.mjs relative to themselves, in any subfolder. A project
// that does not ship those files gets the runtime's.
const QRegularExpression &runtimePathPattern()
{
    static const QRegularExpression re(QStringLiteral("^(?:.*/)?pyscript/(?:(pyodide|micropython)/)?([^/]+)$"));
    return re;
}

std::string readFile(const fs::path &path, bool &ok)
{
    std::ifstream in(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ok = in.good() || in.eof();
    return data;
}

std::string hexHash(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex().left(16).toStdString();
}

bool etagMatches(const httplib::Request &req, const std::string &etag)
{
    const std::string header = req.get_header_value("If-None-Match");
    return !header.empty() && (header == etag || header == "*" || header.find(etag) != std::string::npos);
}

// A mapped file as the body, shared: the response may outlive a cache entry's replacement.
void setBody(httplib::Response &res, std::shared_ptr<const MappedFile> file, const QString &fileName)
{
    const size_t size = file->size();
    res.set_content_provider(size, mimeTypeForFileName(fileName).toStdString(),
                             [file = std::move(file)](size_t offset, size_t length, httplib::DataSink &sink) {
                                 t_writingFile = file.get();
                                 const bool written = sink.write(file->data() + offset, length);
                                 t_writingFile = nullptr;
                                 return written;
                             });
}

// The runtime's files and PyPI's are public bytes, and pages ask for them on CDN URLs that Loom's
// interceptor redirects here: a request from another origin, whose answer must allow any origin.
void allowCrossOrigin(httplib::Response &res)
{
    if (res.has_header("Cross-Origin-Resource-Policy")) {
        res.headers.erase("Cross-Origin-Resource-Policy");
        res.set_header("Cross-Origin-Resource-Policy", "cross-origin");
    }
    res.set_header("Access-Control-Allow-Origin", "*");
}

void setError(httplib::Response &res, int status, const QString &message)
{
    res.status = status;
    res.set_content(message.toStdString() + '\n', "text/plain; charset=utf-8");
}

} // namespace

class DevServer::Private
{
public:
    explicit Private(DevServerOptions o)
        : options(std::move(o))
    {}

    void configure();
    bool checkRequest(const httplib::Request &req, httplib::Response &res) const;
    void serve(const httplib::Request &req, httplib::Response &res);
    void serveRuntime(const std::string &below, const httplib::Request &req, httplib::Response &res);
    void serveProjectFile(const fs::path &file, const httplib::Request &req, httplib::Response &res);
    void serveReloadEvents(const httplib::Request &req, httplib::Response &res);
    std::shared_ptr<const MappedFile> runtimeFile(const QString &path);
    void serveOneOfTwo(const httplib::Request &req, httplib::Response &res, const std::string &etag,
                       const QString &served);

    DevServerOptions options;
    fs::path root;
    HttpServer server;
    std::thread thread;
    std::atomic<int> boundPort = 0;
    int listeningSocket = -1; // set by the socket-options hook, before bind
    static constexpr size_t MaxNotes = 1000;
    std::mutex notedMutex;
    std::set<QString> noted;
    std::function<void(const QString &)> noteHandler;
    std::function<void(const FailedLoad &)> failureHandler;
    std::function<void(const PackageProgress &)> packageProgress;
    std::function<void(const QStringList &)> reloadHandler;
    std::unique_ptr<LiveReload> liveReload; // with options.reload, from start() on
    void failed(const httplib::Request &req, int status, const QString &reason, httplib::Response &res)
    {
        setError(res, status, reason);
        if (failureHandler && req.path != "/favicon.ico") {
            FailedLoad load;
            load.url = QStringLiteral("http://%1:%2%3")
                           .arg(QLatin1StringView(LoopbackAddress))
                           .arg(boundPort.load())
                           .arg(QString::fromStdString(req.path));
            load.reason = QStringLiteral("HTTP %1 from Loom's server: %2").arg(status).arg(reason);
            failureHandler(load);
        }
    }
    // The vendored Pyodide's packages: read at the first package request, on a server thread
    // (never in start(), which the IDE calls on its UI thread, and most pages ask for none).
    const PyodideLock *pyodideLock();
    std::once_flag lockOnce;
    std::optional<PyodideLock> lock;
    std::unique_ptr<PackageCache> packages;
    std::unique_ptr<PypiCache> pypi;
    void servePypi(const std::string &below, const httplib::Request &req, httplib::Response &res);
    // A file of a cache (Pyodide's packages, PyPI's wheels): immutable, obtained on a miss.
    void serveKept(const httplib::Request &req, httplib::Response &res, const std::string &etag,
                   const QString &fileName, const std::function<Result<QString>()> &obtain);
    void servePackage(const LockedFile &file, const httplib::Request &req, httplib::Response &res);
    std::string coreBelow; // "pyscript-0.7.31/core.js": served with the bridge's import
    QByteArray rewriteKey; // part of HTML ETags: the same file rewritten differently is a new entity

    QByteArray instrumentScript; // resources/bridge/instrument.js with this run's URLs
    std::string eventsPath;      // /__loom__/bridge/events/<token>
    std::string debugPath;       // /__loom__/debug/<token>
    // A debug run's state, switched by setDebug between page loads: read under debugMutex.
    struct DebugState
    {
        QByteArray script; // resources/bridge/debugger.js with the run's breakpoints
        std::function<std::string(DebugHit)> onHit;
    };
    mutable std::mutex debugMutex;
    std::shared_ptr<const DebugState> debugState;
    std::shared_ptr<const DebugState> currentDebug() const
    {
        std::lock_guard lock(debugMutex);
        return debugState;
    }
    Result<> setDebug(std::optional<DevServerOptions::Debug> debug);
    void receiveBatch(const httplib::Request &req, httplib::Response &res);
    void receiveDebugHit(const httplib::Request &req, httplib::Response &res);

    std::mutex cacheMutex;
    std::map<QString, std::shared_ptr<const MappedFile>> runtimeCache;
};

void DevServer::Private::configure()
{
    // The project and Loom's endpoints are the page's own: no CORS, and CORP same-origin, so a
    // page of another origin (the user's everyday browser while Loom runs) can neither read nor
    // embed them. The runtime's files and PyPI's are public bytes: allowCrossOrigin() there.
    httplib::Headers headers;
    if (options.isolationHeaders) {
        headers = {{"Cross-Origin-Opener-Policy", "same-origin"},
                   {"Cross-Origin-Embedder-Policy", "require-corp"},
                   {"Cross-Origin-Resource-Policy", "same-origin"}};
    }
    headers.emplace("X-Content-Type-Options", "nosniff");
    server.set_default_headers(headers);
    // cpp-httplib's default adds SO_REUSEPORT, which would let a second Loom share the port. The
    // listening socket is kept to raise its backlog after bind (see start()).
    server.set_socket_options([this](int socket) {
        const int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        listeningSocket = socket;
    });
    server.new_task_queue = [] { return new ElasticPool(ServerThreads, MaxServerThreads); };
    server.keepAlive = KeepAlive;
    // What the Keep-Alive response header announces (cpp-httplib writes it from this).
    server.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(KeepAlive).count());
    server.requestDeadline = options.requestDeadline;
    // Headers and body leave in separate writes: with Nagle's algorithm every response after the
    // first on a kept-alive connection waited for the peer's delayed ACK (about 40 ms).
    server.set_tcp_nodelay(true);
    // Also the sockets' SO_RCVTIMEO and SO_SNDTIMEO, which cpp-httplib sets at accept.
    server.set_read_timeout(ReadTimeout);
    server.set_write_timeout(WriteTimeout);
    server.set_payload_max_length(MaxRequestBody);

    server.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &res) {
        // httplib compresses every text body a client accepts compressed (Brotli, gzip), and has
        // no switch for it. On loopback that is CPU spent twice (here and in the browser) for
        // bytes that cost nothing to send (the primes sample's cold start spent about 24 ms in
        // Brotli). The request is httplib's own, not const; it is only handed over as such.
        const_cast<httplib::Request &>(req).headers.erase("Accept-Encoding");
        return checkRequest(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                      : httplib::Server::HandlerResponse::Handled;
    });
    server.Get(".*", [this](const httplib::Request &req, httplib::Response &res) {
        try {
            serve(req, res);
        } catch (const std::exception &error) {
            qCWarning(lcDevServer) << "request failed:" << req.path.c_str() << error.what();
            setError(res, 500, QStringLiteral("Loom could not serve this file."));
        }
    });
    if (options.bridge) {
        server.Post(eventsPath,
                    [this](const httplib::Request &req, httplib::Response &res) { receiveBatch(req, res); });
    }
    if (options.bridge) {
        server.Post(debugPath,
                    [this](const httplib::Request &req, httplib::Response &res) { receiveDebugHit(req, res); });
    }
    server.set_error_handler([](const httplib::Request &, httplib::Response &res) {
        if (res.body.empty())
            setError(res, res.status, QString::fromLatin1(httplib::status_message(res.status)));
    });
    server.set_exception_handler([](const httplib::Request &, httplib::Response &res, std::exception_ptr) {
        setError(res, 500, QStringLiteral("internal error"));
    });
    server.set_logger([](const httplib::Request &req, const httplib::Response &res) {
        qCDebug(lcDevServer).nospace() << req.method.c_str() << ' ' << req.target.c_str() << " -> " << res.status;
    });
}

bool DevServer::Private::checkRequest(const httplib::Request &req, httplib::Response &res) const
{
    // One Host: with two, which one a proxy or check reads differs, so neither is trusted.
    if (req.get_header_value_count("Host") != 1) {
        setError(res, 400, QStringLiteral("A request has exactly one Host header."));
        return false;
    }
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    const std::string host = req.get_header_value("Host");
    const std::string port = std::to_string(boundPort.load());
    if (host != LoopbackAddress + (':' + port) && host != "localhost:" + port) {
        setError(res, 421,
                 QStringLiteral("Loom's server answers only to 127.0.0.1:%1.").arg(QString::fromStdString(port)));
        return false;
    }
    // POST only for the bridge. It must be application/json (or a batch with records), which a page of another origin
    // can only send after a CORS preflight; OPTIONS is refused, so no other page can forge events.
    const bool bridgePost = req.method == "POST" && options.bridge && (req.path == eventsPath || req.path == debugPath);
    if (req.method != "GET" && req.method != "HEAD" && !bridgePost) {
        res.set_header("Allow", "GET, HEAD");
        setError(res, 405, QStringLiteral("Only GET and HEAD are served."));
        return false;
    }
    return true;
}

void DevServer::Private::serve(const httplib::Request &req, httplib::Response &res)
{
    const std::string &path = req.path; // already percent-decoded by httplib
    if (path.starts_with(RuntimePrefix))
        return serveRuntime(path.substr(RuntimePrefix.size()), req, res);
    if (path.starts_with(PypiPrefix))
        return servePypi(path.substr(PypiPrefix.size()), req, res);
    if (path == "/__loom__/bridge/instrument.js" && options.bridge) {
        res.set_header("Cache-Control", "no-store");
        res.set_content(instrumentScript.toStdString(), "text/javascript; charset=utf-8");
        return;
    }
    if (path == "/__loom__/bridge/debugger.js") {
        if (const auto debug = currentDebug()) {
            res.set_header("Cache-Control", "no-store");
            res.set_content(debug->script.toStdString(), "text/javascript; charset=utf-8");
            return;
        }
    }
    if (liveReload && path == LiveReload::ScriptPath) {
        res.set_header("Cache-Control", "no-cache");
        res.set_content(LiveReload::script().toStdString(), "text/javascript; charset=utf-8");
        return;
    }
    if (liveReload && path == LiveReload::EventsPath)
        return serveReloadEvents(req, res);
    if (path.starts_with(ReservedPrefix))
        return setError(res, 404, QStringLiteral("No such Loom resource."));

    const auto file = resolveProjectPath(root, path);
    std::error_code missing;
    if (!file || !fs::exists(*file, missing)) {
        const auto runtimeFile = runtimePathPattern().match(QString::fromStdString(path));
        if (runtimeFile.hasMatch()) {
            const QString key = runtimeFile.captured(1).isEmpty() ? QStringLiteral("pyscript")
                                                                  : runtimeFile.captured(1);
            const QString target = options.runtime.urlPath(key, runtimeFile.capturedView(2));
            if (!options.runtime.localFile(target.mid(VendorFiles::UrlPrefix.size())).isEmpty()) {
                // A redirect, so that the module's import.meta.url, and with it every file the
                // interpreter fetches next, lands on the versioned, cacheable path.
                res.set_redirect(target.toStdString(), 302);
                res.set_header("Cache-Control", "no-cache");
                return;
            }
        }
    }
    if (!file)
        return failed(req, file.error().httpStatus, file.error().reason, res);
    serveProjectFile(*file, req, res);
}

// A runtime URL with two bodies (which one, the run decides): revalidated at each load, with an
// ETag per body, so a browser that keeps its cache (the IDE's) gets the right one for each run.
void DevServer::Private::serveOneOfTwo(const httplib::Request &req, httplib::Response &res, const std::string &etag,
                                       const QString &served)
{
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", etag);
    if (etagMatches(req, etag)) {
        res.status = 304;
        return;
    }
    const auto file = served.isEmpty() ? nullptr : runtimeFile(served);
    if (!file)
        return setError(res, 500, QStringLiteral("The runtime file cannot be read."));
    setBody(res, file, served);
}

std::shared_ptr<const MappedFile> DevServer::Private::runtimeFile(const QString &path)
{
    std::lock_guard lock(cacheMutex);
    auto &slot = runtimeCache[path];
    if (!slot)
        slot = MappedFile::open(path.toStdString());
    return slot;
}

void DevServer::Private::serveRuntime(const std::string &below, const httplib::Request &req, httplib::Response &res)
{
    allowCrossOrigin(res);
    const QString local = options.runtime.localFile(QString::fromStdString(below));
    if (local.isEmpty()) {
        // Loom vendors Pyodide, not its packages (numpy alone is megabytes): a package file the
        // lock names (pyodide-lock.json sits here, so Pyodide asks here) comes through the
        // package cache, fetched once from Pyodide's CDN folder and checked against the lock.
        const QString path = QString::fromStdString(below);
        const QString pyodideDir = options.runtime.component(u"pyodide")->dir + u'/';
        const QString name = path.mid(pyodideDir.size());
        if (path.startsWith(pyodideDir) && isPackageFileName(name) && pyodideLock()) {
            if (const LockedFile *file = pyodideLock()->byFileName(name))
                return servePackage(*file, req, res);
            return failed(req, 404,
                          QStringLiteral("%1 is not a package of Pyodide %2 (its lock does not list it).")
                              .arg(name, options.runtime.version(u"pyodide")),
                          res);
        }
        return setError(res, 404, QStringLiteral("No such runtime file."));
    }
    if (options.bridge && below == coreBelow) {
        // The bridge rides on core.js itself: whatever loads PyScript loads the bridge, after
        // core's bundle has run (its hooks exist) and before any worker can start (core defines
        // its script types only after its plugins' imports resolve). Per server: never cached.
        res.set_header("Cache-Control", "no-store");
        const auto file = runtimeFile(local);
        if (!file)
            return setError(res, 500, QStringLiteral("The runtime file cannot be read."));
        std::string body = std::string(file->data(), file->size()) + "\nimport \"/__loom__/bridge/instrument.js\";\n";
        if (currentDebug()) // after the bridge: a debug run is a bridged run with a tracer in each interpreter
            body += "import \"/__loom__/bridge/debugger.js\";\n";
        res.set_content(std::move(body), "text/javascript; charset=utf-8");
        return;
    }
    // MicroPython has sys.settrace only in its settrace build, which PyScript loads when a config
    // says `debug = true`. A debug run serves that build for the plain one, to every MicroPython
    // interpreter of the page, whatever its config. The plain build's URL thus has two bodies.
    const QString path = QString::fromStdString(below);
    const QString micropythonDir = options.runtime.component(u"micropython")->dir + u'/';
    static const QRegularExpression plainWasm(QStringLiteral("^micropython(-ulab)?\\.wasm$"));
    if (const auto match = plainWasm.matchView(QStringView(path).mid(micropythonDir.size()));
        path.startsWith(micropythonDir) && match.hasMatch()) {
        if (!currentDebug())
            return serveOneOfTwo(req, res, '"' + below + '"', local);
        return serveOneOfTwo(req, res, '"' + below + "+settrace\"",
                             options.runtime.localFile(
                                 QString(micropythonDir + u"micropython-settrace" + match.captured(1) + u".wasm")));
    }
    // Pyodide's standard library as npm ships it is source only: each interpreter would compile
    // every module it imports while it starts (about 1.4 s of a Pyodide worker's start,
    // BENCHMARKS.md). In its place, the same archive with each module's bytecode
    // (cmake/precompile_stdlib.mjs), unless the run asked for npm's (--upstream-stdlib).
    if (const QString compiled = options.runtime.precompiledStdlib(path); !compiled.isEmpty()) {
        if (!options.precompiledStdlib)
            return serveOneOfTwo(req, res, '"' + below + '"', local);
        return serveOneOfTwo(req, res, '"' + below + "+pyc\"", compiled);
    }
    const std::string etag = '"' + below + '"'; // the path is versioned
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    res.set_header("ETag", etag);
    if (etagMatches(req, etag)) {
        res.status = 304;
        return;
    }
    const auto file = runtimeFile(local);
    if (!file)
        return setError(res, 500, QStringLiteral("The runtime file cannot be read."));
    setBody(res, file, local);
}

const PyodideLock *DevServer::Private::pyodideLock()
{
    std::call_once(lockOnce, [this] {
        auto loaded = runtimeLock(options.runtime);
        if (loaded)
            lock = std::move(*loaded);
        else
            qCWarning(lcDevServer) << "no Pyodide packages:" << loaded.error();
    });
    return lock ? &*lock : nullptr;
}

void DevServer::Private::servePypi(const std::string &below, const httplib::Request &req, httplib::Response &res)
{
    allowCrossOrigin(res);
    const QString path = QString::fromStdString(below);
    if (path.startsWith(u"simple/")) {
        const QString name = path.mid(7).chopped(path.endsWith(u'/') ? 1 : 0);
        auto index = pypi->index(name);
        if (!index)
            return failed(req, 502, index.error() + u' ' + fetchAdvice(options.projectRoot), res);
        if (!index->note.isEmpty() && noteHandler)
            noteHandler(index->note);
        res.status = index->status;
        res.set_header("Cache-Control", "no-cache");
        res.set_content(index->json.toStdString(),
                        std::string(PypiCache::IndexType.data(), PypiCache::IndexType.size()));
        return;
    }
    if (path.startsWith(u"files/")) {
        const QString below = path.mid(6);
        return serveKept(req, res, '"' + below.toStdString() + '"', below.section(u'/', -1),
                         [&] { return pypi->file(below, packageProgress); });
    }
    setError(res, 404, QStringLiteral("No such Loom resource."));
}

void DevServer::Private::servePackage(const LockedFile &file, const httplib::Request &req, httplib::Response &res)
{
    serveKept(req, res, '"' + file.sha256.toStdString() + '"', file.fileName,
              [&] { return obtainPackage(*packages, file, packageProgress); });
}

void DevServer::Private::serveKept(const httplib::Request &req, httplib::Response &res, const std::string &etag,
                                   const QString &fileName, const std::function<Result<QString>()> &obtain)
{
    // A package file's bytes never change under its name: the browser keeps it, and asks again
    // (a 304, no fetch) only when it lost it.
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    res.set_header("ETag", etag);
    if (etagMatches(req, etag)) {
        res.status = 304;
        return;
    }
    const auto path = obtain();
    if (!path)
        return failed(req, 502, path.error() + u' ' + fetchAdvice(options.projectRoot), res);
    auto file = MappedFile::open(path->toStdString());
    if (!file)
        return failed(req, 500, QStringLiteral("The cached file %1 cannot be read.").arg(*path), res);
    setBody(res, std::move(file), fileName);
}

void DevServer::Private::serveProjectFile(const fs::path &file, const httplib::Request &req, httplib::Response &res)
{
    std::error_code error;
    const auto size = fs::file_size(file, error);
    const auto mtime = fs::last_write_time(file, error).time_since_epoch().count();
    if (error)
        return failed(req, 404, QStringLiteral("no such file in the project"), res);

    const QString name = QString::fromStdString(file.filename().string());
    const bool isHtml = name.endsWith(u".html", Qt::CaseInsensitive) || name.endsWith(u".htm", Qt::CaseInsensitive);
    std::string etag = std::format("\"{:x}-{:x}", size, static_cast<unsigned long long>(mtime));
    if (isHtml && options.rewritePages)
        etag += "-" + hexHash(rewriteKey);
    // Live reload's script goes into pages a browser shows (a navigation; a browser without Fetch
    // Metadata sends no Sec-Fetch-Dest), not into HTML a page fetches or frames. It carries the
    // version the page was served at: part of the entity, so a page is served anew after any change.
    const std::string fetchDest = req.get_header_value("Sec-Fetch-Dest");
    const bool reloadable = isHtml && liveReload && (fetchDest.empty() || fetchDest == "document");
    const std::string version = reloadable ? liveReload->version() : std::string();
    if (reloadable)
        etag += "-r" + version;
    etag += '"';

    // Project files change while the user edits: always revalidate, never serve stale.
    res.set_header("Cache-Control", "no-cache");
    if (isHtml && liveReload)
        res.set_header("Vary", "Sec-Fetch-Dest");
    res.set_header("ETag", etag);
    if (etagMatches(req, etag)) {
        res.status = 304;
        return;
    }

    bool ok = false;
    std::string body = readFile(file, ok);
    if (!ok)
        return setError(res, 500, QStringLiteral("the file cannot be read"));
    if (isHtml && options.rewritePages) {
        const RewriteOptions rewrite{
            options.runtime.urlPath(u"pyscript", u"core.js"), options.runtime.urlPath(u"pyscript", u"core.css"),
            options.runtime.version(u"pyscript"), options.runtime.component(u"pyscript")->release, true};
        RewriteResult result = rewriteHtml(QByteArray::fromStdString(body), rewrite);
        if (noteHandler) {
            // Once per page and note, not at every reload.
            for (const QString &note : std::as_const(result.notes)) {
                const QString text = QString::fromStdString(req.path) + u": " + note;
                std::lock_guard lock(notedMutex);
                if (noted.size() < MaxNotes && noted.insert(text).second)
                    noteHandler(text);
            }
        }
        body = result.html.toStdString();
    }
    if (reloadable)
        body = insertBeforeHeadEnd(QByteArray::fromStdString(body), LiveReload::scriptTag(version)).toStdString();
    res.set_content(std::move(body), mimeTypeForFileName(name).toStdString());
}

// An event stream that says "reload" once files of the project changed since the page was served
// (its `since`). It holds its server thread and connection while the page is open: the pool grows
// past its kept threads for it (ElasticPool), the request deadline bounds only reading the request,
// and the wait below comes back every second, so a page gone (the loop's is_writable) or the
// server stopping (LiveReload::stop) frees the thread within about a second.
void DevServer::Private::serveReloadEvents(const httplib::Request &req, httplib::Response &res)
{
    if (!liveReload->openStream())
        return setError(res, 503, QStringLiteral("Too many pages are open for live reload."));
    quint64 seen = liveReload->seenBy(req.get_param_value("since"));
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider(
        "text/event-stream",
        [reload = liveReload.get(), seen, greeted = false](size_t, httplib::DataSink &sink) mutable {
            if (!greeted) {
                greeted = true; // the browser tries again a second after losing the stream
                static constexpr std::string_view Retry = "retry: 1000\n\n";
                return sink.write(Retry.data(), Retry.size());
            }
            switch (reload->waitForChange(seen, std::chrono::seconds(1))) {
            case LiveReload::Wait::Changed: {
                const std::string event = "event: reload\ndata: " + std::to_string(seen) + "\n\n";
                return sink.write(event.data(), event.size());
            }
            case LiveReload::Wait::Idle:
                return true;
            case LiveReload::Wait::Stopped:
                break;
            }
            sink.done(); // a stream that ends cleanly: the browser tries again later, and logs nothing
            return true;
        },
        [reload = liveReload.get()](bool) { reload->closeStream(); });
}

void DevServer::Private::receiveBatch(const httplib::Request &req, httplib::Response &res)
{
    // A batch with a worker's records is not JSON as a whole, and has a type of its own; neither
    // type is one another origin may send without asking first (CORS).
    const std::string type = mediaType(req.get_header_value("Content-Type"));
    if (type != "application/json" && type != RecordBatchType)
        return setError(
            res, 415,
            QStringLiteral("bridge batches are application/json or %1").arg(QLatin1StringView(RecordBatchType)));
    auto batch = type == RecordBatchType ? parseRecordBatch(req.body) : parseEventBatch(req.body);
    if (!batch)
        return setError(res, 400, batch.error());
    if (options.bridge->onBatch)
        options.bridge->onBatch(std::move(*batch));
    res.status = 204;
}

void DevServer::Private::receiveDebugHit(const httplib::Request &req, httplib::Response &res)
{
    if (!isJsonContentType(req.get_header_value("Content-Type")))
        return setError(res, 415, QStringLiteral("debug hits are application/json"));
    auto hit = parseDebugHit(req.body);
    if (!hit)
        return setError(res, 400, hit.error());
    hit->t = double(QDateTime::currentMSecsSinceEpoch());
    const auto debug = currentDebug();
    // What the thread does next: the receiver's answer (it may wait while the thread is paused);
    // without one, or a page of an earlier debug run, go on.
    std::string action = debug && debug->onHit ? debug->onHit(std::move(*hit)) : std::string();
    res.set_content(action.empty() ? std::string(R"({"action": "continue"})") : std::move(action), "application/json");
}

Result<> DevServer::Private::setDebug(std::optional<DevServerOptions::Debug> debug)
{
    if (!debug) {
        std::lock_guard lock(debugMutex);
        debugState.reset();
        return {};
    }
    if (!options.bridge)
        return failure(QStringLiteral("A debug run needs the page bridge."));
    if (debugPath.empty())
        return failure(QStringLiteral("The server has not started."));
    QFile script(QStringLiteral(":/loom/bridge/debugger.js"));
    QFile tracer(QStringLiteral(":/loom/bridge/loom_debug.py"));
    if (!script.open(QIODevice::ReadOnly) || !tracer.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("Loom's debugger (debugger.js, loom_debug.py) is missing from this build."));
    auto config = nlohmann::json::parse(debug->config, nullptr, /*allow_exceptions=*/false);
    if (!config.is_object())
        return failure(QStringLiteral("The debug run's configuration is not a JSON object."));
    config["endpoint"] = debugPath;
    auto state = std::make_shared<DebugState>();
    state->script = script.readAll()
                        .replace("__LOOM_DEBUG_CONFIG__", QByteArray::fromStdString(config.dump()))
                        .replace("__LOOM_DEBUG_PY__",
                                 QByteArray::fromStdString(nlohmann::json(tracer.readAll().toStdString()).dump()));
    state->onHit = std::move(debug->onHit);
    std::lock_guard lock(debugMutex);
    debugState = std::move(state);
    return {};
}

Result<> DevServer::setDebug(std::optional<DevServerOptions::Debug> debug)
{
    return d->setDebug(std::move(debug));
}

DevServer::DevServer(DevServerOptions options)
    : d(std::make_unique<Private>(std::move(options)))
{}

DevServer::~DevServer()
{
    stop();
}

void DevServer::setNoteHandler(std::function<void(const QString &)> handler)
{
    d->noteHandler = std::move(handler);
}

void DevServer::setPackageProgressHandler(std::function<void(const PackageProgress &)> handler)
{
    d->packageProgress = std::move(handler);
}

void DevServer::setReloadHandler(std::function<void(const QStringList &)> handler)
{
    d->reloadHandler = std::move(handler);
}

void DevServer::setFailureHandler(std::function<void(const FailedLoad &)> handler)
{
    d->failureHandler = std::move(handler);
}

Result<> DevServer::start()
{
    Q_ASSERT(!d->thread.joinable());
    std::error_code error;
    d->root = fs::canonical(d->options.projectRoot.toStdString(), error);
    if (error || !fs::is_directory(d->root))
        return failure(QStringLiteral("The project folder %1 does not exist.").arg(d->options.projectRoot));
    d->coreBelow = d->options.runtime.urlPath(u"pyscript", u"core.js").mid(VendorFiles::UrlPrefix.size()).toStdString();
    if (d->options.bridge) {
        QFile script(QStringLiteral(":/loom/bridge/instrument.js"));
        if (!script.open(QIODevice::ReadOnly))
            return failure(QStringLiteral("Loom's page bridge (instrument.js) is missing from this build."));
        d->eventsPath = QString(BridgeEventsPath + d->options.bridge->token).toStdString();
        d->instrumentScript = script.readAll().replace("__LOOM_ENDPOINT__", QByteArray::fromStdString(d->eventsPath));
    }
    if (d->options.bridge)
        d->debugPath = QString(DebugPath + d->options.bridge->token).toStdString();
    d->rewriteKey = d->options.runtime.version(u"pyscript").toUtf8();
    PackageCache::Options cache = runtimeCacheOptions(d->options.runtime);
    if (!d->options.packageCacheDir.isEmpty())
        cache.dir = d->options.packageCacheDir;
    if (!d->options.packageUpstream.isEmpty())
        cache.upstream = d->options.packageUpstream;
    d->packages = std::make_unique<PackageCache>(std::move(cache));
    d->pypi = std::make_unique<PypiCache>(PypiCache::defaults());
    d->configure();

    const int port = d->options.port == 0
                         ? d->server.bind_to_any_port(LoopbackAddress)
                         : (d->server.bind_to_port(LoopbackAddress, d->options.port) ? d->options.port : -1);
    if (port <= 0) {
        return failure(
            QStringLiteral("Cannot listen on 127.0.0.1:%1 (is another program using the port?).").arg(d->options.port));
    }
    d->boundPort = port;
    if (d->options.reload) { // once the port is ours, before the thread that answers requests
        d->liveReload = std::make_unique<LiveReload>(QString::fromStdString(d->root.string()));
        d->liveReload->start(d->reloadHandler);
    }
    // Linux takes a second listen() on a listening socket as a new backlog.
    if (d->listeningSocket >= 0 && ::listen(d->listeningSocket, ListenBacklog) != 0)
        qCWarning(lcDevServer) << "cannot raise the listen backlog:" << strerror(errno);
    d->thread = std::thread([this] { d->server.listen_after_bind(); });
    d->server.wait_until_ready();
    qCInfo(lcDevServer) << "serving" << d->options.projectRoot << "at" << baseUrl().toString();
    return {};
}

void DevServer::stop()
{
    if (!d->thread.joinable())
        return;
    if (d->liveReload)
        d->liveReload->stop(); // its streams end, so the pool's threads can be joined
    d->server.stop();
    d->thread.join();
    d->boundPort = 0;
}

bool DevServer::isListening() const
{
    return d->thread.joinable() && d->server.is_running();
}

quint16 DevServer::port() const
{
    return quint16(d->boundPort.load());
}

QUrl DevServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port()));
}

QString DevServer::newBridgeToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

} // namespace Loom::Runtime
