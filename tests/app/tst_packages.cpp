// A Pyodide worker's `packages` through Loom's package cache, end to end. The
// upstream is a stand-in on loopback (tests/packages/standin_upstream.py) serving wheels it
// builds, and Loom runs with a copy of its runtime whose pyodide-lock.json lists them with their
// real sha256: Pyodide checks and installs exactly what Loom serves it.
#include "tests/support/loomprocess.h"
#include "tests/support/report.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Loom::TestSupport;

namespace {
const QString Project = QStringLiteral(LOOM_TESTS_DIR "/projects/packages-worker");
const QString Script = QStringLiteral(LOOM_TESTS_DIR "/packages/standin_upstream.py");
const QString Runtime = QStringLiteral(LOOM_BINARY_DIR "/share/loom/runtime");
const QString PypiProject = QStringLiteral(LOOM_TESTS_DIR "/projects/pypi-worker");
const QString PypiPath = QStringLiteral("packages/4c/7e/0123456789abcdef/loomtest_pure-1.0-py3-none-any.whl");
const QStringList Wheels = {u"micropip-0.11.1-py3-none-any.whl"_s, u"loomtest-1.0-py3-none-any.whl"_s};
} // namespace

class tst_Packages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void firstRunFetches_secondRunsOffline();
    void tamperedWheel_isRefusedAndNotKept();
    void concurrentRuns_shareTheCache();
    void offlineMiss_failsAtOnceNamingTheCommand();
    void packagesCommand_listsFetchesAndClears();
    void check_knowsTheCache();
    void export_offlineWithoutTheWheels_stopsNamingThem();
    void pypiWheel_keptByUrl_thenOffline();
    void pypiWheel_tampered_isRefusedAndNotKept();
    void packagesCommand_fetchesPypiWheels_andCheckKnowsThem();

private:
    bool startUpstream();
    void stopUpstream();
    QProcessEnvironment environment(const QString &upstream) const;
    QStringList cached() const;
    Run runPage() const;

    std::unique_ptr<QTemporaryDir> m_work;
    std::unique_ptr<QProcess> m_upstream;
    QString m_url;
};

void tst_Packages::init()
{
    m_work = std::make_unique<QTemporaryDir>();
    QVERIFY(startUpstream());
}

void tst_Packages::cleanup()
{
    stopUpstream();
    m_work.reset();
}

