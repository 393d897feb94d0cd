// The IDE window, offscreen, on real projects with the real server, QtWebEngine and PyScript.
#include "ui/docks/calllogdock.h"
#include "ui/docks/consoledock.h"
#include "ui/docks/debugdock.h"
#include "ui/docks/problemsdock.h"
#include "ui/docks/responsivenessdock.h"
#include "ui/docks/workersdock.h"
#include "ui/editor/breakpointdialog.h"
#include "ui/editor/codeeditor.h"
#include "ui/editor/documentstore.h"
#include "ui/editor/pythoncompleter.h"
#include "ui/editorarea.h"
#include "ui/mainwindow.h"
#include "ui/previewpane.h"
#include "ui/projectchecker.h"
#include "ui/projecttemplate.h"
#include "ui/settings.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/models/calltablemodel.h"
#include "runtime/models/diagnosticmodel.h"
#include "runtime/models/workertablemodel.h"
#include "runtime/run/webengine.h"
#include "runtime/vendor/vendorfiles.h"

#include "tests/support/files.h"
#include "tests/support/models.h"
#include "tests/support/page.h"
#include "tests/support/window.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QThreadPool>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>
#include <QWebEnginePage>

using namespace Loom;
using namespace Loom::Runtime;
using namespace Loom::TestSupport;
using namespace Loom::Ui;
using namespace Qt::StringLiterals;

namespace {
const QString Projects = QStringLiteral(LOOM_TESTS_DIR "/projects");
const QString Samples = QStringLiteral(LOOM_SOURCE_DIR "/samples");
constexpr int PageTimeoutMs = 120'000;

// tests/packages/standin_upstream.py: Pyodide's CDN folder on loopback, with a runtime copy whose
// lock lists its wheels; Loom's package cache in `work` too, through the environment.
struct StandInUpstream
{
    QTemporaryDir work;
    QProcess process;

    bool start()
    {
        process.start(u"python3"_s, {QStringLiteral(LOOM_TESTS_DIR "/packages/standin_upstream.py"),
                                     VendorFiles::defaultDir(), work.path()});
        if (!process.waitForReadyRead(30'000))
            return false;
        qputenv("LOOM_PYODIDE_PACKAGES_URL", QByteArray("http://127.0.0.1:" + process.readLine().trimmed() + '/'));
        qputenv("LOOM_CACHE_DIR", work.filePath(u"cache"_s).toUtf8());
        return true;
    }
    void stop()
    {
        process.kill();
        process.waitForFinished();
    }
    ~StandInUpstream()
    {
        qunsetenv("LOOM_PYODIDE_PACKAGES_URL");
        qunsetenv("LOOM_CACHE_DIR");
        stop();
    }
};

bool hasDiagnostic(const DiagnosticModel *model, const QString &code)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(DiagnosticModel::CodeRole).toString() == code)
            return true;
    }
    return false;
}
// The text of the page's element with this id.
QString textOf(QWebEnginePage *page, const char *id)
{
    return evaluate(page, QStringLiteral("document.getElementById('%1').textContent").arg(QLatin1StringView(id)))
        .toString();
}

// The Debug dock's paused threads (the others are listed with their state, below them).
QStringList pausedThreads(const QTreeWidget *tree)
{
    QStringList threads;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->text(1).startsWith(u"paused"))
            threads.append(tree->topLevelItem(i)->text(0));
    }
    return threads;
}
} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void primesSample_runShowsWorkerAndCall();
    void tracebackLink_opensFileAtLine();
    void coreLoadedByJavaScript_bridgedAndOffline();
    void failedLoad_showsInTheConsole();
    void unsavedChanges_areProtected();
    void saveAndF9_actOnTheEditorLastUsed();
    void fileChangedOutside_isOfferedForReload();
    void notAProject_isRefusedClearly();
    void problems_followTheEditorsText();
    void completion_offersThePyscriptApi();
    void packages_persistAcrossWindowSessions();
    void packagesMissing_problemsOfferToFetch();
    void callBurst_longCallShowsWhileItRuns();
    void debug_pausesTheWorkerAtItsBreakpoint();
    void debug_pausesAMicroPythonWorker();
    void debug_pausesTwoWorkersAndLetsThemGoOneByOne();
    void debug_stepsInAMicroPythonWorkerAndPausesItsMainThread();
    void debug_conditionLogPointEvaluationAndUncaughtException();
    void breakpointDialog_refusesAHitCountItCannotRead();
    void about_namesTheLicenseNoWarrantyAndWhereTheTermsAre();

