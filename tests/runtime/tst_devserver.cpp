// The dev server over real HTTP on loopback: headers, types, caching, rewriting and refusals.
#include "runtime/server/devserver.h"

#include "tests/support/files.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>

#include <httplib.h>

#include <QElapsedTimer>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace Loom::Runtime;
using namespace Loom::TestSupport;

namespace {
const char Secret[] = "TOP-SECRET-OUTSIDE-THE-PROJECT";

struct Reply
{
    int status = 0;
    httplib::Headers headers;
    std::string body;
    QByteArray header(const char *name) const
    {
        const auto it = headers.find(name);
        return it == headers.end() ? QByteArray() : QByteArray::fromStdString(it->second);
    }
};
// The backlog of the TCP socket listening on 127.0.0.1:port, as the kernel reports it to `ss`
// (sock_diag: a listening socket's write-queue field is its backlog); -1 if not found.
int listenBacklog(quint16 port)
{
    const int sock = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
    if (sock < 0)
        return -1;
    struct
    {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = AF_INET;
    message.request.sdiag_protocol = IPPROTO_TCP;
    message.request.idiag_states = 1 << 10; // TCP_LISTEN
    int backlog = -1;
    if (send(sock, &message, sizeof message, 0) == ssize_t(sizeof message)) {
        char buffer[16384];
        for (bool done = false; !done;) {
            int length = int(recv(sock, buffer, sizeof buffer, 0));
            if (length <= 0)
                break;
            for (auto *header = reinterpret_cast<nlmsghdr *>(buffer); NLMSG_OK(header, length);
                 header = NLMSG_NEXT(header, length)) {
                if (header->nlmsg_type == NLMSG_DONE || header->nlmsg_type == NLMSG_ERROR) {
                    done = true;
                    break;
                }
                const auto *diag = static_cast<const inet_diag_msg *>(NLMSG_DATA(header));
                if (ntohs(diag->id.idiag_sport) == port)
                    backlog = int(diag->idiag_wqueue);
            }
        }
    }
    close(sock);
    return backlog;
}

// A connection that sent part of a request's headers and then nothing: a slow client.
int slowConnection(quint16 port)
{
    const int sock = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (sock < 0 || ::connect(sock, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return -1;
    const char partial[] = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    if (send(sock, partial, sizeof partial - 1, 0) < 0)
        return -1;
    return sock;
}
} // namespace

class tst_DevServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void isolationHeaders_onEveryResponse_data();
    void isolationHeaders_onEveryResponse();
    void mimeTypes_data();
    void mimeTypes();
    void traversalAttempt_isRejected_data();
    void traversalAttempt_isRejected();
    void foreignHost_isRefused_data();
    void foreignHost_isRefused();
    void unneededMethod_isRefused_data();
    void unneededMethod_isRefused();
    void head_sendsHeadersOnly();
    void projectFile_revalidatesAfterEdit();
    void runtimeFile_isCacheableForever();
    void interpreterPath_redirectsToVersionedRuntime_data();
    void interpreterPath_redirectsToVersionedRuntime();
    void pyodidePackage_goesThroughTheCache_data();
    void pyodidePackage_goesThroughTheCache();
    void html_isServedAsWritten();
    void html_forOtherBrowsers_isRewrittenOnTheFly_fileUntouched();
    void bridge_ridesOnCoreJs();
    void textBodies_areSentUncompressed();
    void failedProjectFile_isReported();
    void withoutIsolation_noIsolationHeaders();
    void takenPort_isClearError();
    void stop_withOpenConnection_returns();
    void bridgeEndpoints_areTheOriginsOwn();
    void duplicateHost_isRefused();
    void listenBacklog_matchesBrowsers();
    void slowConnections_doNotStarveThePage();
    void slowRequest_isClosedAtItsDeadline();
    void keepAlive_responsesAreNotDelayed();
    void debugRun_servesTheTracingBuildsAndItsScripts();
    void pyodideStdlib_isTheCompiledCopyUnlessNpmsIsAsked();

private:
    Reply request(const std::string &method, const std::string &path, httplib::Headers headers = {},
                  quint16 port = 0) const;

    QTemporaryDir m_dir;
    QString m_project;
    std::optional<VendorFiles> m_runtime;
    std::unique_ptr<DevServer> m_server;
};

void tst_DevServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto runtime = VendorFiles::load(VendorFiles::defaultDir());
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
    m_runtime = *runtime;

    m_project = m_dir.filePath(QStringLiteral("project"));
    QVERIFY(writeFile(m_dir.filePath(QStringLiteral("secret.txt")), Secret));
    QVERIFY(writeFile(
        m_project + QStringLiteral("/index.html"),
        "<!DOCTYPE html>\n<script type=\"module\" src=\"https://pyscript.net/releases/2025.11.1/core.js\"></script>\n"
        "<script type=\"mpy\">print(1)</script>\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/sub/page.html"),
                      "<html><head><script type=\"module\" src=\"../pyscript/core.js\"></script></head></html>\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/sub/index.html"), "<p>sub index</p>"));
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('hi')\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/config.json"), "{}"));
    QVERIFY(writeFile(m_project + QStringLiteral("/config.toml"), "name = 'x'\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/lib.mjs"), "export const a = 1;\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/lib.js"), "var a = 1;\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/module.wasm"), QByteArray("\0asm\1\0\0\0", 8)));
    QVERIFY(writeFile(m_project + QStringLiteral("/style.css"), "body{}"));
    QVERIFY(writeFile(m_project + QStringLiteral("/data.csv"), "a,b\n1,2\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/image.png"), "\x89PNG"));
    QVERIFY(writeFile(m_project + QStringLiteral("/pkg.whl"), "PK"));
    QVERIFY(writeFile(m_project + QStringLiteral("/.hidden"), Secret));
    // Links that lead out of the project.
    QVERIFY(QFile::link(m_dir.filePath(QStringLiteral("secret.txt")), m_project + QStringLiteral("/link.txt")));
    QVERIFY(QFile::link(m_dir.path(), m_project + QStringLiteral("/escape")));

    m_server = std::make_unique<DevServer>(DevServerOptions{m_project, *m_runtime, 0, true, {}});
    const auto started = m_server->start();
    QVERIFY2(started, qPrintable(started ? QString() : started.error()));
    QVERIFY(m_server->isListening());
    QVERIFY(m_server->port() != 0);
}

