// File > Run on Save in the IDE's window, offscreen, on a tiny MicroPython project with the real
// server and QtWebEngine: a save of a project file re-runs the page once; Run's own save, hidden
// files, files changed by another program and saves with the toggle off run nothing.
#include "ui/editor/codeeditor.h"
#include "ui/editorarea.h"
#include "ui/mainwindow.h"
#include "ui/previewpane.h"
#include "ui/runonsave.h"
#include "ui/settings.h"

#include "runtime/run/webengine.h"
#include "runtime/vendor/vendorfiles.h"

#include "tests/support/files.h"
#include "tests/support/page.h"
#include "tests/support/window.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Loom;
using namespace Loom::Runtime;
using namespace Loom::TestSupport;
using namespace Loom::Ui;

namespace {
constexpr int PageTimeoutMs = 120'000;
// Longer than Run on Save collects saves before it runs: what "no run came of it" waits for.
constexpr int SettleMs = int(RunOnSave::Delay.count()) * 5;

const QByteArray Page = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
                        "<script type=\"module\" src=\"https://pyscript.net/releases/2026.7.3/core.js\"></script>\n"
                        "</head>\n<body>\n<p id=\"out\">not yet</p>\n"
                        "<script>sessionStorage.setItem('runs', String(Number(sessionStorage.getItem('runs') ?? 0) "
                        "+ 1));</script>\n"
                        "<script type=\"mpy\" src=\"main.py\"></script>\n"
                        "</body>\n</html>\n";

QByteArray mainPy(const char *text)
{
    return QByteArray("from pyscript import document\ndocument.querySelector('#out').innerText = '") + text + "'\n";
}
} // namespace

class tst_RunOnSave : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void saveOfAProjectFile_runsThePageOnce();

private:
    QTemporaryDir m_home;
    std::optional<VendorFiles> m_runtime;
};

void tst_RunOnSave::initTestCase()
{
    QVERIFY(m_home.isValid());
    useThrowAwayHome(m_home.path());
    auto runtime = VendorFiles::load(VendorFiles::defaultDir());
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
    m_runtime = *runtime;
}

void tst_RunOnSave::saveOfAProjectFile_runsThePageOnce()
{
    const QString project = m_home.filePath(QStringLiteral("project"));
    QVERIFY(writeFile(project + QStringLiteral("/index.html"), Page));
    QVERIFY(writeFile(project + QStringLiteral("/main.py"), mainPy("version 1")));
    QVERIFY(writeFile(project + QStringLiteral("/helper.py"), "X = 1\n"));
    QVERIFY(writeFile(project + QStringLiteral("/.scratch.py"), "# notes, hidden: never served\n"));

    // Opened through a symbolic link: the editors name files by their real paths.
    const QString link = m_home.filePath(QStringLiteral("link"));
    QVERIFY(QFile::link(project, link));

    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(link));
    auto *preview = part<PreviewPane>(window);
    auto *editors = part<EditorArea>(window);
    QAction *runOnSave = window.findChild<QAction *>(QStringLiteral("loom.file.runOnSave"));
    QAction *save = window.findChild<QAction *>(QStringLiteral("loom.file.save"));
    QAction *saveAll = window.findChild<QAction *>(QStringLiteral("loom.file.saveAll"));
    QVERIFY(runOnSave && save && saveAll);
    QVERIFY(runOnSave->isCheckable());
    QVERIFY(!runOnSave->isChecked()); // off until the user turns it on

    // The runs the IDE starts (each a fresh session for the docks), and the runs the page counts.
    QSignalSpy runs(preview, &PreviewPane::sessionChanged);
    const auto shows = [&](const QString &text) {
        return evaluate(preview->page(), QStringLiteral("document.querySelector('#out')?.innerText")).toString()
               == text;
    };
    const auto pageRuns = [&] {
        return evaluate(preview->page(), QStringLiteral("Number(sessionStorage.getItem('runs'))")).toInt();
    };

    window.run();
    QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("version 1")), PageTimeoutMs);
    QCOMPARE(runs.count(), 1);
    QCOMPARE(pageRuns(), 1);

    // On, and remembered.
    runOnSave->trigger();
    QVERIFY(runOnSave->isChecked());
    QVERIFY(Settings().runOnSave());

    // Save main.py while helper.py has unsaved changes too: one run, of the saved text. Run saves
    // every file first (helper.py here): that save runs nothing more.
    CodeEditor *helper = editors->openFile(QStringLiteral("helper.py"));
    QVERIFY(helper);
    helper->setText(QStringLiteral("X = 2\n"));
    CodeEditor *main = editors->openFile(QStringLiteral("main.py"));
    QVERIFY(main);
    main->setText(QString::fromUtf8(mainPy("version 2")));
    save->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("version 2")), PageTimeoutMs);
    QTest::qWait(SettleMs);
    QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("version 2")), PageTimeoutMs);
    QCOMPARE(runs.count(), 2);
    QCOMPARE(pageRuns(), 2);
    QCOMPARE(readFile(project + QStringLiteral("/helper.py")), QByteArray("X = 2\n")); // Run saved it

    // Save All of two files, and Save pressed twice: one run each time.
    main->setText(QString::fromUtf8(mainPy("version 3")));
    helper->setText(QStringLiteral("X = 3\n"));
    saveAll->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("version 3")), PageTimeoutMs);
    QTest::qWait(SettleMs);
    QCOMPARE(runs.count(), 3);
    main = editors->openFile(QStringLiteral("main.py"));
    main->setText(QString::fromUtf8(mainPy("version 4")));
    save->trigger();
    save->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("version 4")), PageTimeoutMs);
    QTest::qWait(SettleMs);
    QTRY_VERIFY_WITH_TIMEOUT(shows(QStringLiteral("version 4")), PageTimeoutMs);
    QCOMPARE(runs.count(), 4);
    QCOMPARE(pageRuns(), 4);

    // A hidden file of the project is never served: saving it runs nothing.
    CodeEditor *scratch = editors->openFile(QStringLiteral(".scratch.py"));
    QVERIFY(scratch);
    scratch->setText(QStringLiteral("# more notes\n"));
    save->trigger();
    QCOMPARE(readFile(project + QStringLiteral("/.scratch.py")), QByteArray("# more notes\n"));
    QTest::qWait(SettleMs);
    QCOMPARE(runs.count(), 4);

    // Another program's change is not a save in Loom: the editor offers to reload, nothing runs.
    QVERIFY(writeFile(project + QStringLiteral("/main.py"), mainPy("changed elsewhere")));
    QTRY_VERIFY_WITH_TIMEOUT(!editors->changedOnDisk().isEmpty(), 10'000);
    QTest::qWait(SettleMs);
    QCOMPARE(runs.count(), 4);
    editors->reloadFromDisk(editors->changedOnDisk().first());

    // Off: a save is only a save.
    runOnSave->trigger();
    QVERIFY(!runOnSave->isChecked());
    QVERIFY(!Settings().runOnSave());
    main = editors->openFile(QStringLiteral("main.py"));
    main->setText(QString::fromUtf8(mainPy("version 5")));
    save->trigger();
    QCOMPARE(readFile(project + QStringLiteral("/main.py")), mainPy("version 5"));
    QTest::qWait(SettleMs);
    QCOMPARE(runs.count(), 4);
    QCOMPARE(pageRuns(), 4);
    QVERIFY(shows(QStringLiteral("version 4")));
}

int main(int argc, char *argv[])
{
    Runtime::prepareWebEngineEnvironment(true);
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_RunOnSave test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_runonsave.moc"
