// Live reload (`loom serve --reload`): what the project watcher counts as a change, how it groups a
// burst of events, and the server's side: the script in served pages and the event stream.
#include "runtime/project/projectwatcher.h"
#include "runtime/server/devserver.h"

#include "tests/support/files.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <httplib.h>

#include <atomic>
#include <mutex>
#include <thread>

using namespace Loom::Runtime;
using namespace Loom::TestSupport;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitMs = 20'000;

// What a watcher reported, in order; filled on the watcher's thread.
class Reports
{
public:
    std::function<void(const QStringList &)> receiver()
    {
        return [this](const QStringList &paths) {
            std::lock_guard lock(m_mutex);
            m_reports.append(paths);
        };
    }
    QList<QStringList> all() const
    {
        std::lock_guard lock(m_mutex);
        return m_reports;
    }
    qsizetype count() const { return all().size(); }

private:
    mutable std::mutex m_mutex;
    QList<QStringList> m_reports;
};

// A browser's EventSource, as far as the test needs one: the stream of /__loom__/reload/events
// read on a thread of its own until it says "reload" (or the test ends).
class EventStream
{
public:
    EventStream(quint16 port, const std::string &since)
        : m_client("127.0.0.1", port)
    {
        m_client.set_read_timeout(std::chrono::seconds(60));
        m_thread = std::thread([this, since] {
            const auto result = m_client.Get("/__loom__/reload/events?since=" + since,
                                             [this](const char *data, size_t length) {
                                                 std::lock_guard lock(m_mutex);
                                                 m_text.append(data, length);
                                                 return m_text.find("event: reload") == std::string::npos;
                                             });
            std::lock_guard lock(m_mutex);
            m_status = result ? result->status : -1;
            m_ended = true;
        });
    }
    ~EventStream()
    {
        m_client.stop();
        m_thread.join();
    }
    std::string text() const
    {
        std::lock_guard lock(m_mutex);
        return m_text;
    }
    bool isOpen() const { return text().starts_with("retry:"); }
    bool reloaded() const { return text().find("event: reload") != std::string::npos; }
    // The count the reload event carried ("data: N"), -1 before it.
    int reloadCount() const
    {
        static const QRegularExpression data(QStringLiteral("event: reload\ndata: (\\d+)\n\n"));
        const auto match = data.match(QString::fromStdString(text()));
        return match.hasMatch() ? match.captured(1).toInt() : -1;
    }
    bool ended() const
    {
        std::lock_guard lock(m_mutex);
        return m_ended;
    }

private:
    httplib::Client m_client;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::string m_text;
    int m_status = 0;
    bool m_ended = false;
};

// The version a served page carries in its live-reload script's URL.
std::string sinceOf(const std::string &page)
{
    static const QRegularExpression since(QStringLiteral("/__loom__/reload\\.js\\?since=([0-9a-f]+\\.\\d+)\""));
    return since.match(QString::fromStdString(page)).captured(1).toStdString();
}

// Writes a file the way editors that save by rename do (QSaveFile: a temporary file beside it,
// then renamed over it).
bool saveByRename(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

} // namespace

class tst_LiveReload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void snapshot_leavesHiddenNamesOut();
    void changedFiles_namesAddedRemovedAndChanged();
    void watcher_reportsABurstOnce();
    void watcher_ignoresHiddenFilesReadsAndOutside();
    void watcher_followsSavesByRenameAndNewFolders();
    void page_carriesTheScriptOnlyAsADocument_fileUntouched();
    void stream_saysReloadOnceAProjectFileChanges();
    void stream_ofAPageServedBeforeAChange_reloadsAtOnce();
    void openStreams_doNotStarveThePage_andStopEndsThem();

private:
    DevServerOptions serverOptions(bool reload) const;

    std::optional<QTemporaryDir> m_dir;
    QString m_project;
    std::optional<VendorFiles> m_runtime;
};

void tst_LiveReload::init()
{
    m_dir.emplace();
    QVERIFY(m_dir->isValid());
    m_project = m_dir->filePath(QStringLiteral("project"));
    QVERIFY(writeFile(m_project + QStringLiteral("/index.html"),
                      "<!DOCTYPE html>\n<html>\n<head>\n<title>t</title>\n"
                      "<script type=\"module\" src=\"https://pyscript.net/releases/2025.11.1/core.js\"></script>\n"
                      "</head>\n<body><script type=\"mpy\" src=\"main.py\"></script></body>\n</html>\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('one')\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/sub/worker.py"), "__export__ = []\n"));
    if (!m_runtime) {
        auto runtime = VendorFiles::load(VendorFiles::defaultDir());
        QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
        m_runtime = *runtime;
    }
}