void tst_DevServer::cleanupTestCase()
{
    m_server.reset();
}

Reply tst_DevServer::request(const std::string &method, const std::string &path, httplib::Headers headers,
                             quint16 port) const
{
    httplib::Client client("127.0.0.1", port ? port : m_server->port());
    client.set_url_encode(false); // send hostile paths exactly as written
    client.set_follow_location(false);
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(headers);
    const auto result = client.send(req);
    if (!result)
        return {};
    return {result->status, result->headers, result->body};
}

void tst_DevServer::isolationHeaders_onEveryResponse_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("host"); // empty: the server's own
    QTest::addColumn<int>("status");
    QTest::newRow("page") << QByteArray("GET") << QByteArray("/index.html") << QByteArray() << 200;
    QTest::newRow("folder index") << QByteArray("GET") << QByteArray("/sub/") << QByteArray() << 200;
    QTest::newRow("runtime") << QByteArray("GET") << QByteArray("/__loom__/runtime/pyscript-0.7.31/core.js")
                             << QByteArray() << 200;
    QTest::newRow("404") << QByteArray("GET") << QByteArray("/missing.py") << QByteArray() << 404;
    QTest::newRow("reserved 404") << QByteArray("GET") << QByteArray("/__loom__/nothing") << QByteArray() << 404;
    QTest::newRow("traversal") << QByteArray("GET") << QByteArray("/../secret.txt") << QByteArray() << 403;
    QTest::newRow("redirect") << QByteArray("GET") << QByteArray("/pyscript/pyodide/pyodide.mjs") << QByteArray()
                              << 302;
    QTest::newRow("405") << QByteArray("DELETE") << QByteArray("/index.html") << QByteArray() << 405;
    QTest::newRow("421") << QByteArray("GET") << QByteArray("/index.html") << QByteArray("evil.example") << 421;
}

void tst_DevServer::isolationHeaders_onEveryResponse()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    httplib::Headers headers;
    if (!host.isEmpty())
        headers.emplace("Host", host.toStdString());
    const Reply reply = request(method.toStdString(), path.toStdString(), headers);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.header("Cross-Origin-Opener-Policy"), QByteArray("same-origin"));
    QCOMPARE(reply.header("Cross-Origin-Embedder-Policy"), QByteArray("require-corp"));
    // The runtime's bytes are public (pages ask for them on CDN URLs, redirected here); everything
    // else is the page's own origin's alone: another origin can neither read nor embed it.
    const bool runtime = path.startsWith("/__loom__/runtime/");
    QCOMPARE(reply.header("Cross-Origin-Resource-Policy"),
             runtime ? QByteArray("cross-origin") : QByteArray("same-origin"));
    QCOMPARE(reply.header("Access-Control-Allow-Origin"), runtime ? QByteArray("*") : QByteArray());
}

