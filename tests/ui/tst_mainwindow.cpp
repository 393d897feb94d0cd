// The IDE window, offscreen, on real projects with the real server, QtWebEngine and PyScript.
#include "ui/docks/calllogdock.h"
#include "ui/docks/consoledock.h"
#include "ui/docks/responsivenessdock.h"
#include "ui/docks/workersdock.h"
#include "ui/editor/codeeditor.h"
#include "ui/editor/documentstore.h"
#include "ui/editorarea.h"
#include "ui/mainwindow.h"
#include "ui/previewpane.h"
#include "ui/projecttemplate.h"
#include "ui/settings.h"

#include "runtime/calltablemodel.h"
#include "runtime/pagesession.h"
#include "runtime/runtimefiles.h"
#include "runtime/webengine.h"
#include "runtime/workertablemodel.h"

#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QWebEnginePage>

using namespace Loom;
using namespace Loom::Runtime;
using namespace Loom::Ui;

namespace {
const QString Projects = QStringLiteral(LOOM_TESTS_DIR "/projects");
const QString Samples = QStringLiteral(LOOM_SOURCE_DIR "/samples");
constexpr int PageTimeoutMs = 120'000;

QString readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// Runs JavaScript in the page and waits for its result.
QVariant evaluate(QWebEnginePage *page, const QString &script)
{
    QVariant result;
    bool done = false;
    page->runJavaScript(script, [&](const QVariant &value) {
        result = value;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10'000))
        qWarning() << "no answer from the page for" << script;
    return result;
}

int rowOfWorker(const WorkerTableModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(WorkerTableModel::WorkerNameRole).toString() == name)
            return row;
    }
    return -1;
}
} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void primesSample_runShowsWorkerAndCall();
    void tracebackLink_opensFileAtLine();
    void unsavedChanges_areProtected();
    void fileChangedOutside_isOfferedForReload();
    void notAProject_isRefusedClearly();

private:
    // A fresh copy of a project, so the test may edit it.
    QString copyOf(const QString &source);

    QTemporaryDir m_home;
    std::optional<RuntimeFiles> m_runtime;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Settings and the workspace go to a throw-away home.
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    auto runtime = RuntimeFiles::load(RuntimeFiles::defaultDir());
    QVERIFY2(runtime, qPrintable(runtime.error()));
    m_runtime = *runtime;
}

QString tst_MainWindow::copyOf(const QString &source)
{
    auto copied = copyProject(source, m_home.filePath(QStringLiteral("projects")), QFileInfo(source).fileName());
    if (!copied)
        qWarning() << copied.error();
    return copied.value_or(QString());
}

void tst_MainWindow::primesSample_runShowsWorkerAndCall()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Samples + QStringLiteral("/primes"));
    QVERIFY(window.openProject(project));

    // Side by side: the main script on the left, the worker on the right.
    QVERIFY(window.editors()->mainTabs()->tabText(0).contains(u"main.py"));
    QVERIFY(window.editors()->workerTabs()->tabText(0).contains(u"primes"));
    QVERIFY(window.editors()->workerTabs()->tabText(0).contains(u"worker.py"));

    window.run();
    const WorkerTableModel *workers = window.workersDock()->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfWorker(workers, QStringLiteral("primes")) >= 0, PageTimeoutMs);
    const int row = rowOfWorker(workers, QStringLiteral("primes"));
    QTRY_COMPARE_WITH_TIMEOUT(WorkerState(workers->index(row, 0).data(WorkerTableModel::StateRole).toInt()),
                              WorkerState::Ready, PageTimeoutMs);

    // Click Find Primes in the page, as a user would, once the page enabled it.
    QWebEnginePage *page = window.preview()->page();
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, QStringLiteral("!document.querySelector('#find').disabled")).toBool(), PageTimeoutMs);
    evaluate(page, QStringLiteral("document.querySelector('#limit').value = '1000000'; document.querySelector('#find').click();"));

    const CallTableModel *calls = window.callLogDock()->model();
    QTRY_VERIFY_WITH_TIMEOUT(calls->rowCount() > 0 && calls->index(0, 0).data(CallTableModel::FinishedRole).toBool(),
                             PageTimeoutMs);
    QCOMPARE(calls->index(0, 0).data(CallTableModel::FunctionRole).toString(), QStringLiteral("find_primes"));
    QVERIFY(calls->index(0, 0).data(CallTableModel::OkRole).toBool());
    const QString outcome = calls->index(0, CallTableModel::Outcome).data().toString();
    QVERIFY2(outcome.contains(u"78498"), qPrintable(outcome));

    // The page itself shows the same count, and the main thread stayed responsive.
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, QStringLiteral("document.querySelector('#output').textContent"))
                                 .toString()
                                 .contains(u"Found 78498 primes"),
                             PageTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.preview()->session()->responsiveness().sampleCount() > 4, PageTimeoutMs);
    QCOMPARE(window.responsivenessDock()->level(), window.preview()->session()->responsiveness().level());

    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        QTest::qWait(1500); // let the light beat and the view paint
        window.grab().save(QDir(shots).filePath(QStringLiteral("loom-primes.png")));
    }
}