DevServerOptions tst_LiveReload::serverOptions(bool reload) const
{
    DevServerOptions options{m_project, *m_runtime, 0, true, {}};
    options.rewritePages = true; // as `loom serve`
    options.reload = reload;
    return options;
}

void tst_LiveReload::snapshot_leavesHiddenNamesOut()
{
    QVERIFY(writeFile(m_project + QStringLiteral("/.env"), "SECRET=1\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/.git/config"), "[core]\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/sub/.cache/x.pyc"), "x"));
    QVERIFY(QDir(m_project).mkpath(QStringLiteral("empty")));
    const ProjectSnapshot snapshot = snapshotProject(m_project);
    QStringList names;
    for (const auto &[path, stamp] : snapshot)
        names.append(path);
    QCOMPARE(names, (QStringList{u"index.html"_s, u"main.py"_s, u"sub/worker.py"_s}));
    QCOMPARE(snapshot.at(QStringLiteral("main.py")).size, qint64(13));
}

void tst_LiveReload::changedFiles_namesAddedRemovedAndChanged()
{
    const ProjectSnapshot before{{u"a.py"_s, {1, 10, 100}}, {u"b.py"_s, {2, 20, 200}}, {u"c.py"_s, {3, 30, 300}}};
    ProjectSnapshot after = before;
    QCOMPARE(changedFiles(before, after), QStringList());
    after.erase(u"a.py"_s);                   // removed
    after[u"b.py"_s].modifiedNs = 21;         // written in place
    after[u"c.py"_s].inode = 301;             // saved by rename, same size and time
    after[u"d.py"_s] = FileStamp{4, 40, 400}; // added
    QCOMPARE(changedFiles(before, after), (QStringList{u"a.py"_s, u"b.py"_s, u"c.py"_s, u"d.py"_s}));
}

void tst_LiveReload::watcher_reportsABurstOnce()
{
    Reports reports;
    ProjectWatcher watcher({m_project, 300ms, 2000ms, reports.receiver()});
    watcher.start();
    // A burst: several files, one of them twice.
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('two')\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/sub/worker.py"), "__export__ = ['f']\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('three')\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/new.txt"), "new\n"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 1, WaitMs);
    QCOMPARE(reports.all().first(), (QStringList{u"main.py"_s, u"new.txt"_s, u"sub/worker.py"_s}));
    // Nothing more comes of it: longer than the longest a burst is held.
    QTest::qWait(3000);
    QCOMPARE(reports.count(), 1);
}