void tst_DevServer::mimeTypes_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("type");
    QTest::newRow("html") << QByteArray("/index.html") << QByteArray("text/html; charset=utf-8");
    QTest::newRow("mjs") << QByteArray("/lib.mjs") << QByteArray("text/javascript; charset=utf-8");
    QTest::newRow("js") << QByteArray("/lib.js") << QByteArray("text/javascript; charset=utf-8");
    QTest::newRow("wasm") << QByteArray("/module.wasm") << QByteArray("application/wasm");
    QTest::newRow("css") << QByteArray("/style.css") << QByteArray("text/css; charset=utf-8");
    QTest::newRow("json") << QByteArray("/config.json") << QByteArray("application/json");
    QTest::newRow("toml") << QByteArray("/config.toml") << QByteArray("application/toml");
    QTest::newRow("py") << QByteArray("/main.py") << QByteArray("text/x-python; charset=utf-8");
    QTest::newRow("csv") << QByteArray("/data.csv") << QByteArray("text/csv; charset=utf-8");
    QTest::newRow("png") << QByteArray("/image.png") << QByteArray("image/png");
    QTest::newRow("whl") << QByteArray("/pkg.whl") << QByteArray("application/zip");
    QTest::newRow("runtime mjs") << QByteArray("/__loom__/runtime/pyodide-314.0.2/pyodide.mjs")
                                 << QByteArray("text/javascript; charset=utf-8");
    QTest::newRow("runtime wasm") << QByteArray("/__loom__/runtime/pyodide-314.0.2/pyodide.asm.wasm")
                                  << QByteArray("application/wasm");
    QTest::newRow("runtime mpy wasm") << QByteArray("/__loom__/runtime/micropython-1.28.0-6/micropython.wasm")
                                      << QByteArray("application/wasm");
    QTest::newRow("runtime zip") << QByteArray("/__loom__/runtime/pyodide-314.0.2/python_stdlib.zip")
                                 << QByteArray("application/zip");
}

void tst_DevServer::mimeTypes()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, type);
    const Reply reply = request("GET", path.toStdString());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("Content-Type"), type);
}

void tst_DevServer::traversalAttempt_isRejected_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("dotdot") << QByteArray("/../secret.txt");
    QTest::newRow("dotdot deep") << QByteArray("/sub/../../secret.txt");
    QTest::newRow("dot dotdot") << QByteArray("/./../secret.txt");
    QTest::newRow("encoded dots") << QByteArray("/%2e%2e/secret.txt");
    QTest::newRow("encoded dots upper") << QByteArray("/%2E%2E/secret.txt");
    QTest::newRow("half encoded") << QByteArray("/.%2e/secret.txt");
    QTest::newRow("encoded slash") << QByteArray("/..%2fsecret.txt");
    QTest::newRow("all encoded") << QByteArray("/%2e%2e%2fsecret.txt");
    QTest::newRow("double encoded") << QByteArray("/%252e%252e/secret.txt");
    QTest::newRow("backslash") << QByteArray("/..\\secret.txt");
    QTest::newRow("encoded backslash") << QByteArray("/..%5csecret.txt");
    QTest::newRow("overlong utf8 dot") << QByteArray("/%c0%ae%c0%ae/secret.txt");
    QTest::newRow("absolute") << QByteArray("//etc/passwd");
    QTest::newRow("encoded absolute") << QByteArray("/%2fetc%2fpasswd");
    QTest::newRow("nul byte") << QByteArray("/index.html%00.txt");
    QTest::newRow("nul before dotdot") << QByteArray("/%00/../secret.txt");
    QTest::newRow("symlinked file") << QByteArray("/link.txt");
    QTest::newRow("symlinked folder") << QByteArray("/escape/secret.txt");
    QTest::newRow("hidden file") << QByteArray("/.hidden");
    QTest::newRow("runtime traversal") << QByteArray("/__loom__/runtime/../../secret.txt");
    QTest::newRow("runtime encoded traversal")
        << QByteArray("/__loom__/runtime/pyodide-314.0.2/%2e%2e/%2e%2e/runtime.json");
    QTest::newRow("interpreter path traversal") << QByteArray("/pyscript/pyodide/..%2f..%2fsecret.txt");
}

void tst_DevServer::traversalAttempt_isRejected()
{
    QFETCH(QByteArray, path);
    const Reply reply = request("GET", path.toStdString());
    QVERIFY2(reply.status >= 400, qPrintable(QStringLiteral("status %1").arg(reply.status)));
    QVERIFY(reply.body.find(Secret) == std::string::npos);
    QVERIFY(reply.body.find("root:") == std::string::npos);
}