private:
    // A fresh copy of a project, so the test may edit it.
    QString copyOf(const QString &source);

    QTemporaryDir m_home;
    std::optional<VendorFiles> m_runtime;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_home.isValid());
    useThrowAwayHome(m_home.path());
    auto runtime = VendorFiles::load(VendorFiles::defaultDir());
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
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
    QVERIFY(part<EditorArea>(window)->mainTabs()->tabText(0).contains(u"main.py"));
    QVERIFY(part<EditorArea>(window)->workerTabs()->tabText(0).contains(u"primes"));
    QVERIFY(part<EditorArea>(window)->workerTabs()->tabText(0).contains(u"worker.py"));

    // The copy keeps the sample's scenario: the status bar counts its expected outcomes.
    const auto *expected = window.findChild<QLabel *>(QStringLiteral("expectationsLabel"));
    QVERIFY(expected);
    QVERIFY(expected->isVisibleTo(&window));
    QVERIFY2(expected->text().contains(u"3 expected outcome(s)"), qPrintable(expected->text()));

    window.run();
    const WorkerTableModel *workers = part<WorkersDock>(window)->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfWorker(workers, QStringLiteral("primes")) >= 0, PageTimeoutMs);
    const int row = rowOfWorker(workers, QStringLiteral("primes"));
    QTRY_COMPARE_WITH_TIMEOUT(WorkerState(workers->index(row, 0).data(WorkerTableModel::StateRole).toInt()),
                              WorkerState::Ready, PageTimeoutMs);
    // Ready, but nobody clicked yet: the call and its console line are still missing, and the
    // tooltip says which.
    QTRY_VERIFY_WITH_TIMEOUT(expected->text().contains(u"2 of 3 expected outcomes not met yet"), PageTimeoutMs);
    QVERIFY2(expected->toolTip().contains(u"no call primes.find_primes()"), qPrintable(expected->toolTip()));

    // Click Find Primes in the page, as a user would, once the page enabled it.
    QWebEnginePage *page = part<PreviewPane>(window)->page();
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, QStringLiteral("!document.querySelector('#find').disabled")).toBool(),
                             PageTimeoutMs);
    evaluate(page, QStringLiteral(
                       "document.querySelector('#limit').value = '1000000'; document.querySelector('#find').click();"));

    const CallTableModel *calls = part<CallLogDock>(window)->model();
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
    // Played by hand, the scenario's expected outcome is met.
    QTRY_VERIFY_WITH_TIMEOUT(expected->text().contains(u"all 3 expected outcome(s) met"), PageTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(part<PreviewPane>(window)->session()->responsiveness().sampleCount() > 4, PageTimeoutMs);
    QCOMPARE(part<ResponsivenessDock>(window)->level(), part<PreviewPane>(window)->session()->responsiveness().level());

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
    QTextBrowser *console = part<ConsoleDock>(window)->view();
    const QUrl divide = ConsoleDock::linkFor({QStringLiteral("fromsrc.py"), 3, {}});
    const QUrl boom = ConsoleDock::linkFor({QStringLiteral("index.html"), 14, {}});
    QTRY_VERIFY_WITH_TIMEOUT(console->toHtml().contains(divide.toString(QUrl::FullyEncoded)), PageTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(console->toHtml().contains(boom.toString(QUrl::FullyEncoded)), PageTimeoutMs);

    // Activating a link is what QTextBrowser reports as anchorClicked.
    Q_EMIT console->anchorClicked(divide);
    CodeEditor *editor = part<EditorArea>(window)->currentEditor();
    QVERIFY(editor);
    QVERIFY(editor->property("loomPath").toString().endsWith(u"/fromsrc.py"));
    QCOMPARE(editor->markedLine(), 3);
    int line = 0, index = 0;
    editor->getCursorPosition(&line, &index);
    QCOMPARE(line + 1, 3);

    Q_EMIT console->anchorClicked(boom);
    editor = part<EditorArea>(window)->currentEditor();
    QVERIFY(editor->property("loomPath").toString().endsWith(u"/index.html"));
    editor->getCursorPosition(&line, &index);
    QCOMPARE(line + 1, 14);
    QVERIFY(editor->text(line).contains(u"raise ValueError"));
}

// The window runs pages however they load PyScript, and says what failed to load.
void tst_MainWindow::coreLoadedByJavaScript_bridgedAndOffline()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + QStringLiteral("/fidelity/core-script-from-js"))));
    window.run();
    const WorkerTableModel *workers = part<WorkersDock>(window)->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfWorker(workers, QStringLiteral("words")) >= 0, PageTimeoutMs);
    const CallTableModel *calls = part<CallLogDock>(window)->model();
    QTRY_VERIFY_WITH_TIMEOUT(calls->rowCount() > 0 && calls->index(0, 0).data(CallTableModel::FinishedRole).toBool(),
                             PageTimeoutMs);
    QCOMPARE(calls->index(0, 0).data(CallTableModel::FunctionRole).toString(), QStringLiteral("count"));
    QCOMPARE(calls->index(0, CallTableModel::Outcome).data().toString(), QStringLiteral("4"));
    QTRY_COMPARE_WITH_TIMEOUT(
        evaluate(part<PreviewPane>(window)->page(), QStringLiteral("document.querySelector('#result').textContent"))
            .toString(),
        QStringLiteral("4 words"), PageTimeoutMs);
}

void tst_MainWindow::failedLoad_showsInTheConsole()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + QStringLiteral("/fidelity/failed-import"))));
    window.run();
    QTextBrowser *console = part<ConsoleDock>(window)->view();
    QTRY_VERIFY_WITH_TIMEOUT(
        console->toPlainText().contains(u"failed to load https://cdn.example.invalid/greeter/index.js"), PageTimeoutMs);
    QVERIFY2(console->toPlainText().contains(u"unreachable: offline"), qPrintable(console->toPlainText()));
    // The rest of the page still ran: the main script wrote its line.
    QTRY_COMPARE_WITH_TIMEOUT(
        evaluate(part<PreviewPane>(window)->page(), QStringLiteral("document.querySelector('#result').textContent"))
            .toString(),
        QStringLiteral("main thread ran"), PageTimeoutMs);
    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        part<ConsoleDock>(window)->show();
        part<ConsoleDock>(window)->raise();
        QTest::qWait(500);
        window.grab().save(QDir(shots).filePath(QStringLiteral("loom-failed-load.png")));
    }
}