void tst_LiveReload::watcher_ignoresHiddenFilesReadsAndOutside()
{
    Reports reports;
    ProjectWatcher watcher({m_project, 200ms, 1000ms, reports.receiver()});
    watcher.start();
    QVERIFY(writeFile(m_project + QStringLiteral("/.notes"), "hidden\n"));
    QVERIFY(writeFile(m_project + QStringLiteral("/.git/index"), "hidden folder\n"));
    QVERIFY(writeFile(m_dir->filePath(QStringLiteral("outside.py")), "not the project's\n"));
    QVERIFY(!readFile(m_project + QStringLiteral("/main.py")).isEmpty());
    QVERIFY(QFile::setPermissions(m_project + QStringLiteral("/main.py"),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
    // Events came (the folder's, the file's attributes), each burst settled: no file of the project
    // changed, so nothing was reported.
    QTest::qWait(2500);
    QCOMPARE(reports.count(), 0);
    // The watcher still works: the next change is reported, alone.
    QVERIFY(writeFile(m_project + QStringLiteral("/sub/worker.py"), "__export__ = ['g']\n"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 1, WaitMs);
    QCOMPARE(reports.all().first(), QStringList{u"sub/worker.py"_s});
}

void tst_LiveReload::watcher_followsSavesByRenameAndNewFolders()
{
    Reports reports;
    ProjectWatcher watcher({m_project, 300ms, 2000ms, reports.receiver()});
    watcher.start();
    // An editor's save by rename: its temporary file comes and goes within the burst.
    QVERIFY(saveByRename(m_project + QStringLiteral("/main.py"), "print('renamed')\n"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 1, WaitMs);
    QCOMPARE(reports.all().at(0), QStringList{u"main.py"_s});
    // The rename ended the old file's watch: the new file is watched, a write in place is seen.
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('in place')\n"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 2, WaitMs);
    QCOMPARE(reports.all().at(1), QStringList{u"main.py"_s});
    // A new folder and its file; then a write in place there.
    QVERIFY(writeFile(m_project + QStringLiteral("/lib/util.py"), "X = 1\n"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 3, WaitMs);
    QCOMPARE(reports.all().at(2), QStringList{u"lib/util.py"_s});
    QVERIFY(writeFile(m_project + QStringLiteral("/lib/util.py"), "X = 2\n"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 4, WaitMs);
    QCOMPARE(reports.all().at(3), QStringList{u"lib/util.py"_s});
    // A file removed is a change too.
    QVERIFY(QFile::remove(m_project + QStringLiteral("/lib/util.py")));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 5, WaitMs);
    QCOMPARE(reports.all().at(4), QStringList{u"lib/util.py"_s});
}

void tst_LiveReload::page_carriesTheScriptOnlyAsADocument_fileUntouched()
{
    const QByteArray onDisk = readFile(m_project + QStringLiteral("/index.html"));
    DevServer server(serverOptions(true));
    QVERIFY(server.start());
    httplib::Client client("127.0.0.1", server.port());

    // A navigation (a browser without Fetch Metadata sends no Sec-Fetch-Dest): the script, just
    // before </head>, on a line of its own file's: no line moves.
    for (const httplib::Headers &headers : {httplib::Headers{}, httplib::Headers{{"Sec-Fetch-Dest", "document"}}}) {
        const auto page = client.Get("/index.html", headers);
        QVERIFY(page && page->status == 200);
        const std::string since = sinceOf(page->body);
        QVERIFY2(!since.empty(), page->body.c_str());
        const std::string tag = "<script src=\"/__loom__/reload.js?since=" + since + "\" async></script>";
        QVERIFY2(page->body.find(tag + "</head>") != std::string::npos, page->body.c_str());
        QCOMPARE(std::count(page->body.begin(), page->body.end(), '\n'), onDisk.count('\n'));
        QCOMPARE(QByteArray::fromStdString(page->get_header_value("Vary")), "Sec-Fetch-Dest");
    }
    // HTML the page fetches or frames is served without it.
    for (const char *dest : {"empty", "iframe"}) {
        const auto fetched = client.Get("/index.html", {{"Sec-Fetch-Dest", dest}});
        QVERIFY(fetched && fetched->status == 200);
        QVERIFY2(fetched->body.find("__loom__/reload") == std::string::npos, dest);
        QVERIFY(fetched->body.find("/__loom__/runtime/") != std::string::npos); // still rewritten
    }
    // The script itself; and the file on disk is as it was.
    const auto script = client.Get("/__loom__/reload.js");
    QVERIFY(script && script->status == 200);
    QCOMPARE(QByteArray::fromStdString(script->get_header_value("Content-Type")), "text/javascript; charset=utf-8");
    QVERIFY(script->body.find("new EventSource(") != std::string::npos);
    QVERIFY(script->body.find("console.") == std::string::npos);
    QCOMPARE(readFile(m_project + QStringLiteral("/index.html")), onDisk);

    // A page without a </head> gets it at its very end.
    QVERIFY(writeFile(m_project + QStringLiteral("/bare.html"), "<!doctype html><p>bare</p>\n"));
    const auto bare = client.Get("/bare.html");
    QVERIFY(bare && bare->status == 200);
    QVERIFY2(bare->body.starts_with("<!doctype html><p>bare</p>\n<script src=\"/__loom__/reload.js?since="),
             bare->body.c_str());

    // Without --reload: no script, no stream.
    DevServer plain(serverOptions(false));
    QVERIFY(plain.start());
    httplib::Client plainClient("127.0.0.1", plain.port());
    const auto plainPage = plainClient.Get("/index.html");
    QVERIFY(plainPage && plainPage->status == 200);
    QVERIFY(plainPage->body.find("__loom__/reload") == std::string::npos);
    QCOMPARE(plainClient.Get("/__loom__/reload.js")->status, 404);
    QCOMPARE(plainClient.Get("/__loom__/reload/events")->status, 404);
}

void tst_LiveReload::stream_saysReloadOnceAProjectFileChanges()
{
    DevServer server(serverOptions(true));
    Reports reports;
    server.setReloadHandler(reports.receiver());
    QVERIFY(server.start());
    httplib::Client client("127.0.0.1", server.port());
    const auto page = client.Get("/index.html");
    QVERIFY(page && page->status == 200);
    const std::string since = sinceOf(page->body);
    QVERIFY(since.ends_with(".0"));

    EventStream stream(server.port(), since);
    QTRY_VERIFY_WITH_TIMEOUT(stream.isOpen(), WaitMs);
    // A hidden file is no change of the project: the stream stays silent.
    QVERIFY(writeFile(m_project + QStringLiteral("/.scratch.py"), "x = 1\n"));
    QTest::qWait(2500);
    QVERIFY(!stream.reloaded());
    QCOMPARE(reports.count(), 0);

    QVERIFY(writeFile(m_project + QStringLiteral("/sub/worker.py"), "__export__ = ['h']\n"));
    QTRY_VERIFY_WITH_TIMEOUT(stream.reloaded(), WaitMs);
    QCOMPARE(stream.reloadCount(), 1);
    QCOMPARE(reports.all(), QList<QStringList>{QStringList{u"sub/worker.py"_s}});

    // The page served now carries the new version, and so a new ETag: a browser reloading it with
    // the old one gets the page anew, not a 304 of the old version (which would reload again).
    const auto again = client.Get("/index.html", {{"If-None-Match", page->get_header_value("ETag")}});
    QVERIFY(again && again->status == 200);
    QVERIFY(sinceOf(again->body).ends_with(".1"));
    const auto same = client.Get("/index.html", {{"If-None-Match", again->get_header_value("ETag")}});
    QVERIFY(same && same->status == 304);
}

void tst_LiveReload::stream_ofAPageServedBeforeAChange_reloadsAtOnce()
{
    DevServer server(serverOptions(true));
    Reports reports;
    server.setReloadHandler(reports.receiver());
    QVERIFY(server.start());
    httplib::Client client("127.0.0.1", server.port());
    const std::string since = sinceOf(client.Get("/index.html")->body);
    // The file changes between serving the page and the page opening its stream.
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('changed early')\n"));
    QTRY_COMPARE_WITH_TIMEOUT(reports.count(), 1, WaitMs);
    {
        EventStream late(server.port(), since);
        QTRY_VERIFY_WITH_TIMEOUT(late.reloaded(), WaitMs);
        QCOMPARE(late.reloadCount(), 1);
    }
    // A page of another server (this one restarted) or of none does not reload for nothing: its
    // stream says "reload" only at the next change, with the count after it.
    EventStream foreign(server.port(), "0123456789abcdef.7");
    QTRY_VERIFY_WITH_TIMEOUT(foreign.isOpen(), WaitMs);
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('changed later')\n"));
    QTRY_VERIFY_WITH_TIMEOUT(foreign.reloaded(), WaitMs);
    QCOMPARE(foreign.reloadCount(), 2);
}

void tst_LiveReload::openStreams_doNotStarveThePage_andStopEndsThem()
{
    DevServerOptions options = serverOptions(true);
    options.requestDeadline = 300ms; // 10 s by default: it bounds reading a request, not a stream
    auto server = std::make_unique<DevServer>(std::move(options));
    QVERIFY(server->start());
    const std::string since = sinceOf(httplib::Client("127.0.0.1", server->port()).Get("/index.html")->body);
    // More open pages than the 16 threads the server keeps ready: each stream holds one.
    std::vector<std::unique_ptr<EventStream>> streams;
    for (int i = 0; i < 40; ++i)
        streams.push_back(std::make_unique<EventStream>(server->port(), since));
    for (const auto &stream : streams)
        QTRY_VERIFY_WITH_TIMEOUT(stream->isOpen(), WaitMs);
    QTest::qWait(1000); // past the request deadline
    // The page's files are still served...
    httplib::Client client("127.0.0.1", server->port());
    const auto file = client.Get("/main.py");
    QVERIFY(file && file->status == 200);
    // ... and no stream was cut: each says "reload" at the next change.
    QVERIFY(writeFile(m_project + QStringLiteral("/main.py"), "print('for all')\n"));
    for (const auto &stream : streams) {
        QTRY_VERIFY_WITH_TIMEOUT(stream->reloaded(), WaitMs);
        QCOMPARE(stream->reloadCount(), 1);
    }
    // stop() ends the streams still open (the threads holding them are joined, so it returns).
    const std::string now = sinceOf(client.Get("/index.html")->body);
    QVERIFY(now.ends_with(".1"));
    std::vector<std::unique_ptr<EventStream>> open;
    for (int i = 0; i < 5; ++i)
        open.push_back(std::make_unique<EventStream>(server->port(), now));
    for (const auto &stream : open)
        QTRY_VERIFY_WITH_TIMEOUT(stream->isOpen(), WaitMs);
    server->stop();
    for (const auto &stream : open) {
        QTRY_VERIFY_WITH_TIMEOUT(stream->ended(), WaitMs);
        QVERIFY(!stream->reloaded());
    }
}

QTEST_GUILESS_MAIN(tst_LiveReload)
#include "tst_livereload.moc"