void tst_DevServer::foreignHost_isRefused_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    const QByteArray port = QByteArray::number(m_server->port());
    QTest::newRow("own address") << "127.0.0.1:" + port << 200;
    QTest::newRow("localhost") << "localhost:" + port << 200;
    QTest::newRow("rebinding name") << "evil.example:" + port << 421;
    QTest::newRow("bare name") << QByteArray("evil.example") << 421;
    QTest::newRow("suffix trick") << "localhost.evil.example:" + port << 421;
    QTest::newRow("prefix trick") << "127.0.0.1:" + port + ".evil.example" << 421;
    QTest::newRow("other port") << QByteArray("127.0.0.1:1") << 421;
    QTest::newRow("no port") << QByteArray("127.0.0.1") << 421;
}

void tst_DevServer::foreignHost_isRefused()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    const Reply reply = request("GET", "/index.html", {{"Host", host.toStdString()}});
    QCOMPARE(reply.status, status);
    if (status != 200)
        QVERIFY(reply.body.find("PyScript") == std::string::npos);
}

void tst_DevServer::unneededMethod_isRefused_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::newRow("POST") << QByteArray("POST");
    QTest::newRow("PUT") << QByteArray("PUT");
    QTest::newRow("DELETE") << QByteArray("DELETE");
    QTest::newRow("PATCH") << QByteArray("PATCH");
    QTest::newRow("OPTIONS") << QByteArray("OPTIONS");
}

void tst_DevServer::unneededMethod_isRefused()
{
    QFETCH(QByteArray, method);
    const Reply reply = request(method.toStdString(), "/index.html");
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.header("Allow"), QByteArray("GET, HEAD"));
}

void tst_DevServer::head_sendsHeadersOnly()
{
    const Reply reply = request("HEAD", "/main.py");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.body.empty());
    // Same entity headers as a GET (the body may be compressed for a client that accepts it).
    const Reply get = request("GET", "/main.py");
    QCOMPARE(reply.header("Content-Length"), get.header("Content-Length"));
    QCOMPARE(reply.header("ETag"), get.header("ETag"));
    QCOMPARE(reply.header("Content-Type"), get.header("Content-Type"));
}

void tst_DevServer::projectFile_revalidatesAfterEdit()
{
    const Reply first = request("GET", "/main.py");
    QCOMPARE(first.status, 200);
    QCOMPARE(first.header("Cache-Control"), QByteArray("no-cache"));
    const QByteArray etag = first.header("ETag");
    QVERIFY(!etag.isEmpty());

    const Reply unchanged = request("GET", "/main.py", {{"If-None-Match", etag.toStdString()}});
    QCOMPARE(unchanged.status, 304);
    QVERIFY(unchanged.body.empty());

    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('edited')\n"));
    const Reply edited = request("GET", "/main.py", {{"If-None-Match", etag.toStdString()}});
    QCOMPARE(edited.status, 200);
    QCOMPARE(QByteArray::fromStdString(edited.body), QByteArray("print('edited')\n"));
    QVERIFY(edited.header("ETag") != etag);
}

void tst_DevServer::runtimeFile_isCacheableForever()
{
    const Reply reply = request("GET", "/__loom__/runtime/pyscript-0.7.31/core.js");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Cache-Control").contains("max-age=31536000"));
    QVERIFY(reply.header("Cache-Control").contains("immutable"));
    QFile original(m_runtime->rootDir() + QStringLiteral("/pyscript-0.7.31/core.js"));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QCOMPARE(QByteArray::fromStdString(reply.body), original.readAll());
}

void tst_DevServer::interpreterPath_redirectsToVersionedRuntime_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("location");
    QTest::newRow("pyodide") << QByteArray("/pyscript/pyodide/pyodide.mjs")
                             << QByteArray("/__loom__/runtime/pyodide-314.0.2/pyodide.mjs");
    QTest::newRow("pyodide in subfolder") << QByteArray("/sub/deeper/pyscript/pyodide/python_stdlib.zip")
                                          << QByteArray("/__loom__/runtime/pyodide-314.0.2/python_stdlib.zip");
    QTest::newRow("micropython") << QByteArray("/pyscript/micropython/micropython.mjs")
                                 << QByteArray("/__loom__/runtime/micropython-1.28.0-6/micropython.mjs");
    QTest::newRow("micropython variant") << QByteArray("/sub/pyscript/micropython/micropython-ulab.wasm")
                                         << QByteArray("/__loom__/runtime/micropython-1.28.0-6/micropython-ulab.wasm");
}

void tst_DevServer::interpreterPath_redirectsToVersionedRuntime()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, location);
    const Reply reply = request("GET", path.toStdString());
    QCOMPARE(reply.status, 302);
    QCOMPARE(reply.header("Location"), location);
    QCOMPARE(request("GET", location.toStdString()).status, 200);
}

