// Issue 13, part 1: a Pyodide worker's `packages` through Loom's package cache, end to end. The
// upstream is a stand-in on loopback (tests/packages/standin_upstream.py) serving wheels it
// builds, and Loom runs with a copy of its runtime whose pyodide-lock.json lists them with their
// real sha256: Pyodide checks and installs exactly what Loom serves it.
#include "loomprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace LoomTest;

namespace {
const QString Project = QStringLiteral(LOOM_TESTS_DIR "/projects/packages-worker");
const QString Script = QStringLiteral(LOOM_TESTS_DIR "/packages/standin_upstream.py");
const QString Runtime = QStringLiteral(LOOM_BINARY_DIR "/share/loom/runtime");
const QStringList Wheels = {u"micropip-0.11.1-py3-none-any.whl"_s, u"loomtest-1.0-py3-none-any.whl"_s};

QString lastStepText(const QJsonObject &report)
{
    const QJsonArray steps = report.value(u"steps").toArray();
    return steps.isEmpty() ? QString() : steps.last().toObject().value(u"text").toString();
}
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
    return env;
}

QStringList tst_Packages::cached() const
{
    return QDir(m_work->filePath(u"cache/pyodide-314.0.2/packages"_s)).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

Run tst_Packages::runPage() const
{
    return runLoom({u"run"_s, Project, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s},
                   environment(m_url));
}

void tst_Packages::firstRunFetches_secondRunsOffline()
{
    const Run first = runPage();
    QVERIFY2(first.exitCode == 0, qPrintable(first.output));
    QCOMPARE(lastStepText(first.report), u"answer 42"_s); // Pyodide installed loomtest and ran it
    QCOMPARE(cached(), QStringList({Wheels.at(1), Wheels.at(0)}));
    QCOMPARE(first.report.value(u"network").toObject().value(u"externalCount").toInt(), 0); // Loom fetched, not the page

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
    const Run run = runLoom({u"run"_s, Project, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s},
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
        process->start(Loom, {u"run"_s, Project, u"--headless"_s, u"--timeout"_s, u"90"_s, u"--step"_s, u"wait-text:#result=answer"_s});
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

QTEST_GUILESS_MAIN(tst_Packages)
#include "tst_packages.moc"