void tst_MainWindow::unsavedChanges_areProtected()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Projects + QStringLiteral("/named-worker"));
    QVERIFY(window.openProject(project));
    const QString triple = project + QStringLiteral("/triple.py");
    const QByteArray before = readFile(triple);

    CodeEditor *editor = part<EditorArea>(window)->openFile(QStringLiteral("triple.py"));
    QVERIFY(editor);
    editor->insertAt(QStringLiteral("# edited in Loom\n"), 0, 0);
    QCOMPARE(part<EditorArea>(window)->modifiedFiles(), QStringList{QStringLiteral("triple.py")});

    QStringList asked;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    part<EditorArea>(window)->setUnsavedPrompt([&](const QStringList &files) {
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
    QVERIFY(readFile(triple).startsWith("# edited in Loom\n"));
}

void tst_MainWindow::saveAndF9_actOnTheEditorLastUsed()
{
    // Edit the worker on the right, then click into the console: Save and F9 still mean the worker.
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    if (!QTest::qWaitForWindowActive(&window)) // xcb on a bare X server: no window manager activates it
        QSKIP("Focus needs an active window; the offscreen platform (CTest's) gives one.");
    const QString project = copyOf(Samples + QStringLiteral("/primes"));
    QVERIFY(window.openProject(project));
    const QByteArray mainBefore = readFile(project + QStringLiteral("/main.py"));
    auto *worker = qobject_cast<CodeEditor *>(part<EditorArea>(window)->workerTabs()->currentWidget());
    QVERIFY(worker && worker->property("loomPath").toString().endsWith(u"/worker.py"));

    worker->setFocus();
    QTRY_VERIFY(worker->hasFocus());
    worker->insertAt(QStringLiteral("# edited in Loom\n"), 0, 0);
    worker->setCursorPosition(4, 0); // line 5
    QTextBrowser *console = part<ConsoleDock>(window)->view();
    console->setFocus();
    QTRY_VERIFY(console->hasFocus());

    window.findChild<QAction *>(QStringLiteral("loom.file.save"))->trigger();
    QVERIFY(readFile(project + QStringLiteral("/worker.py")).startsWith("# edited in Loom\n"));
    QCOMPARE(readFile(project + QStringLiteral("/main.py")), mainBefore);
    window.findChild<QAction *>(QStringLiteral("loom.run.toggleBreakpoint"))->trigger();
    QCOMPARE(worker->breakpointLines(), QList<int>{5});
    auto *main = qobject_cast<CodeEditor *>(part<EditorArea>(window)->mainTabs()->currentWidget());
    QVERIFY(main && main != worker);
    QVERIFY(main->breakpointLines().isEmpty());

    // Choosing the main script's tab makes it the current editor again.
    part<EditorArea>(window)->mainTabs()->setCurrentIndex(1);
    part<EditorArea>(window)->mainTabs()->setCurrentIndex(0);
    QCOMPARE(part<EditorArea>(window)->currentEditor(), main);
}

void tst_MainWindow::fileChangedOutside_isOfferedForReload()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Projects + QStringLiteral("/named-worker"));
    QVERIFY(window.openProject(project));
    const QString triple = QFileInfo(project + QStringLiteral("/triple.py")).absoluteFilePath();
    CodeEditor *editor = part<EditorArea>(window)->openFile(QStringLiteral("triple.py"));
    QVERIFY(editor);
    const QString mine = editor->text();

    QVERIFY(writeFile(triple, "def triple(x):\n    return 3 * x\n\n__export__ = ['triple']\n# changed elsewhere\n"));
    QTRY_VERIFY_WITH_TIMEOUT(part<EditorArea>(window)->changedOnDisk().contains(triple), 10'000);
    QVERIFY(part<EditorArea>(window)->findChild<QWidget *>(QStringLiteral("diskBanner"))->isVisible());
    QCOMPARE(editor->text(), mine); // offered, not done

    part<EditorArea>(window)->reloadFromDisk(triple);
    QVERIFY(editor->text().endsWith(u"# changed elsewhere\n"));
    QVERIFY(!part<EditorArea>(window)->findChild<QWidget *>(QStringLiteral("diskBanner"))->isVisible());
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

// The checks run on the editor's text as it is typed, unsaved: a name added to __export__ that
// the worker does not define shows in the Problems dock and in the editor, and goes when fixed.
void tst_MainWindow::problems_followTheEditorsText()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Samples + QStringLiteral("/primes"));
    QVERIFY(window.openProject(project));
    const DiagnosticModel *problems = part<Runtime::DiagnosticModel>(window);
    QTRY_VERIFY(!part<ProjectChecker>(window)->isChecking());
    QCOMPARE(problems->rowCount(), 0); // the sample is clean

    CodeEditor *worker = part<EditorArea>(window)->openFile(QStringLiteral("worker.py"));
    QVERIFY(worker);
    const QString original = worker->text();
    const int exportLine = int(original.left(original.indexOf(u"__export__")).count(u'\n')) + 1;
    QString broken = original;
    broken.replace(u"__export__ = [\"find_primes\"]"_s, u"__export__ = [\"find_primes\", \"find_primez\"]"_s);
    QVERIFY(broken != original);
    worker->setText(broken); // typed, not saved

    QTRY_COMPARE_WITH_TIMEOUT(problems->rowCount(), 1, 20000);
    const QModelIndex row = problems->index(0, 0);
    QCOMPARE(row.data(DiagnosticModel::FileRole).toString(), u"worker.py"_s);
    QCOMPARE(row.data(DiagnosticModel::LineRole).toInt(), exportLine);
    QCOMPARE(row.data(DiagnosticModel::CodeRole).toString(), u"export-undefined"_s);
    QVERIFY(problems->index(0, DiagnosticModel::Message).data().toString().contains(u"find_primez"));
    QCOMPARE(worker->diagnosticLines(), QList<int>{exportLine});
    QVERIFY(part<ProblemsDock>(window)->windowTitle().contains(u"(1)"));
    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        part<ProblemsDock>(window)->raise();
        worker->goToLine(exportLine);
        QTest::qWait(300);
        window.grab().save(QDir(shots).filePath(QStringLiteral("loom-problems.png")));
    }

    // Activating the row leads to the line.
    QTableView *table = part<ProblemsDock>(window)->table();
    Q_EMIT table->activated(table->model()->index(0, DiagnosticModel::Message));
    QCOMPARE(part<EditorArea>(window)->currentEditor(), worker);
    QCOMPARE(worker->markedLine(), exportLine);

    worker->setText(original);
    QTRY_COMPARE_WITH_TIMEOUT(problems->rowCount(), 0, 20000);
    QVERIFY(worker->diagnosticLines().isEmpty());
    // Nothing of it reached the disk.
    QFile onDisk(project + QStringLiteral("/worker.py"));
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    QVERIFY(!onDisk.readAll().contains("find_primez"));
}

// Ctrl+Space in a Python file lists what Jedi finds, with Loom's stubs of the pyscript module.
void tst_MainWindow::completion_offersThePyscriptApi()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Samples + QStringLiteral("/primes"))));
    CodeEditor *main = part<EditorArea>(window)->openFile(QStringLiteral("main.py"));
    QVERIFY(main);
    auto *completer = main->findChild<PythonCompleter *>();
    QVERIFY(completer);
    main->append(QStringLiteral("\nfrom pyscript import wor"));
    const int last = main->lines() - 1;
    main->setCursorPosition(last, main->text(last).size());
    main->setFocus();
    QSignalSpy answered(completer, &PythonCompleter::answered);
    QTest::keyClick(main, Qt::Key_Space, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(answered.count(), 1, 20000);
    QVERIFY(main->SendScintilla(QsciScintillaBase::SCI_AUTOCACTIVE));
    QByteArray current(256, '\0');
    main->SendScintilla(QsciScintillaBase::SCI_AUTOCGETCURRENTTEXT, 0UL, current.data());
    QCOMPARE(QByteArray(current.constData()), QByteArray("workers"));
    // Enter takes it.
    QTest::keyClick(main, Qt::Key_Return);
    QVERIFY2(main->text(last).trimmed() == u"from pyscript import workers", qPrintable(main->text(last)));
}