// Loom vendors Pyodide, not its packages: a package file Pyodide asks for next to its lock file is
// sent to Pyodide's own CDN for the same version; nothing else leaves the machine.
void tst_DevServer::pyodidePackage_goesThroughTheCache_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("says");
    const QByteArray base = "/__loom__/runtime/pyodide-314.0.2/";
    // The upstream of this server is a closed port: a package not cached cannot be had, and the
    // answer says which, from where, and what to do.
    QTest::newRow("package of the lock, upstream unreachable")
        << base + "micropip-0.11.1-py3-none-any.whl" << 502
        << QByteArray("package micropip (micropip-0.11.1-py3-none-any.whl) is not in Loom's package cache");
    QTest::newRow("not in the lock") << base + "numpy-2.2.5-cp313-cp313-pyodide_2025_0_wasm32.whl" << 404
                                     << QByteArray("its lock does not list it");
    QTest::newRow("another version") << QByteArray("/__loom__/runtime/pyodide-0.27.0/numpy-1.whl") << 404
                                     << QByteArray();
    QTest::newRow("not a package") << base + "notes.txt" << 404 << QByteArray();
    QTest::newRow("a folder below") << base + "sub/numpy-1.whl" << 404 << QByteArray();
    QTest::newRow("micropython") << QByteArray("/__loom__/runtime/micropython-1.28.0-6/x-1.whl") << 404 << QByteArray();
    QTest::newRow("vendored file still local") << base + "pyodide.mjs" << 200 << QByteArray();
}

void tst_DevServer::pyodidePackage_goesThroughTheCache()
{
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QByteArray, says);
    QTemporaryDir cache;
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.packageCacheDir = cache.path();
    options.packageUpstream = QUrl(QStringLiteral("http://127.0.0.1:9/full/")); // discard port: refused
    DevServer server(std::move(options));
    QVERIFY(server.start());
    const Reply reply = request("GET", path.toStdString(), {}, server.port());
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.body.find(says.toStdString()) != std::string::npos, reply.body.c_str());
    QCOMPARE(reply.header("Cross-Origin-Embedder-Policy"), QByteArray("require-corp")); // still isolated
    QVERIFY(QDir(cache.path()).isEmpty());                                              // nothing half-fetched is kept
}

void tst_DevServer::html_isServedAsWritten()
{
    // Loom's own pages: the runtime is answered at the network layer, the page is the file.
    const Reply reply = request("GET", "/sub/page.html");
    QCOMPARE(reply.status, 200);
    QFile onDisk(m_project + QStringLiteral("/sub/page.html"));
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    QCOMPARE(QByteArray::fromStdString(reply.body), onDisk.readAll());
}

void tst_DevServer::html_forOtherBrowsers_isRewrittenOnTheFly_fileUntouched()
{
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.rewritePages = true; // `loom serve`
    DevServer forBrowsers(std::move(options));
    QVERIFY(forBrowsers.start());
    const Reply reply = request("GET", "/sub/page.html", {}, forBrowsers.port());
    QCOMPARE(reply.status, 200);
    const QByteArray body = QByteArray::fromStdString(reply.body);
    QVERIFY(body.contains("<script offline type=\"module\" src=\"/__loom__/runtime/pyscript-0.7.31/core.js\">"));
    QFile onDisk(m_project + QStringLiteral("/sub/page.html"));
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    QVERIFY(onDisk.readAll().contains("src=\"../pyscript/core.js\""));
}

void tst_DevServer::bridge_ridesOnCoreJs()
{
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.bridge = DevServerOptions::Bridge{QStringLiteral("t0ken"), {}};
    DevServer bridged(std::move(options));
    QVERIFY(bridged.start());
    QFile original(m_runtime->rootDir() + QStringLiteral("/pyscript-0.7.31/core.js"));
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray core = original.readAll();

    const Reply withBridge = request("GET", "/__loom__/runtime/pyscript-0.7.31/core.js", {}, bridged.port());
    QCOMPARE(withBridge.status, 200);
    QCOMPARE(QByteArray::fromStdString(withBridge.body), core + "\nimport \"/__loom__/bridge/instrument.js\";\n");
    QCOMPARE(withBridge.header("Cache-Control"), QByteArray("no-store")); // never mixed up with a bare core
    const Reply script = request("GET", "/__loom__/bridge/instrument.js", {}, bridged.port());
    QCOMPARE(script.status, 200);
    QVERIFY(script.body.find("/__loom__/bridge/events/t0ken") != std::string::npos);
    // The page itself is untouched, and without a bridge core.js is PyScript's.
    const Reply page = request("GET", "/index.html", {}, bridged.port());
    QVERIFY(page.body.find("instrument.js") == std::string::npos);
    QCOMPARE(QByteArray::fromStdString(request("GET", "/__loom__/runtime/pyscript-0.7.31/core.js").body), core);
}