bool tst_Packages::startUpstream()
{
    m_upstream = std::make_unique<QProcess>();
    m_upstream->start(u"python3"_s, {Script, Runtime, m_work->path()});
    if (!m_upstream->waitForReadyRead(30'000))
        return false;
    m_url = u"http://127.0.0.1:%1/"_s.arg(QString::fromLatin1(m_upstream->readLine().trimmed()));
    return true;
}

void tst_Packages::stopUpstream()
{
    if (m_upstream) {
        m_upstream->kill();
        m_upstream->waitForFinished();
        m_upstream.reset();
    }
}

QProcessEnvironment tst_Packages::environment(const QString &upstream) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LOOM_RUNTIME_DIR"_s, m_work->filePath(u"runtime"_s));
    env.insert(u"LOOM_PYODIDE_PACKAGES_URL"_s, upstream);
    env.insert(u"LOOM_CACHE_DIR"_s, m_work->filePath(u"cache"_s));
    env.insert(u"LOOM_PYPI_INDEX_URL"_s, upstream + u"simple/"_s);
    env.insert(u"LOOM_PYPI_FILES_URL"_s, upstream);
    return env;
}

QStringList tst_Packages::cached() const
{
    return QDir(m_work->filePath(u"cache/pyodide-314.0.2/packages"_s))
        .entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

Run tst_Packages::runPage() const
{
    return runLoom(
        {u"run"_s, Project, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s},
        environment(m_url));
}

void tst_Packages::firstRunFetches_secondRunsOffline()
{
    const Run first = runPage();
    QVERIFY2(first.exitCode == 0, qPrintable(first.output));
    QCOMPARE(lastStepText(first.report), u"answer 42"_s); // Pyodide installed loomtest and ran it
    QCOMPARE(cached(), QStringList({Wheels.at(1), Wheels.at(0)}));
    QCOMPARE(first.report.value(u"network").toObject().value(u"externalCount").toInt(),
             0); // Loom fetched, not the page

    stopUpstream(); // offline from now on
    const Run second = runPage();
    QVERIFY2(second.exitCode == 0, qPrintable(second.output));
    QCOMPARE(lastStepText(second.report), u"answer 42"_s);
}

void tst_Packages::tamperedWheel_isRefusedAndNotKept()
{
    // The upstream now serves another build of loomtest than the lock lists.
    QFile wheel(m_work->filePath(u"full/"_s + Wheels.at(1)));
    QVERIFY(wheel.open(QIODevice::Append));
    wheel.write("tampered");
    wheel.close();
    const Run run = runLoom(
        {u"run"_s, Project, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s},
        environment(m_url));
    QCOMPARE(run.exitCode, 1); // the worker fails to start, at once
    QVERIFY2(run.output.contains(u"does not match Pyodide's lock"), qPrintable(run.output));
    QVERIFY2(run.output.contains(Wheels.at(1)), qPrintable(run.output));
    QCOMPARE(cached(), QStringList{Wheels.at(0)}); // micropip was sound; loomtest is not kept
}

void tst_Packages::concurrentRuns_shareTheCache()
{
    QProcess a, b;
    for (QProcess *process : {&a, &b}) {
        process->setProcessEnvironment(environment(m_url));
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->start(loomExecutable(), {u"run"_s, Project, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s,
                                          u"wait-text:#result=answer"_s});
    }
    for (QProcess *process : {&a, &b}) {
        QVERIFY(process->waitForFinished(180'000));
        const QString output = QString::fromUtf8(process->readAll());
        QVERIFY2(process->exitCode() == 0, qPrintable(output));
        QVERIFY2(output.contains(u"answer 42"), qPrintable(output));
    }
    QCOMPARE(cached(), QStringList({Wheels.at(1), Wheels.at(0)}));
    for (const QString &name : cached()) {
        QFile kept(m_work->filePath(u"cache/pyodide-314.0.2/packages/"_s + name));
        QFile served(m_work->filePath(u"full/"_s + name));
        QVERIFY(kept.open(QIODevice::ReadOnly) && served.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), served.readAll()); // whole files, whoever wrote them
    }
}

void tst_Packages::offlineMiss_failsAtOnceNamingTheCommand()
{
    stopUpstream(); // offline, and nothing cached
    QElapsedTimer timer;
    timer.start();
    const Run run = runPage(); // --timeout 90
    qInfo("offline miss: the run ended after %lld ms", static_cast<long long>(timer.elapsed()));
    QCOMPARE(run.exitCode, 1); // a page error, not the time-out's 3: Loom saw the failed load
    // PyScript installs micropip first: the first file missing is named, with the command.
    QVERIFY2(run.output.contains(u"micropip (%1)"_s.arg(Wheels.at(0))), qPrintable(run.output));
    QVERIFY2(run.output.contains(u"unreachable"), qPrintable(run.output));
    QVERIFY2(run.output.contains(u"loom packages %1 --fetch"_s.arg(Project)), qPrintable(run.output));
    QVERIFY(cached().isEmpty());
}

void tst_Packages::packagesCommand_listsFetchesAndClears()
{
    const auto listing = [&] {
        const Run run = runLoom({u"packages"_s, Project, u"--json"_s}, environment(m_url));
        return std::pair(run.exitCode, QJsonDocument::fromJson(run.output.toUtf8()).object());
    };
    auto [code, before] = listing();
    QCOMPARE(code, 0);
    const QJsonArray requests = before.value(u"requests").toArray();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.at(0).toObject().value(u"line").toInt(), 10); // the worker's <script> tag with its config
    QCOMPARE(requests.at(0).toObject().value(u"packages").toArray(), QJsonArray{u"loomtest"_s});
    QCOMPARE(before.value(u"missing").toInt(), 2); // loomtest, and micropip that installs it
    QStringList files;
    for (const QJsonValue &package : before.value(u"packages").toArray())
        files.append(package.toObject().value(u"file").toString());
    QCOMPARE(files, Wheels);

    const Run fetch = runLoom({u"packages"_s, Project, u"--fetch"_s}, environment(m_url));
    QVERIFY2(fetch.exitCode == 0, qPrintable(fetch.output));
    QVERIFY2(fetch.output.contains(u"[1/2] fetched %1"_s.arg(Wheels.at(0))), qPrintable(fetch.output));
    QVERIFY2(fetch.output.contains(u"[2/2] fetched %1"_s.arg(Wheels.at(1))), qPrintable(fetch.output));
    QCOMPARE(cached(), QStringList({Wheels.at(1), Wheels.at(0)}));

    auto [code2, after] = listing();
    QCOMPARE(code2, 0);
    QCOMPARE(after.value(u"missing").toInt(), 0);
    for (const QJsonValue &value : after.value(u"packages").toArray()) {
        const QJsonObject package = value.toObject();
        QVERIFY(package.value(u"cached").toBool());
        QCOMPARE(package.value(u"bytes").toInteger(),
                 QFileInfo(m_work->filePath(u"full/"_s + package.value(u"file").toString())).size());
    }

    const Run again = runLoom({u"packages"_s, Project, u"--fetch"_s}, environment(m_url));
    QVERIFY2(again.output.contains(u"nothing to fetch"), qPrintable(again.output));

    const Run clear = runLoom({u"packages"_s, u"--clear"_s}, environment(m_url));
    QVERIFY2(clear.exitCode == 0 && clear.output.contains(u"cleared"), qPrintable(clear.output));
    QVERIFY(cached().isEmpty());
}

void tst_Packages::check_knowsTheCache()
{
    // Offline, `loom check` reports a package missing from the cache, and names the command.
    const Run missing = runLoom({u"check"_s, Project}, environment(m_url));
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.output.contains(
                 QRegularExpression(u"^index\\.html:10:\\d+: error: .*\"micropip\", \"loomtest\" are not in "
                                    "Loom's package cache.*loom packages DIR --fetch.*\\[offline-packages\\]$"_s,
                                    QRegularExpression::MultilineOption)),
             qPrintable(missing.output));

    QCOMPARE(runLoom({u"packages"_s, Project, u"--fetch"_s}, environment(m_url)).exitCode, 0);
    const Run ready = runLoom({u"check"_s, Project}, environment(m_url));
    QVERIFY2(ready.exitCode == 0 && !ready.output.contains(u"offline-packages"), qPrintable(ready.output));
}

void tst_Packages::export_offlineWithoutTheWheels_stopsNamingThem()
{
    // (The export that ships them runs in chromium: tests/browser/export_packages.mjs.)
    stopUpstream();
    const QString out = m_work->filePath(u"site"_s);
    const Run run = runLoom({u"export"_s, Project, out}, environment(m_url));
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(run.output.contains(u"micropip (%1) is not in Loom's package cache"_s.arg(Wheels.at(0))),
             qPrintable(run.output));
    QVERIFY2(run.output.contains(u"loom packages %1 --fetch"_s.arg(Project)), qPrintable(run.output));
    QVERIFY(!QFileInfo::exists(out)); // nothing half-written
}

// A package Pyodide's lock does not have: micropip reads PyPI's index and fetches the wheel it
// names. Loom answers both, keeps the index and the wheel (checked against the index's sha256),
// and a later run needs neither PyPI nor files.pythonhosted.org.
void tst_Packages::pypiWheel_keptByUrl_thenOffline()
{
    const QStringList run = {
        u"run"_s, PypiProject, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s};
    const Run first = runLoom(run, environment(m_url));
    QVERIFY2(first.exitCode == 0, qPrintable(first.output));
    QCOMPARE(lastStepText(first.report), u"answer pure 7"_s);
    QCOMPARE(first.report.value(u"network").toObject().value(u"externalCount").toInt(),
             0); // pypi.org was answered by Loom
    QVERIFY(QFileInfo::exists(m_work->filePath(u"cache/pypi/simple/loomtest-pure.json"_s)));
    QFile kept(m_work->filePath(u"cache/pypi/files/"_s + PypiPath));
    QFile served(m_work->filePath(u"full/"_s + PypiPath));
    QVERIFY(kept.open(QIODevice::ReadOnly) && served.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), served.readAll());

    stopUpstream();
    const Run second = runLoom(run, environment(m_url));
    QVERIFY2(second.exitCode == 0, qPrintable(second.output));
    QCOMPARE(lastStepText(second.report), u"answer pure 7"_s);
    QVERIFY2(second.output.contains(u"PyPI's index for loomtest-pure is unreachable"), qPrintable(second.output));
}