// The preview's browser profile is persistent and the project keeps its origin, so what
// the browser kept (its HTTP cache, PyScript's own package cache in IndexedDB) serves the next
// window session even when Loom's package cache is gone and there is no network.
void tst_MainWindow::packages_persistAcrossWindowSessions()
{
    StandInUpstream upstream;
    QVERIFY(upstream.start());
    auto runtime = VendorFiles::load(upstream.work.filePath(u"runtime"_s)); // its lock lists the stand-in's wheels
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
    const QString project = copyOf(Projects + u"/packages-worker"_s);
    const auto answer = [](MainWindow &window) {
        return evaluate(part<PreviewPane>(window)->page(), u"document.querySelector('#result').textContent"_s)
            .toString();
    };

    quint16 firstPort = 0;
    {
        Settings settings;
        MainWindow window(*runtime, &settings);
        window.show();
        QStringList fetched;
        connect(part<PreviewPane>(window), &PreviewPane::packageProgress, &window,
                [&](const PackageProgress &progress) {
                    if (progress.finished && progress.error.isEmpty())
                        fetched.append(progress.fileName);
                });
        QVERIFY(window.openProject(project));
        window.run();
        QTRY_COMPARE_WITH_TIMEOUT(answer(window), u"answer 42"_s, PageTimeoutMs);
        // Loom fetched both files, and said so as they came.
        QCOMPARE(fetched, QStringList({u"micropip-0.11.1-py3-none-any.whl"_s, u"loomtest-1.0-py3-none-any.whl"_s}));
        firstPort = part<PreviewPane>(window)->port();
        QVERIFY(firstPort > 0);
    }
    QThreadPool::globalInstance()->waitForDone(); // the first window's server has stopped

    // No network, and nothing in Loom's package cache: only the browser profile remembers.
    upstream.stop();
    QVERIFY(QDir(upstream.work.filePath(u"cache/pyodide-314.0.2"_s)).removeRecursively());

    Settings settings;
    MainWindow window(*runtime, &settings);
    window.show();
    QVERIFY(window.openProject(project));
    window.run();
    QTRY_COMPARE_WITH_TIMEOUT(answer(window), u"answer 42"_s, PageTimeoutMs);
    QCOMPARE(part<PreviewPane>(window)->port(), firstPort); // the same origin as the first session
}

// Offline, a package missing from Loom's cache is a problem, and the Problems dock offers
// to fetch it; once fetched, the problem is gone.
void tst_MainWindow::packagesMissing_problemsOfferToFetch()
{
    StandInUpstream upstream;
    QVERIFY(upstream.start());
    auto runtime = VendorFiles::load(upstream.work.filePath(u"runtime"_s));
    QVERIFY2(runtime, qPrintable(runtime ? QString() : runtime.error()));
    Settings settings;
    MainWindow window(*runtime, &settings);
    window.resize(1400, 900);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + u"/packages-worker"_s)));
    QTRY_VERIFY_WITH_TIMEOUT(hasDiagnostic(part<Runtime::DiagnosticModel>(window), u"offline-packages"_s), 30'000);
    auto *fetch = part<ProblemsDock>(window)->findChild<QPushButton *>(u"fetchPackagesButton"_s);
    QVERIFY(fetch);
    QVERIFY(fetch->isVisibleTo(part<ProblemsDock>(window)));
    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        part<ProblemsDock>(window)->raise();
        QTest::qWait(500);
        window.grab().save(QDir(shots).filePath(QStringLiteral("loom-packages-missing.png")));
    }
    fetch->click();
    QTRY_VERIFY_WITH_TIMEOUT(!hasDiagnostic(part<Runtime::DiagnosticModel>(window), u"offline-packages"_s), 60'000);
    QVERIFY(!fetch->isVisibleTo(part<ProblemsDock>(window)));
    QCOMPARE(QDir(upstream.work.filePath(u"cache/pyodide-314.0.2/packages"_s)).entryList(QDir::Files, QDir::Name),
             QStringList({u"loomtest-1.0-py3-none-any.whl"_s, u"micropip-0.11.1-py3-none-any.whl"_s}));
}

void tst_MainWindow::callBurst_longCallShowsWhileItRuns()
{
    // 300 quick calls with one in the middle that keeps the worker busy for 3 s: whatever the
    // bridge does to keep a burst cheap, the long call is in the call log, and its worker busy,
    // while it runs, and every call of the burst arrives.
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + QStringLiteral("/call-burst"))));
    window.run();
    const CallTableModel *calls = part<CallLogDock>(window)->model();
    const auto rowsOf = [calls](const QString &function) {
        QList<int> rows;
        for (int row = 0; row < calls->rowCount(); ++row) {
            if (calls->index(row, 0).data(CallTableModel::FunctionRole).toString() == function)
                rows.append(row);
        }
        return rows;
    };
    QTRY_VERIFY_WITH_TIMEOUT(!rowsOf(QStringLiteral("slow")).isEmpty(), PageTimeoutMs);
    QVERIFY2(!calls->index(rowsOf(QStringLiteral("slow")).first(), 0).data(CallTableModel::FinishedRole).toBool(),
             "slow() appeared in the call log only when it had ended");
    const WorkerTableModel *workers = part<WorkersDock>(window)->model();
    QCOMPARE(
        WorkerState(
            workers->index(rowOfWorker(workers, QStringLiteral("calc")), 0).data(WorkerTableModel::StateRole).toInt()),
        WorkerState::Busy);

    QWebEnginePage *page = part<PreviewPane>(window)->page();
    QTRY_COMPARE_WITH_TIMEOUT(evaluate(page, QStringLiteral("document.querySelector('#out').textContent")).toString(),
                              QStringLiteral("burst 45150, slow done"), PageTimeoutMs);
    // Every call of the burst reaches the log (the last batch within a flush), with its result.
    QTRY_COMPARE_WITH_TIMEOUT(rowsOf(QStringLiteral("add")).size(), 300, PageTimeoutMs);
    QVERIFY(calls->index(rowsOf(QStringLiteral("slow")).first(), 0).data(CallTableModel::FinishedRole).toBool());
    const QList<int> adds = rowsOf(QStringLiteral("add"));
    QSet<QString> results;
    for (int row : adds) {
        QVERIFY(calls->index(row, 0).data(CallTableModel::OkRole).toBool());
        results.insert(calls->index(row, CallTableModel::Outcome).data().toString());
    }
    QCOMPARE(results.size(), 300); // add(i, 1) for i in 0..299: 300 different results
    QCOMPARE(rowsOf(QStringLiteral("slow")).size(), 1);
    QCOMPARE(
        WorkerState(
            workers->index(rowOfWorker(workers, QStringLiteral("calc")), 0).data(WorkerTableModel::StateRole).toInt()),
        WorkerState::Ready);

    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        QTest::qWait(1000);
        window.grab().save(QDir(shots).filePath(QStringLiteral("loom-call-burst.png")));
    }
}