void tst_DevServer::textBodies_areSentUncompressed()
{
    // Chromium accepts compressed bodies; on loopback, compressing them costs Loom and the
    // browser CPU and saves nothing, and a plain server does not compress either.
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.bridge = DevServerOptions::Bridge{QStringLiteral("t0ken"), {}};
    DevServer bridged(std::move(options));
    QVERIFY(bridged.start());
    const httplib::Headers chromium{{"Accept-Encoding", "gzip, deflate, br, zstd"}};
    for (const char *path :
         {"/index.html", "/__loom__/runtime/pyscript-0.7.31/core.js", "/__loom__/bridge/instrument.js"}) {
        const Reply reply = request("GET", path, chromium, bridged.port());
        QCOMPARE(reply.status, 200);
        QVERIFY2(!reply.headers.contains("Content-Encoding"), path);
        QCOMPARE(reply.header("Content-Length"), QByteArray::number(qsizetype(reply.body.size())));
    }
}

void tst_DevServer::failedProjectFile_isReported()
{
    DevServer server({m_project, *m_runtime, 0, true, {}});
    std::mutex mutex;
    QStringList failures;
    server.setFailureHandler([&](const FailedLoad &load) {
        std::lock_guard lock(mutex);
        failures << QStringLiteral("%1 %2").arg(QUrl(load.url).path(), load.reason.section(u' ', 1, 1));
    });
    QVERIFY(server.start());
    QCOMPARE(request("GET", "/missing.py", {}, server.port()).status, 404);
    QCOMPARE(request("GET", "/main.py", {}, server.port()).status, 200);
    QCOMPARE(request("GET", "/favicon.ico", {}, server.port()).status, 404); // the browser's own asking
    server.stop();
    QCOMPARE(failures, QStringList{QStringLiteral("/missing.py 404")});
}

void tst_DevServer::withoutIsolation_noIsolationHeaders()
{
    DevServer plain({m_project, *m_runtime, 0, false, {}});
    QVERIFY(plain.start());
    const Reply reply = request("GET", "/index.html", {}, plain.port());
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.header("Cross-Origin-Opener-Policy").isEmpty());
    QVERIFY(reply.header("Cross-Origin-Embedder-Policy").isEmpty());
}

void tst_DevServer::takenPort_isClearError()
{
    DevServer second({m_project, *m_runtime, m_server->port(), true, {}});
    const auto started = second.start();
    QVERIFY(!started);
    QVERIFY2(started.error().contains(QString::number(m_server->port())), qPrintable(started.error()));
}

void tst_DevServer::stop_withOpenConnection_returns()
{
    DevServer server({m_project, *m_runtime, 0, true, {}});
    QVERIFY(server.start());
    // A keep-alive client that never closes must not keep stop() waiting for ever.
    httplib::Client client("127.0.0.1", server.port());
    client.set_keep_alive(true);
    QCOMPARE(client.Get("/main.py")->status, 200);
    server.stop();
    QVERIFY(!server.isListening());
    QVERIFY(!client.Get("/main.py"));
}

// The page's own endpoints answer no other origin: the bridge script (it holds the
// run's token) is not readable cross-origin, and batches must be exactly JSON (or JSON with a
// worker's records, of their own type).
void tst_DevServer::bridgeEndpoints_areTheOriginsOwn()
{
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.bridge = DevServerOptions::Bridge{QStringLiteral("t0ken"), {}};
    DevServer bridged(std::move(options));
    QVERIFY(bridged.start());
    const Reply script = request("GET", "/__loom__/bridge/instrument.js", {{"Origin", "http://evil.example"}},
                                 bridged.port());
    QCOMPARE(script.status, 200);
    QCOMPARE(script.header("Access-Control-Allow-Origin"), QByteArray());
    QCOMPARE(script.header("Cross-Origin-Resource-Policy"), QByteArray("same-origin"));

    httplib::Client client("127.0.0.1", bridged.port());
    const auto post = [&](const char *type) {
        const auto result = client.Post("/__loom__/bridge/events/t0ken", R"({"events": []})", type);
        return result ? result->status : 0;
    };
    QCOMPARE(post("application/json-evil"), 415);
    QCOMPARE(post("text/plain"), 415);
    QCOMPARE(post("application/json; charset=utf-8"), 204);
    QCOMPARE(post("Application/JSON"), 204);
    // A batch with a worker's records (its JSON, a newline, none here) has its own exact type.
    const auto postRecords = [&](const char *type) {
        const auto result = client.Post("/__loom__/bridge/events/t0ken", "{\"events\": []}\n", type);
        return result ? result->status : 0;
    };
    QCOMPARE(postRecords("application/x-loom-batch"), 204);
    QCOMPARE(postRecords("application/x-loom-batch-evil"), 415);
    QCOMPARE(post("application/x-loom-batch"), 400); // no records after the JSON
}