void tst_MainWindow::tracebackLink_opensFileAtLine()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + QStringLiteral("/worker-errors"))));
    window.run();

    // The src worker's divide raises at fromsrc.py:3; the inline worker's boom at index.html:14.
    QTextBrowser *console = window.consoleDock()->view();
    const QUrl divide = ConsoleDock::linkFor({QStringLiteral("fromsrc.py"), 3, {}});
    const QUrl boom = ConsoleDock::linkFor({QStringLiteral("index.html"), 14, {}});
    QTRY_VERIFY_WITH_TIMEOUT(console->toHtml().contains(divide.toString(QUrl::FullyEncoded)), PageTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(console->toHtml().contains(boom.toString(QUrl::FullyEncoded)), PageTimeoutMs);

    // Activating a link is what QTextBrowser reports as anchorClicked.
    Q_EMIT console->anchorClicked(divide);
    CodeEditor *editor = window.editors()->currentEditor();
    QVERIFY(editor);
    QVERIFY(editor->property("loomPath").toString().endsWith(u"/fromsrc.py"));
    QCOMPARE(editor->markedLine(), 3);
    int line = 0, index = 0;
    editor->getCursorPosition(&line, &index);
    QCOMPARE(line + 1, 3);

    Q_EMIT console->anchorClicked(boom);
    editor = window.editors()->currentEditor();
    QVERIFY(editor->property("loomPath").toString().endsWith(u"/index.html"));
    editor->getCursorPosition(&line, &index);
    QCOMPARE(line + 1, 14);
    QVERIFY(editor->text(line).contains(u"raise ValueError"));
}

void tst_MainWindow::unsavedChanges_areProtected()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Projects + QStringLiteral("/named-worker"));
    QVERIFY(window.openProject(project));
    const QString triple = project + QStringLiteral("/triple.py");
    const QString before = readFile(triple);

    CodeEditor *editor = window.editors()->openFile(QStringLiteral("triple.py"));
    QVERIFY(editor);
    editor->insertAt(QStringLiteral("# edited in Loom\n"), 0, 0);
    QCOMPARE(window.editors()->modifiedFiles(), QStringList{QStringLiteral("triple.py")});

    QStringList asked;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    window.editors()->setUnsavedPrompt([&](const QStringList &files) {
        asked = files;
        return answer;
    });
    // Cancel: nothing closes, nothing is written.
    QVERIFY(!window.close());
    QCOMPARE(asked, QStringList{QStringLiteral("triple.py")});
    QVERIFY(window.isVisible());
    QCOMPARE(readFile(triple), before);
    QVERIFY(!window.closeProject());
    QCOMPARE(window.projectDir(), QFileInfo(project).absoluteFilePath());

    // Save: the file holds the edit, and the window may close.
    answer = QMessageBox::Save;
    QVERIFY(window.close());
    QVERIFY(readFile(triple).startsWith(u"# edited in Loom\n"));
}

void tst_MainWindow::fileChangedOutside_isOfferedForReload()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Projects + QStringLiteral("/named-worker"));
    QVERIFY(window.openProject(project));
    const QString triple = QFileInfo(project + QStringLiteral("/triple.py")).absoluteFilePath();
    CodeEditor *editor = window.editors()->openFile(QStringLiteral("triple.py"));
    QVERIFY(editor);
    const QString mine = editor->text();

    QVERIFY(writeFile(triple, "def triple(x):\n    return 3 * x\n\n__export__ = ['triple']\n# changed elsewhere\n"));
    QTRY_VERIFY_WITH_TIMEOUT(window.editors()->changedOnDisk().contains(triple), 10'000);
    QVERIFY(window.editors()->findChild<QWidget *>(QStringLiteral("diskBanner"))->isVisible());
    QCOMPARE(editor->text(), mine); // offered, not done

    window.editors()->reloadFromDisk(triple);
    QVERIFY(editor->text().endsWith(u"# changed elsewhere\n"));
    QVERIFY(!window.editors()->findChild<QWidget *>(QStringLiteral("diskBanner"))->isVisible());
}

void tst_MainWindow::notAProject_isRefusedClearly()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    QTemporaryDir empty;
    const auto opened = window.openProject(empty.path());
    QVERIFY(!opened);
    QVERIFY(opened.error().contains(u"has no index.html"));
    QVERIFY(window.projectDir().isEmpty());
}

int main(int argc, char *argv[])
{
    Runtime::prepareWebEngineEnvironment(true);
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    tst_MainWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mainwindow.moc"