// The debugger's "done when": open the primes sample, set a breakpoint inside find_primes, press
// Debug, click Find Primes: the worker pauses there with `limit` in its locals, while the page
// (its main thread) stays alive; Continue lets it finish with the right count. Breakpoints are
// kept with the project.
void tst_MainWindow::debug_pausesTheWorkerAtItsBreakpoint()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Samples + QStringLiteral("/primes"));
    QVERIFY(window.openProject(project));

    CodeEditor *worker = part<EditorArea>(window)->openFile(QStringLiteral("worker.py"));
    QVERIFY(worker);
    worker->toggleBreakpoint(52); // primes = _sieve_numpy(...) if ... else _sieve_python(limit)
    QCOMPARE(worker->breakpointLines(), QList<int>{52});
    QCOMPARE(settings.projectBreakpoints(project).size(), 1);
    QCOMPARE(breakpointFromSetting(settings.projectBreakpoints(project).first()).value_or(Breakpoint{}),
             (Breakpoint{QStringLiteral("worker.py"), 52}));

    window.findChild<QAction *>(QStringLiteral("loom.run.debug"))->trigger();
    const WorkerTableModel *workers = part<WorkersDock>(window)->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfWorker(workers, QStringLiteral("primes")) >= 0, PageTimeoutMs);
    QWebEnginePage *page = part<PreviewPane>(window)->page();
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, QStringLiteral("!document.querySelector('#find').disabled")).toBool(),
                             PageTimeoutMs);
    evaluate(page, QStringLiteral(
                       "document.querySelector('#limit').value = '1000000'; document.querySelector('#find').click();"));

    QTRY_VERIFY(part<PreviewPane>(window)->debugger()); // Debug places the breakpoints first, then runs
    DebugController *debugger = part<PreviewPane>(window)->debugger();
    QTRY_COMPARE_WITH_TIMEOUT(debugger->paused().size(), 1, PageTimeoutMs);
    const DebugHit hit = debugger->paused().first().hit;
    QCOMPARE(hit.thread, QStringLiteral("worker:primes"));
    QCOMPARE(hit.file, QStringLiteral("worker.py"));
    QCOMPARE(hit.line, 52);
    QCOMPARE(hit.function, QStringLiteral("find_primes"));
    QVERIFY(hit.locals.contains(QPair<QString, QString>(QStringLiteral("limit"), QStringLiteral("1000000"))));
    // The Debug dock shows it, the editor shows where, and the page's main thread still answers.
    QTreeWidget *tree = part<DebugDock>(window)->tree();
    QTRY_COMPARE(pausedThreads(tree), QStringList{QStringLiteral("worker:primes")});
    // The threads that are not paused are listed too, with their state.
    QVERIFY(!tree->findItems(QStringLiteral("main:mpy"), Qt::MatchExactly).isEmpty());
    QTRY_COMPARE(part<EditorArea>(window)->currentEditor()->pausedLine(), 52);
    QCOMPARE(evaluate(page, QStringLiteral("document.querySelector('#status').textContent.length > 0")).toBool(), true);
    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        QTest::qWait(500);
        window.grab().save(QDir(shots).filePath(QStringLiteral("loom-debug.png")));
    }

    // Step into the sieve, then out of it: back in find_primes, past the call.
    window.findChild<QAction *>(QStringLiteral("loom.run.stepInto"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        debugger->paused().size() == 1 && debugger->paused().first().hit.function == u"_sieve_python", PageTimeoutMs);
    QCOMPARE(debugger->paused().first().hit.line, 28);
    QCOMPARE(debugger->paused().first().hit.stack.size(), 2); // _sieve_python, called by find_primes
    // find_primes calls the sieve directly; below find_primes is the runtime that runs it (the
    // asyncio task of the worker's call): folded in the dock into one grey line.
    QCOMPARE(debugger->paused().first().hit.stack.at(1).folded, 0);
    QVERIFY(debugger->paused().first().hit.foldedOuter > 0);
    QTRY_VERIFY(!tree->findItems(QStringLiteral("⋯"), Qt::MatchStartsWith | Qt::MatchRecursive).isEmpty());
    window.findChild<QAction *>(QStringLiteral("loom.run.stepOut"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        debugger->paused().size() == 1 && debugger->paused().first().hit.function == u"find_primes", PageTimeoutMs);
    QVERIFY2(debugger->paused().first().hit.line > 52,
             qPrintable(QString::number(debugger->paused().first().hit.line)));
    QTRY_VERIFY(part<EditorArea>(window)->currentEditor()->pausedLine() > 52);

    window.findChild<QAction *>(QStringLiteral("loom.run.continue"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, QStringLiteral("document.querySelector('#output').textContent"))
                                 .toString()
                                 .contains(u"Found 78498 primes"),
                             PageTimeoutMs);
    QCOMPARE(debugger->paused().size(), 0);

    // Stop while paused: the thread is let go with its page, and nothing stays paused.
    const PageSession *firstRun = part<PreviewPane>(window)->session();
    window.findChild<QAction *>(QStringLiteral("loom.run.debug"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(part<PreviewPane>(window)->session() != firstRun, PageTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfWorker(workers, QStringLiteral("primes")) >= 0, PageTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(evaluate(page, QStringLiteral("!document.querySelector('#find').disabled")).toBool(),
                             PageTimeoutMs);
    evaluate(page, QStringLiteral(
                       "document.querySelector('#limit').value = '500'; document.querySelector('#find').click();"));
    QTRY_COMPARE_WITH_TIMEOUT(debugger->paused().size(), 1, PageTimeoutMs);
    QCOMPARE(debugger->paused().first().hit.locals.first(),
             (QPair<QString, QString>(QStringLiteral("limit"), QStringLiteral("500"))));
    window.stop();
    QTRY_COMPARE(debugger->paused().size(), 0);
    QTRY_COMPARE(pausedThreads(tree), QStringList());
    QCOMPARE(part<EditorArea>(window)->currentEditor()->pausedLine(), 0);
}

// MicroPython pauses too (its settrace build, served for the plain one): the hit says its frames
// have no locals rather than showing none, and Continue lets the page finish.
void tst_MainWindow::debug_pausesAMicroPythonWorker()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + QStringLiteral("/py-main-mpy-worker"))));
    CodeEditor *words = part<EditorArea>(window)->openFile(QStringLiteral("words.py"));
    QVERIFY(words);
    words->toggleBreakpoint(10); // return sum(1 for w in WORDS if w == word)

    window.findChild<QAction *>(QStringLiteral("loom.run.debug"))->trigger();
    QTRY_VERIFY(part<PreviewPane>(window)->debugger()); // Debug places the breakpoints first, then runs
    DebugController *debugger = part<PreviewPane>(window)->debugger();
    QTRY_COMPARE_WITH_TIMEOUT(debugger->paused().size(), 1, PageTimeoutMs); // the page calls count() as it loads
    const DebugHit hit = debugger->paused().first().hit;
    QCOMPARE(hit.thread, QStringLiteral("worker:words"));
    QCOMPARE(hit.file, QStringLiteral("words.py"));
    QCOMPARE(hit.line, 10);
    QCOMPARE(hit.function, QStringLiteral("count"));
    QVERIFY2(hit.localsMissing.contains(u"no frame locals"), qPrintable(hit.localsMissing));

    // Its generator expression runs on the same line: Continue until the thread is let be.
    QWebEnginePage *page = part<PreviewPane>(window)->page();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            if (const QList<DebugController::Paused> paused = debugger->paused(); !paused.isEmpty())
                debugger->resume(paused.first().id);
            return evaluate(page, QStringLiteral("document.querySelector('#out').textContent"))
                .toString()
                .contains(u"threads x2");
        }(),
        PageTimeoutMs);
}