void tst_DevServer::duplicateHost_isRefused()
{
    const std::string own = "127.0.0.1:" + std::to_string(m_server->port());
    httplib::Headers foreignFirst{{"Host", "evil.example"}, {"Host", own}};
    QCOMPARE(request("GET", "/index.html", foreignFirst).status, 400);
    httplib::Headers twice{{"Host", own}, {"Host", own}};
    QCOMPARE(request("GET", "/index.html", twice).status, 400);
}

void tst_DevServer::listenBacklog_matchesBrowsers()
{
    // cpp-httplib listens with 5; 1,000 concurrent connections then took a minute.
    const int backlog = listenBacklog(m_server->port());
    qInfo("listen backlog %d", backlog);
    QVERIFY2(backlog >= 128, qPrintable(QString::number(backlog)));
}

void tst_DevServer::slowConnections_doNotStarveThePage()
{
    // Each slow client holds a server thread while it trickles its headers: 100 of them, more
    // than the 16 threads kept ready, and the page is still served.
    std::vector<int> slow;
    for (int i = 0; i < 100; ++i) {
        const int sock = slowConnection(m_server->port());
        QVERIFY(sock >= 0);
        slow.push_back(sock);
    }
    // They go on trickling a byte of a header every 200 ms: no read time-out frees their threads
    // (their request deadline would, after 10 s).
    std::atomic<bool> trickling = true;
    std::thread trickle([&] {
        while (trickling) {
            for (int sock : slow)
                send(sock, "a", 1, MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    });
    QTest::qWait(300); // the server has taken them all
    const Reply page = request("GET", "/index.html");
    trickling = false;
    trickle.join();
    for (int sock : slow)
        close(sock);
    QCOMPARE(page.status, 200);
}

void tst_DevServer::slowRequest_isClosedAtItsDeadline()
{
    // A byte of a header every 100 ms never meets a read time-out; the request's deadline (here
    // 300 ms, 10 s by default) closes the connection and frees its thread.
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.requestDeadline = std::chrono::milliseconds(300);
    DevServer server(options);
    QVERIFY(server.start());
    const int sock = slowConnection(server.port());
    QVERIFY(sock >= 0);
    bool closed = false;
    for (int i = 0; i < 300 && !closed; ++i) { // 30 s at most: without a deadline it never closes
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        char byte;
        const ssize_t n = recv(sock, &byte, 1, MSG_DONTWAIT);
        closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || send(sock, "a", 1, MSG_NOSIGNAL) < 0;
    }
    close(sock);
    QVERIFY2(closed, "the server kept a trickling request open for 30 s");
    // A request in time is still answered.
    httplib::Client client("127.0.0.1", server.port());
    const auto page = client.Get("/index.html");
    QVERIFY(page);
    QCOMPARE(page->status, 200);
}

void tst_DevServer::keepAlive_responsesAreNotDelayed()
{
    // With Nagle's algorithm each response after the first on a kept-alive connection waited for
    // the client's delayed ACK, about 40 ms. A generous bound on the median (the issue's choice).
    httplib::Client client("127.0.0.1", m_server->port());
    client.set_keep_alive(true);
    std::vector<qint64> micros;
    for (int i = 0; i < 21; ++i) {
        QElapsedTimer timer;
        timer.start();
        const auto result = client.Get("/main.py");
        QVERIFY(result && result->status == 200);
        micros.push_back(timer.nsecsElapsed() / 1000);
    }
    std::sort(micros.begin(), micros.end());
    QVERIFY2(micros[micros.size() / 2] < 20'000,
             qPrintable(QStringLiteral("median %1 µs").arg(micros[micros.size() / 2])));
}

// A debug run (switched per page load) imports the debugger after the bridge, serves its script
// with the run's breakpoints, and answers MicroPython's plain build with its settrace build; the
// plain URL is revalidated each time (an ETag per body), so a kept cache cannot mix them up.
void tst_DevServer::debugRun_servesTheTracingBuildsAndItsScripts()
{
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.bridge = DevServerOptions::Bridge{QStringLiteral("t0ken"), {}};
    DevServer server(std::move(options));
    QVERIFY(server.start());
    const auto bytesOf = [this](const char *file) {
        QFile wasm(m_runtime->rootDir() + QStringLiteral("/micropython-1.28.0-6/") + QString::fromLatin1(file));
        return wasm.open(QIODevice::ReadOnly) ? wasm.readAll().toStdString() : std::string();
    };
    const std::string wasmPath = "/__loom__/runtime/micropython-1.28.0-6/micropython.wasm";

    const Reply plain = request("GET", wasmPath, {}, server.port());
    QCOMPARE(plain.status, 200);
    QVERIFY(plain.body == bytesOf("micropython.wasm"));
    QCOMPARE(plain.header("Cache-Control"), QByteArray("no-cache"));
    QCOMPARE(request("GET", "/__loom__/bridge/debugger.js", {}, server.port()).status, 404);

    std::atomic<int> hits = 0;
    QVERIFY(server.setDebug(DevServerOptions::Debug{
        R"({"breakpoints": [{"file": "w.py", "line": 3}], "scripts": [], "selector": "script"})", [&hits](DebugHit) {
            ++hits;
            return std::string(R"({"action": "continue"})");
        }}));
    const Reply core = request("GET", "/__loom__/runtime/pyscript-0.7.31/core.js", {}, server.port());
    QVERIFY(QByteArray::fromStdString(core.body).endsWith(
        "import \"/__loom__/bridge/instrument.js\";\nimport \"/__loom__/bridge/debugger.js\";\n"));
    const Reply script = request("GET", "/__loom__/bridge/debugger.js", {}, server.port());
    QCOMPARE(script.status, 200);
    QVERIFY(script.body.find(R"("line":3)") != std::string::npos);
    QVERIFY(script.body.find("/__loom__/debug/t0ken") != std::string::npos);
    QVERIFY(script.body.find("def _boot") != std::string::npos); // loom_debug.py, inside

    // The plain build's ETag does not match the traced body: a kept copy is replaced.
    const Reply traced = request("GET", wasmPath, {{"If-None-Match", plain.header("ETag").toStdString()}},
                                 server.port());
    QCOMPARE(traced.status, 200);
    QVERIFY(traced.body == bytesOf("micropython-settrace.wasm"));
    QVERIFY(traced.header("ETag") != plain.header("ETag"));

    // A hit reaches the receiver, which answers for the thread.
    httplib::Client client("127.0.0.1", server.port());
    const auto answer = client.Post("/__loom__/debug/t0ken", R"({"thread": "worker:w", "file": "w.py", "line": 3})",
                                    "application/json");
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(answer->body, std::string(R"({"action": "continue"})"));
    QCOMPARE(hits.load(), 1);

    QVERIFY(server.setDebug(std::nullopt));
    const Reply again = request("GET", wasmPath, {{"If-None-Match", traced.header("ETag").toStdString()}},
                                server.port());
    QCOMPARE(again.status, 200);
    QVERIFY(again.body == bytesOf("micropython.wasm"));
}

// Pyodide's python_stdlib.zip is answered with the runtime's copy whose modules are compiled,
// (an offline copy's path in the project is sent there too); a server told to serve npm's archive (--upstream-stdlib) serves
// that. One URL, two bodies: revalidated each time, an ETag each, so a kept cache cannot mix them.
void tst_DevServer::pyodideStdlib_isTheCompiledCopyUnlessNpmsIsAsked()
{
    const VendorComponent *pyodide = m_runtime->component(u"pyodide");
    QVERIFY(pyodide);
    QCOMPARE(pyodide->precompiledStdlib, QStringLiteral("python_stdlib.pyc.zip"));
    QVERIFY(!pyodide->files.contains(pyodide->precompiledStdlib)); // so an export ships npm's
    const auto bytesOf = [&](const QString &file) {
        QFile f(m_runtime->rootDir() + u'/' + pyodide->dir + u'/' + file);
        return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
    };
    const std::string npms = bytesOf(QStringLiteral("python_stdlib.zip"));
    const std::string compiled = bytesOf(pyodide->precompiledStdlib);
    QVERIFY(!npms.empty());
    QVERIFY(!compiled.empty() && compiled != npms);
    const std::string path = "/__loom__/runtime/" + pyodide->dir.toStdString() + "/python_stdlib.zip";

    const Reply served = request("GET", path);
    QCOMPARE(served.status, 200);
    QVERIFY(served.body == compiled);
    QCOMPARE(served.header("Content-Type"), QByteArray("application/zip"));
    QCOMPARE(served.header("Cache-Control"), QByteArray("no-cache"));
    QCOMPARE(request("GET", path, {{"If-None-Match", served.header("ETag").toStdString()}}).status, 304);

    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.precompiledStdlib = false;
    DevServer upstream(std::move(options));
    QVERIFY(upstream.start());
    const Reply asShipped = request("GET", path, {{"If-None-Match", served.header("ETag").toStdString()}},
                                    upstream.port());
    QCOMPARE(asShipped.status, 200);
    QVERIFY(asShipped.body == npms);
    QVERIFY(asShipped.header("ETag") != served.header("ETag"));
    QCOMPARE(asShipped.header("Cache-Control"), QByteArray("no-cache"));
}

QTEST_GUILESS_MAIN(tst_DevServer)
#include "tst_devserver.moc"