void tst_Packages::pypiWheel_tampered_isRefusedAndNotKept()
{
    QFile wheel(m_work->filePath(u"full/"_s + PypiPath));
    QVERIFY(wheel.open(QIODevice::Append));
    wheel.write("tampered");
    wheel.close();
    const Run run = runLoom(
        {u"run"_s, PypiProject, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s},
        environment(m_url));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.output.contains(u"loomtest_pure-1.0-py3-none-any.whl fetched from"), qPrintable(run.output));
    QVERIFY2(run.output.contains(u"does not match the sha256 its index gives"), qPrintable(run.output));
    QVERIFY(!QFileInfo::exists(m_work->filePath(u"cache/pypi/files/"_s + PypiPath)));
}

void tst_Packages::packagesCommand_fetchesPypiWheels_andCheckKnowsThem()
{
    const Run missing = runLoom({u"check"_s, PypiProject}, environment(m_url));
    QVERIFY2(missing.output.contains(u"\"micropip\", \"loomtest-pure\" are not in Loom's package cache"),
             qPrintable(missing.output));

    const Run fetch = runLoom({u"packages"_s, PypiProject, u"--fetch"_s}, environment(m_url));
    QVERIFY2(fetch.exitCode == 0, qPrintable(fetch.output));
    QVERIFY2(fetch.output.contains(u"[2/2] fetched loomtest_pure-1.0-py3-none-any.whl"), qPrintable(fetch.output));
    const Run listing = runLoom({u"packages"_s, PypiProject, u"--json"_s}, environment(m_url));
    const QJsonObject json = QJsonDocument::fromJson(listing.output.toUtf8()).object();
    QCOMPARE(json.value(u"missing").toInt(), 0);
    const QJsonObject pure = json.value(u"packages").toArray().at(1).toObject();
    QCOMPARE(pure.value(u"origin").toString(), u"pypi"_s);
    QCOMPARE(pure.value(u"file").toString(), u"loomtest_pure-1.0-py3-none-any.whl"_s);
    QVERIFY(pure.value(u"cached").toBool());

    const Run ready = runLoom({u"check"_s, PypiProject}, environment(m_url));
    QVERIFY2(ready.exitCode == 0 && !ready.output.contains(u"offline-packages"), qPrintable(ready.output));
    stopUpstream(); // and the page runs from what `loom packages` kept
    const Run run = runLoom(
        {u"run"_s, PypiProject, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s},
        environment(m_url));
    QVERIFY2(run.exitCode == 0, qPrintable(run.output));
    QCOMPARE(lastStepText(run.report), u"answer pure 7"_s);
}

QTEST_GUILESS_MAIN(tst_Packages)
#include "tst_packages.moc"