// Two workers paused on one line at once: each is a thread of its own in the Debug dock, and
// Continue lets the selected one go while the other stays paused. The breakpoint was set on a
// comment: Debug moved it to the line below, as debuggers do, and said so.
void tst_MainWindow::debug_pausesTwoWorkersAndLetsThemGoOneByOne()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + QStringLiteral("/debug-two-workers"))));
    CodeEditor *square = part<EditorArea>(window)->openFile(QStringLiteral("square.py"));
    QVERIFY(square);
    square->toggleBreakpoint(2); // a comment: Debug moves it to the next line with code

    window.findChild<QAction *>(QStringLiteral("loom.run.debug"))->trigger();
    QTRY_COMPARE(square->breakpointLines(), QList<int>{3}); // result = n * n
    QVERIFY2(window.statusBar()->currentMessage().contains(u"square.py:2 moved to line 3"),
             qPrintable(window.statusBar()->currentMessage()));
    QTRY_VERIFY(part<PreviewPane>(window)->debugger()); // Debug places the breakpoints first, then runs
    DebugController *debugger = part<PreviewPane>(window)->debugger();
    QTRY_COMPARE_WITH_TIMEOUT(debugger->paused().size(), 2, PageTimeoutMs);
    QStringList threads;
    for (const DebugController::Paused &paused : debugger->paused()) {
        threads.append(paused.hit.thread);
        QCOMPARE(paused.hit.line, 3);
    }
    threads.sort();
    QCOMPARE(threads, (QStringList{QStringLiteral("worker:left"), QStringLiteral("worker:right")}));
    QTreeWidget *tree = part<DebugDock>(window)->tree();
    QTRY_COMPARE(pausedThreads(tree).size(), 2);

    // The user picks "right" in the dock and presses Continue: right answers, left stays paused.
    QWebEnginePage *page = part<PreviewPane>(window)->page();
    const auto text = [page](const char *id) { return textOf(page, id); };
    const QList<QTreeWidgetItem *> right = tree->findItems(QStringLiteral("worker:right"), Qt::MatchExactly);
    QCOMPARE(right.size(), 1);
    tree->setCurrentItem(right.first());
    window.findChild<QAction *>(QStringLiteral("loom.run.continue"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(text("right"), QStringLiteral("right: 16"), PageTimeoutMs);
    QTRY_COMPARE(debugger->paused().size(), 1);
    QCOMPARE(debugger->paused().first().hit.thread, QStringLiteral("worker:left"));
    QCOMPARE(text("left"), QStringLiteral("waiting"));
    QTRY_COMPARE(pausedThreads(tree).size(), 1);

    window.findChild<QAction *>(QStringLiteral("loom.run.continue"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(text("left"), QStringLiteral("left: 9"), PageTimeoutMs);
    QTRY_COMPARE(debugger->paused().size(), 0);
}

// MicroPython threads step like Pyodide's (the settrace build): Over, Into and Out follow the
// project's lines in a worker and on the main thread (its page waits while it is paused), whose
// frames say they have no locals.
void tst_MainWindow::debug_stepsInAMicroPythonWorkerAndPausesItsMainThread()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QVERIFY(window.openProject(copyOf(Projects + QStringLiteral("/debug-two-workers"))));
    CodeEditor *square = part<EditorArea>(window)->openFile(QStringLiteral("square.py"));
    CodeEditor *main = part<EditorArea>(window)->openFile(QStringLiteral("main.py"));
    QVERIFY(square && main);
    square->toggleBreakpoint(3); // result = n * n
    main->toggleBreakpoint(12);  // text = label(name, value)

    window.findChild<QAction *>(QStringLiteral("loom.run.debug"))->trigger();
    QTRY_VERIFY(part<PreviewPane>(window)->debugger()); // Debug places the breakpoints first, then runs
    DebugController *debugger = part<PreviewPane>(window)->debugger();
    const auto pausedIn = [debugger](const QString &thread) -> std::optional<DebugController::Paused> {
        for (const DebugController::Paused &paused : debugger->paused()) {
            if (paused.hit.thread == thread)
                return paused;
        }
        return std::nullopt;
    };
    // Resumes `thread`'s pause as `how`, and waits for its next one: (line, function).
    const auto step = [&](const QString &thread, DebugController::Resume how) {
        const quint64 from = pausedIn(thread)->id; // a resumed pause stays listed until its thread wakes
        debugger->resume(from, how);
        const bool next = QTest::qWaitFor([&] { return pausedIn(thread) && pausedIn(thread)->id != from; },
                                          PageTimeoutMs);
        return next ? std::pair{pausedIn(thread)->hit.line, pausedIn(thread)->hit.function}
                    : std::pair{0, QStringLiteral("(no pause)")};
    };
    using Resume = DebugController::Resume;
    QTRY_VERIFY_WITH_TIMEOUT(pausedIn(u"worker:left"_s) && pausedIn(u"worker:right"_s), PageTimeoutMs);
    debugger->resume(pausedIn(u"worker:right"_s)->id);
    QCOMPARE(step(u"worker:left"_s, Resume::StepOver), (std::pair{4, QStringLiteral("square")}));
    QCOMPARE(step(u"worker:left"_s, Resume::StepInto), (std::pair{9, QStringLiteral("twice")}));
    QCOMPARE(step(u"worker:left"_s, Resume::StepOut), (std::pair{5, QStringLiteral("square")}));
    debugger->resume(pausedIn(u"worker:left"_s)->id);

    // Each answer reaches the main thread, which pauses at line 12 once for each worker. The first
    // time, it steps: into label, out of it, over to the next line.
    QTRY_VERIFY_WITH_TIMEOUT(pausedIn(u"main:mpy"_s), PageTimeoutMs);
    DebugHit hit = pausedIn(u"main:mpy"_s)->hit;
    QCOMPARE((std::pair{hit.file, hit.line}), (std::pair{QStringLiteral("main.py"), 12}));
    QCOMPARE(hit.function, QStringLiteral("ask"));
    QVERIFY2(hit.localsMissing.contains(u"no frame locals"), qPrintable(hit.localsMissing));
    QCOMPARE(step(u"main:mpy"_s, Resume::StepInto), (std::pair{6, QStringLiteral("label")}));
    QCOMPARE(step(u"main:mpy"_s, Resume::StepOut), (std::pair{13, QStringLiteral("ask")}));
    debugger->resume(pausedIn(u"main:mpy"_s)->id);
    const quint64 first = QTest::qWaitFor(
                              [&] { return pausedIn(u"main:mpy"_s) && pausedIn(u"main:mpy"_s)->hit.line == 12; },
                              PageTimeoutMs)
                              ? pausedIn(u"main:mpy"_s)->id
                              : 0;
    QVERIFY(first);
    QCOMPARE(step(u"main:mpy"_s, Resume::StepOver), (std::pair{13, QStringLiteral("ask")}));
    debugger->resume(pausedIn(u"main:mpy"_s)->id);

    QWebEnginePage *page = part<PreviewPane>(window)->page();
    QTRY_COMPARE_WITH_TIMEOUT(textOf(page, "left"), QStringLiteral("left: 9"), PageTimeoutMs);
    QCOMPARE(textOf(page, "right"), QStringLiteral("right: 16"));
    QTRY_COMPARE(debugger->paused().size(), 0);
}

// A Pyodide worker, debugged as a user would: a conditional breakpoint pauses only when its
// condition holds, with the locals and globals of that moment; an expression is evaluated in the
// paused frame; a log point prints to the worker's console without pausing; and an exception no
// project code catches pauses where it was raised, then goes on to the page as in a plain run.
void tst_MainWindow::debug_conditionLogPointEvaluationAndUncaughtException()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    const QString project = copyOf(Projects + QStringLiteral("/debug-exception"));
    QVERIFY(window.openProject(project));
    CodeEditor *stats = part<EditorArea>(window)->openFile(QStringLiteral("stats.py"));
    QVERIFY(stats);
    stats->setBreakpoint({QString(), 8, QStringLiteral("value == 3")});    // total += value * SCALE
    stats->setBreakpoint({QString(), 9, {}, {}, QStringLiteral("total")}); // return total: a log point
    QCOMPARE(settings.projectBreakpoints(project).size(), 2);
    QCOMPARE(breakpointFromSetting(settings.projectBreakpoints(project).first())->condition,
             QStringLiteral("value == 3"));
    QCOMPARE(settings.exceptionBreak(), ExceptionBreak::Uncaught); // on by default

    window.findChild<QAction *>(QStringLiteral("loom.run.debug"))->trigger();
    QTRY_VERIFY(part<PreviewPane>(window)->debugger()); // Debug places the breakpoints first, then runs
    DebugController *debugger = part<PreviewPane>(window)->debugger();
    QTRY_COMPARE_WITH_TIMEOUT(debugger->paused().size(), 1, PageTimeoutMs);
    DebugHit hit = debugger->paused().first().hit;
    QCOMPARE(hit.thread, QStringLiteral("worker:stats"));
    QVERIFY2(hit.line == 8,
             qPrintable(hit.file + u':' + QString::number(hit.line) + u' ' + hit.exception + u' ' + hit.function));
    QVERIFY(hit.locals.contains(QPair<QString, QString>(QStringLiteral("value"), QStringLiteral("3"))));
    QVERIFY(hit.locals.contains(QPair<QString, QString>(QStringLiteral("total"), QStringLiteral("30"))));
    QVERIFY(hit.globals.contains(QPair<QString, QString>(QStringLiteral("SCALE"), QStringLiteral("10"))));
    // The dock's list under Locals expands: items holds 1, 2, 3, 4 (values, the JavaScript array
    // it was made from, is shown by its type and never read).
    QVERIFY(hit.locals.contains(QPair<QString, QString>(QStringLiteral("values"), QStringLiteral("<JsProxy>"))));
    QTreeWidget *tree = part<DebugDock>(window)->tree();
    QTRY_COMPARE(pausedThreads(tree).size(), 1);
    const QList<QTreeWidgetItem *> values = tree->findItems(QStringLiteral("items"),
                                                            Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(values.size(), 1);
    QCOMPARE(values.first()->childCount(), 4);
    QCOMPARE(values.first()->child(3)->text(1), QStringLiteral("4"));

    // The user opens Globals; it stays open through what follows (each answer is a new pause).
    const auto globalsItem = [tree] {
        const QList<QTreeWidgetItem *> found = tree->findItems(QStringLiteral("Globals"),
                                                               Qt::MatchExactly | Qt::MatchRecursive);
        return found.isEmpty() ? nullptr : found.first();
    };
    QVERIFY(globalsItem() && !globalsItem()->isExpanded());
    globalsItem()->setExpanded(true);

    // Evaluate in the paused frame: the thread answers and stays paused.
    auto *expression = window.findChild<QLineEdit *>(QStringLiteral("evaluateEdit"));
    QVERIFY(expression && expression->isEnabled());
    expression->setText(QStringLiteral("total + value * SCALE"));
    QTest::keyClick(expression, Qt::Key_Return);
    QPlainTextEdit *evaluations = part<DebugDock>(window)->evaluations();
    QTRY_VERIFY_WITH_TIMEOUT(evaluations->toPlainText().contains(u"total + value * SCALE = 60"), PageTimeoutMs);
    QTRY_COMPARE(debugger->paused().size(), 1);
    QVERIFY(globalsItem() && globalsItem()->isExpanded());

    // Continue: the log point logs the sum to the worker's console and the page shows it.
    window.findChild<QAction *>(QStringLiteral("loom.run.continue"))->trigger();
    QWebEnginePage *page = part<PreviewPane>(window)->page();
    const auto text = [page](const char *id) { return textOf(page, id); };
    QTRY_COMPARE_WITH_TIMEOUT(text("sum"), QStringLiteral("sum 100"), PageTimeoutMs);
    PageSession *session = part<PreviewPane>(window)->session();
    QTRY_VERIFY(std::ranges::any_of(session->console().entries(QStringLiteral("worker:stats")), [](const auto &entry) {
        return entry.text == u"log point stats.py:9: total = 100";
    }));

    // mean([]) divides by zero, and nothing in the project catches it: paused where it was raised.
    QTRY_COMPARE_WITH_TIMEOUT(debugger->paused().size(), 1, PageTimeoutMs);
    hit = debugger->paused().first().hit;
    QCOMPARE(hit.exception, QStringLiteral("ZeroDivisionError: division by zero"));
    QCOMPARE(hit.exceptionKind, QStringLiteral("uncaught"));
    QCOMPARE((std::pair{hit.line, hit.function}), (std::pair{14, QStringLiteral("mean")}));
    QVERIFY(hit.locals.contains(QPair<QString, QString>(QStringLiteral("count"), QStringLiteral("0"))));
    QTRY_VERIFY(pausedThreads(tree).size() == 1 && tree->topLevelItem(0)->text(1).contains(u"uncaught"));
    if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty()) {
        QTest::qWait(500);
        window.grab().save(QDir(shots).filePath(QStringLiteral("loom-debug-exception.png")));
    }
    QCOMPARE(text("error"), QStringLiteral("waiting"));
    window.findChild<QAction *>(QStringLiteral("loom.run.continue"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(text("error"), QStringLiteral("mean failed: ZeroDivisionError"), PageTimeoutMs);
    QCOMPARE(debugger->paused().size(), 0);
}

// A hit count Loom cannot read is refused before a run, in the dialog.
void tst_MainWindow::breakpointDialog_refusesAHitCountItCannotRead()
{
    BreakpointDialog dialog({QStringLiteral("w.py"), 4});
    auto *hits = dialog.findChild<QLineEdit *>(QStringLiteral("hitConditionEdit"));
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    QVERIFY(hits && buttons);
    hits->setText(QStringLiteral("five"));
    QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("problemLabel"))->isHidden());
    hits->setText(QStringLiteral(">=5"));
    QVERIFY(buttons->button(QDialogButtonBox::Ok)->isEnabled());
    dialog.findChild<QLineEdit *>(QStringLiteral("logEdit"))->setText(QStringLiteral(" n "));
    QCOMPARE(dialog.breakpoint(),
             (Breakpoint{QStringLiteral("w.py"), 4, {}, QStringLiteral(">=5"), QStringLiteral("n")}));
}

void tst_MainWindow::about_namesTheLicenseNoWarrantyAndWhereTheTermsAre()
{
    Settings settings;
    MainWindow window(*m_runtime, &settings);
    window.show();
    QMenu *help = nullptr;
    for (QAction *menu : window.menuBar()->actions()) {
        if (menu->text() == u"&Help")
            help = menu->menu();
    }
    QVERIFY(help);
    QAction *about = nullptr;
    QStringList items;
    for (QAction *action : help->actions()) {
        items.append(action->text());
        if (action->text() == u"&About Loom")
            about = action;
    }
    QCOMPARE(items, (QStringList{QStringLiteral("&About Loom"), QStringLiteral("About &Qt")}));

    QString text;
    QTimer::singleShot(0, &window, [&text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        text = box->text();
        if (const QString shots = qEnvironmentVariable("LOOM_SCREENSHOT_DIR"); !shots.isEmpty())
            box->grab().save(shots + u"/loom-about.png"_s);
        box->accept();
    });
    about->trigger(); // modal: returns once the box above is closed
    QVERIFY2(text.contains(u"GNU General Public License, version 3 or (at your option) any later version"),
             qPrintable(text));
    QVERIFY(text.contains(u"ABSOLUTELY NO WARRANTY"));
    // A link to the copyright file that holds the terms of everything in the package.
    const QRegularExpressionMatch link = QRegularExpression(u"<a href=\"([^\"]+)\">"_s).match(text);
    QVERIFY2(link.hasMatch(), qPrintable(text));
    const QString copyright = QUrl(link.captured(1)).toLocalFile();
    QVERIFY2(
        readFile(copyright).startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"),
        qPrintable(copyright));
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
