// What a project is: its entry page, how a written path resolves, which names are hidden. Every
// layer (server, checks, export, editors, headless runs) asks Project these questions.
#include "runtime/project/project.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Loom::Runtime;

class tst_Project : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void open_needsAFolderWithItsEntryPage();
    void resolveWritten_staysInside_data();
    void resolveWritten_staysInside();
    void hidden_isAnyNameStartingWithADot_data();
    void hidden_isAnyNameStartingWithADot();
    void contains_isLexicalAndClean();
    void entryScripts_readTheEntryPage();
};

void tst_Project::open_needsAFolderWithItsEntryPage()
{
    QTemporaryDir dir;
    const auto empty = Project::open(dir.path());
    QVERIFY(!empty);
    QVERIFY2(empty.error().contains(u"has no index.html"), qPrintable(empty.error()));
    QVERIFY2(!Project::open(dir.filePath(QStringLiteral("missing"))), "a folder that does not exist is no project");

    QFile page(dir.filePath(QStringLiteral("index.html")));
    QVERIFY(page.open(QIODevice::WriteOnly));
    page.close();
    const auto project = Project::open(dir.path() + QStringLiteral("/./"));
    QVERIFY2(project, qPrintable(project ? QString() : project.error()));
    QCOMPARE(project->root(), QDir(dir.path()).canonicalPath());
    QCOMPARE(project->entryPagePath(), QDir(dir.path()).canonicalPath() + QStringLiteral("/index.html"));
    QVERIFY(Project().isNull());
}

void tst_Project::resolveWritten_staysInside_data()
{
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("resolved");
    QTest::newRow("relative") << QStringLiteral("./worker.py") << QStringLiteral("worker.py");
    QTest::newRow("absolute path") << QStringLiteral("/lib/util.py") << QStringLiteral("lib/util.py");
    QTest::newRow("inner ..") << QStringLiteral("lib/../main.py") << QStringLiteral("main.py");
    QTest::newRow("leads out") << QStringLiteral("../secret.py") << QString();
    QTest::newRow("leads out later") << QStringLiteral("lib/../../secret.py") << QString();
    QTest::newRow("URL") << QStringLiteral("https://example.org/x.py") << QString();
    QTest::newRow("scheme-relative URL") << QStringLiteral("//example.org/x.py") << QString();
}

void tst_Project::resolveWritten_staysInside()
{
    QFETCH(QString, written);
    QFETCH(QString, resolved);
    QCOMPARE(Project::resolveWritten(written), resolved);
}

void tst_Project::hidden_isAnyNameStartingWithADot_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("hidden");
    QTest::newRow("plain") << QStringLiteral("lib/util.py") << false;
    QTest::newRow("dot file") << QStringLiteral(".env") << true;
    QTest::newRow("in a dot folder") << QStringLiteral(".git/config") << true;
    QTest::newRow("deep") << QStringLiteral("a/b/.cache/c.py") << true;
    QTest::newRow("dot inside a name") << QStringLiteral("a/b.c/d.py") << false;
}

void tst_Project::hidden_isAnyNameStartingWithADot()
{
    QFETCH(QString, path);
    QFETCH(bool, hidden);
    QCOMPARE(Project::isHidden(path), hidden);
    // The server's per-segment form agrees on the last segment.
    const QString last = path.section(u'/', -1);
    QCOMPARE(Project::isHiddenName(last.toStdString()), last.startsWith(u'.'));
}

void tst_Project::contains_isLexicalAndClean()
{
    const Project project(QStringLiteral("/work/app"));
    QVERIFY(project.contains(QStringLiteral("/work/app/main.py")));
    QVERIFY(project.contains(QStringLiteral("/work/app/lib/../main.py")));
    QVERIFY(!project.contains(QStringLiteral("/work/app/../secret.py")));
    QVERIFY(!project.contains(QStringLiteral("/work/application/main.py")));
    QVERIFY(!project.contains(QStringLiteral("/work/app")));
    QCOMPARE(project.relativePath(QStringLiteral("/work/app/lib/util.py")), QStringLiteral("lib/util.py"));
    QCOMPARE(project.filePath(QStringLiteral("lib/../main.py")), QStringLiteral("/work/app/main.py"));
}

void tst_Project::entryScripts_readTheEntryPage()
{
    QTemporaryDir dir;
    QFile page(dir.filePath(QStringLiteral("index.html")));
    QVERIFY(page.open(QIODevice::WriteOnly));
    page.write(
        "<script type=\"mpy\" src=\"./main.py\"></script>\n<script type=\"py\" worker name=\"calc\" src=\"./w.py\"></script>\n");
    page.close();
    const QList<PageScript> scripts = Project(dir.path()).entryScripts();
    QCOMPARE(scripts.size(), 2);
    QCOMPARE(scripts.at(1).name, QStringLiteral("calc"));
    QVERIFY(Project(dir.filePath(QStringLiteral("missing"))).entryScripts().isEmpty());
}

QTEST_GUILESS_MAIN(tst_Project)
#include "tst_project.moc"
