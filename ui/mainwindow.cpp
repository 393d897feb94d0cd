#include "mainwindow.h"

#include "actionregistry.h"
#include "docks/calllogdock.h"
#include "docks/consoledock.h"
#include "docks/debugdock.h"
#include "docks/devtoolsdock.h"
#include "docks/problemsdock.h"
#include "docks/projectdock.h"
#include "docks/responsivenessdock.h"
#include "docks/workersdock.h"
#include "editor/codeeditor.h"
#include "editor/documentstore.h"
#include "editor/findbar.h"
#include "editorarea.h"
#include "gallery/samplegallery.h"
#include "gallery/thumbnailrenderer.h"
#include "previewpane.h"
#include "projectchecker.h"
#include "projecttemplate.h"
#include "runonsave.h"
#include "settings.h"
#include "startpage.h"
#include "statuscolors.h"

#include "runtime/bridge/pagesession.h"
#include "runtime/debug/placement.h"
#include "runtime/export/siteexport.h"
#include "runtime/models/diagnosticmodel.h"
#include "runtime/models/samplelistmodel.h"
#include "runtime/packages/projectpackages.h"
#include "runtime/project/samples.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrentRun>

namespace Loom::Ui {

using namespace Runtime;
using namespace Qt::StringLiterals;

namespace Id {
constexpr auto NewProject = "loom.file.new";
constexpr auto OpenFolder = "loom.file.open";
constexpr auto Save = "loom.file.save";
constexpr auto SaveAll = "loom.file.saveAll";
constexpr auto RunOnSave = "loom.file.runOnSave";
constexpr auto ExportSite = "loom.file.export";
constexpr auto CloseProject = "loom.file.close";
constexpr auto Gallery = "loom.file.gallery";
constexpr auto Quit = "loom.file.quit";
constexpr auto Find = "loom.edit.find";
constexpr auto GoToLine = "loom.edit.goToLine";
constexpr auto Run = "loom.run.run";
constexpr auto Stop = "loom.run.stop";
constexpr auto FetchPackages = "loom.run.fetchPackages";
constexpr auto Debug = "loom.run.debug";
constexpr auto Continue = "loom.run.continue";
constexpr auto StepOver = "loom.run.stepOver";
constexpr auto StepInto = "loom.run.stepInto";
constexpr auto StepOut = "loom.run.stepOut";
constexpr auto ToggleBreakpoint = "loom.run.toggleBreakpoint";
constexpr auto EditBreakpoint = "loom.run.editBreakpoint";
constexpr auto PauseUncaught = "loom.run.pauseOnExceptions.uncaught";
constexpr auto PauseRaised = "loom.run.pauseOnExceptions.raised";
constexpr auto PauseNever = "loom.run.pauseOnExceptions.never";
constexpr auto ThemeSystem = "loom.view.theme.system";
constexpr auto ThemeLight = "loom.view.theme.light";
constexpr auto ThemeDark = "loom.view.theme.dark";
constexpr auto About = "loom.help.about";
constexpr auto AboutQt = "loom.help.aboutQt";
} // namespace Id

namespace {
QString id(const char *name)
{
    return QString::fromLatin1(name);
}
} // namespace

MainWindow::MainWindow(VendorFiles runtime, Settings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_runtime(runtime)
    , m_settings(settings)
    , m_actions(new ActionRegistry(this))
    , m_stack(new QStackedWidget)
    , m_diagnostics(new DiagnosticModel(this))
    , m_samples(new SampleListModel(this))
    , m_thumbnails(new ThumbnailRenderer(runtime, this))
    , m_startPage(new StartPage(settings, m_samples, m_thumbnails))
    , m_workspace(new QSplitter(Qt::Horizontal))
    , m_editors(new EditorArea)
    , m_findBar(new FindBar)
    , m_preview(new PreviewPane(std::move(runtime)))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QStringLiteral("Loom"));
    auto *editorColumn = new QWidget;
    auto *editorLayout = new QVBoxLayout(editorColumn);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->setSpacing(0);
    editorLayout->addWidget(m_editors, 1);
    editorLayout->addWidget(m_findBar);
    m_findBar->hide();
    m_workspace->addWidget(editorColumn);
    m_workspace->addWidget(m_preview);
    m_workspace->setStretchFactor(0, 3);
    m_workspace->setStretchFactor(1, 2);
    m_stack->addWidget(m_startPage);
    m_stack->addWidget(m_workspace);
    setCentralWidget(m_stack);

    createActions();
    createDocks();
    createMenus();

    m_isolationLabel = new QLabel;
    const VendorComponent *core = m_runtime.component(u"pyscript");
    // Short, so that a message (a pause, a note) keeps room beside the permanent labels; the full
    // versions are in its tooltip and the About box.
    const bool released = core && !core->release.isEmpty();
    const QString pyodide = m_runtime.version(u"pyodide");
    const QString micropython = m_runtime.version(u"micropython");
    m_runtimeLabel = new QLabel(
        tr("PyScript %1 · Pyodide %2 · MicroPython %3")
            .arg(released ? core->release : m_runtime.version(u"pyscript"), pyodide, micropython));
    m_runtimeLabel->setToolTip(
        tr("Offline runtime: PyScript %1 · Pyodide %2 · MicroPython %3")
            .arg(released ? tr("%1 (core %2)").arg(core->release, core->version) : m_runtime.version(u"pyscript"),
                 pyodide, micropython));
    m_readyLabel = new QLabel;
    m_isolationLabel->setObjectName(QStringLiteral("isolationLabel"));
    m_readyLabel->setObjectName(QStringLiteral("readyLabel"));
    m_expectationsLabel = new QLabel;
    m_expectationsLabel->setObjectName(QStringLiteral("expectationsLabel"));
    m_expectationsLabel->hide();
    statusBar()->addPermanentWidget(m_expectationsLabel);
    statusBar()->addPermanentWidget(m_readyLabel);
    statusBar()->addPermanentWidget(m_isolationLabel);
    statusBar()->addPermanentWidget(m_runtimeLabel);

    connect(m_startPage, &StartPage::openProject, this, [this](const QString &dir) {
        if (auto opened = openProject(dir); !opened)
            showError(opened.error());
    });
    connect(m_startPage, &StartPage::openSampleCopy, this, [this](const QString &name) {
        if (auto opened = openSampleCopy(name); !opened)
            showError(opened.error());
    });
    connect(m_startPage, &StartPage::newProject, this, &MainWindow::newProject);
    connect(m_startPage, &StartPage::openFolder, this, &MainWindow::openFolder);
    connect(m_editors, &EditorArea::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    m_checker = new ProjectChecker(m_editors->documents(), &m_runtime, this);
    connect(m_checker, &ProjectChecker::checked, this, [this](const QList<Diagnostic> &diagnostics) {
        m_diagnostics->setDiagnostics(diagnostics);
        showDiagnosticsInEditors();
    });
    connect(m_checker, &ProjectChecker::failed, this,
            [this](const QString &error) { m_problemsDock->setStatus(tr("The checks could not run: %1").arg(error)); });
    connect(m_problemsDock, &ProblemsDock::openLocation, this, &MainWindow::openLocation);
    connect(m_preview, &PreviewPane::sessionChanged, this, &MainWindow::bindSession);
    connect(m_preview, &PreviewPane::runningChanged, this, [this](bool running) {
        m_actions->action(id(Id::Stop))->setEnabled(running);
        m_responsivenessDock->setRunning(running);
        updateStatus();
    });
    connect(m_preview, &PreviewPane::expectationsChanged, this, &MainWindow::showExpectations);
    connect(m_preview, &PreviewPane::debugChanged, this, &MainWindow::showPaused);
    connect(m_editors, &EditorArea::breakpointsChanged, this, &MainWindow::saveBreakpoints);
    connect(m_preview, &PreviewPane::pageCrashed, this, [this](const QString &text) { showError(text); });
    connect(m_preview, &PreviewPane::note, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    // Every dock that shows a mapped traceback frame leads to it.
    connect(m_consoleDock, &ConsoleDock::openLocation, this, &MainWindow::openLocation);
    connect(m_workersDock, &WorkersDock::openLocation, this, &MainWindow::openLocation);
    connect(m_callLogDock, &CallLogDock::openLocation, this, &MainWindow::openLocation);

    resize(1500, 950);
    restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    showStartPage();
    m_actions->action(id(Id::Stop))->setEnabled(false);
    updateStatus();
    loadSamples();
}

void MainWindow::loadSamples()
{
    // Reading the manifests is disk work: off the UI thread (the continuation runs on this
    // window's thread, and not at all once the window is gone).
    QtConcurrent::run([] { return scanSamples(); }).then(this, [this](const SampleListing &listing) {
        m_samples->setSamples(listing.samples);
        for (const QString &error : listing.errors)
            statusBar()->showMessage(tr("A sample was left out: %1").arg(error), 15000);
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_actions->add(id(Id::NewProject), tr("&New Project…"), QKeySequence::New, [this] { newProject(); });
    m_actions->add(id(Id::OpenFolder), tr("&Open Folder…"), QKeySequence::Open, [this] { openFolder(); });
    // Save and Save All go through Run on Save, which re-runs the page after them when it is on.
    auto *runOnSave = new RunOnSave(m_editors, this);
    runOnSave->setEnabled(m_settings->runOnSave());
    // A save re-runs the page the way it last ran: a debug run stays a debug run.
    connect(runOnSave, &RunOnSave::runRequested, this, [this] { m_lastRunDebugged ? debug() : run(); });
    m_actions->add(id(Id::Save), tr("&Save"), QKeySequence::Save, [this, runOnSave] {
        if (auto saved = runOnSave->saveCurrent(); !saved)
            showError(saved.error());
    });
    m_actions->add(id(Id::SaveAll), tr("Save A&ll"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), [this, runOnSave] {
        if (auto saved = runOnSave->saveAll(); !saved)
            showError(saved.error());
    });
    QAction *runOnSaveAction = m_actions->add(id(Id::RunOnSave), tr("&Run on Save"), QKeySequence(), [this, runOnSave] {
        const bool on = m_actions->action(id(Id::RunOnSave))->isChecked();
        m_settings->setRunOnSave(on);
        runOnSave->setEnabled(on);
    });
    runOnSaveAction->setCheckable(true);
    runOnSaveAction->setChecked(runOnSave->isEnabled());
    runOnSaveAction->setStatusTip(tr("Saving a file of the project runs the page again"));
    m_actions->add(id(Id::ExportSite), tr("&Export Site…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                   [this] { exportSite(); });
    m_actions->add(id(Id::CloseProject), tr("&Close Project"), QKeySequence(), [this] { closeProject(); });
    m_actions->add(id(Id::Gallery), tr("Sample &Gallery…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G),
                   [this] { showGallery(); });
    m_actions->add(id(Id::Quit), tr("&Quit"), QKeySequence::Quit, [this] { close(); });
    // One bar finds and replaces: its replace field is always there.
    m_actions->add(id(Id::Find), tr("&Find and Replace…"), QKeySequence::Find, [this] { showFind(); });
    m_actions->add(id(Id::GoToLine), tr("&Go to Line…"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] { goToLine(); });
    m_actions->add(id(Id::Run), tr("&Run"),
                   QList<QKeySequence>{QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)},
                   [this] { run(); });
    m_actions->add(id(Id::Stop), tr("S&top"), QKeySequence(Qt::SHIFT | Qt::Key_F5), [this] { stop(); });
    // F9, F8: the keys of Chrome's DevTools (F8 resume) and of Qt Creator and VS Code (F9 toggles).
    m_actions->add(id(Id::Debug), tr("&Debug"), QKeySequence(Qt::Key_F6), [this] { debug(); })
        ->setStatusTip(tr("Run the page with its breakpoints: a thread that reaches one pauses"));
    // F10, F11, Shift+F11: step over, into, out, as in Chrome's DevTools, Qt Creator and VS Code.
    const std::pair<const char *, DebugController::Resume> resumes[] = {
        {Id::Continue, DebugController::Resume::Continue},
        {Id::StepOver, DebugController::Resume::StepOver},
        {Id::StepInto, DebugController::Resume::StepInto},
        {Id::StepOut, DebugController::Resume::StepOut}};
    const QString resumeNames[] = {tr("&Continue"), tr("Step O&ver"), tr("Step &Into"), tr("Step O&ut")};
    const QKeySequence resumeKeys[] = {QKeySequence(Qt::Key_F8), QKeySequence(Qt::Key_F10), QKeySequence(Qt::Key_F11),
                                       QKeySequence(Qt::SHIFT | Qt::Key_F11)};
    for (int i = 0; i < 4; ++i) {
        const DebugController::Resume how = resumes[i].second;
        m_actions->add(id(resumes[i].first), resumeNames[i], resumeKeys[i], [this, how] {
            if (const quint64 paused = m_debugDock->currentPausedId(); paused && m_preview->debugger())
                m_preview->debugger()->resume(paused, how);
        });
    }
    m_actions->add(id(Id::ToggleBreakpoint), tr("Toggle &Breakpoint"), QKeySequence(Qt::Key_F9), [this] {
        if (CodeEditor *editor = m_editors->currentEditor()) {
            int line = 0, index = 0;
            editor->getCursorPosition(&line, &index);
            editor->toggleBreakpoint(line + 1);
        }
    });
    m_actions
        ->add(id(Id::EditBreakpoint), tr("&Edit Breakpoint…"), QKeySequence(Qt::CTRL | Qt::Key_F9),
              [this] {
                  if (CodeEditor *editor = m_editors->currentEditor()) {
                      int line = 0, index = 0;
                      editor->getCursorPosition(&line, &index);
                      m_editors->editBreakpoint(editor, line + 1);
                  }
              })
        ->setStatusTip(tr("A condition, a hit count, or a log point (an expression logged without pausing)"));
    // Pause on exceptions, as VS Code's "Uncaught Exceptions" / "Raised Exceptions" boxes.
    auto *exceptions = new QActionGroup(this);
    const std::pair<const char *, ExceptionBreak> exceptionIds[] = {{Id::PauseUncaught, ExceptionBreak::Uncaught},
                                                                    {Id::PauseRaised, ExceptionBreak::Raised},
                                                                    {Id::PauseNever, ExceptionBreak::Never}};
    const QString exceptionNames[] = {tr("On &Uncaught Exceptions"), tr("On &Raised Exceptions (caught too)"),
                                      tr("&Never")};
    for (int i = 0; i < 3; ++i) {
        const ExceptionBreak mode = exceptionIds[i].second;
        QAction *action = m_actions->add(id(exceptionIds[i].first), exceptionNames[i], QKeySequence(),
                                         [this, mode] { m_settings->setExceptionBreak(mode); });
        action->setCheckable(true);
        action->setChecked(m_settings->exceptionBreak() == mode);
        action->setStatusTip(tr("Where a debug run's Pyodide threads pause on exceptions"));
        exceptions->addAction(action);
    }
    m_actions->add(id(Id::FetchPackages), tr("&Fetch Packages"), QKeySequence(), [this] { fetchPackages(); })
        ->setStatusTip(tr("Download the Pyodide packages the project's configs ask for into Loom's package cache, "
                          "so the page runs offline"));
    auto *themes = new QActionGroup(this);
    const std::pair<const char *, Settings::Theme> themeIds[] = {{Id::ThemeSystem, Settings::Theme::System},
                                                                 {Id::ThemeLight, Settings::Theme::Light},
                                                                 {Id::ThemeDark, Settings::Theme::Dark}};
    const QString themeNames[] = {tr("Follow the &System"), tr("&Light"), tr("&Dark")};
    for (int i = 0; i < 3; ++i) {
        const Settings::Theme theme = themeIds[i].second;
        QAction *action = m_actions->add(id(themeIds[i].first), themeNames[i], QKeySequence(), [this, theme] {
            m_settings->setTheme(theme);
            applyTheme(theme);
        });
        action->setCheckable(true);
        action->setChecked(m_settings->theme() == theme);
        themes->addAction(action);
    }
    m_actions->add(id(Id::About), tr("&About Loom"), QKeySequence(),
                   [this] { QMessageBox::about(this, tr("About Loom"), aboutText()); });
    m_actions->add(id(Id::AboutQt), tr("About &Qt"), QKeySequence(), [this] { QMessageBox::aboutQt(this); });
}

// The GPL's "appropriate legal notices": the copyright, the license, no warranty, and where the
// terms of everything in the package are (share/doc/loom/copyright, beside share/loom/runtime).
QString MainWindow::aboutText() const
{
    const QString copyright = QDir(m_runtime.rootDir()).absoluteFilePath(QStringLiteral("../../doc/loom/copyright"));
    const QString terms = QFileInfo::exists(copyright)
                              ? QStringLiteral("<a href=\"%1\">%2</a>")
                                    .arg(QUrl::fromLocalFile(QDir::cleanPath(copyright)).toString(QUrl::FullyEncoded),
                                         QDir::toNativeSeparators(QDir::cleanPath(copyright)).toHtmlEscaped())
                              : tr("the copyright file of Loom's package");
    return tr("<b>Loom %1</b><p>A playground and IDE for PyScript apps with web workers.</p><p>%2</p>"
              "<p>Copyright © 2026 The Loom developers. Loom is free software: you can redistribute it "
              "and/or modify it under the terms of the GNU General Public License, version 3 or (at your "
              "option) any later version. It comes with ABSOLUTELY NO WARRANTY.</p>"
              "<p>The runtime it serves keeps its own licenses (PyScript: Apache-2.0; Pyodide: MPL-2.0, "
              "with CPython's PSF license; MicroPython: MIT): see %3.</p>")
        .arg(QCoreApplication::applicationVersion(), m_runtimeLabel->toolTip(), terms);
}

void MainWindow::createMenus()
{
    const auto fill = [this](QMenu *menu, std::initializer_list<const char *> ids) {
        for (const char *name : ids) {
            if (name)
                menu->addAction(m_actions->action(id(name)));
            else
                menu->addSeparator();
        }
    };
    fill(menuBar()->addMenu(tr("&File")),
         {Id::NewProject, Id::OpenFolder, Id::Gallery, nullptr, Id::Save, Id::SaveAll, Id::RunOnSave, nullptr,
          Id::ExportSite, nullptr, Id::CloseProject, Id::Quit});
    fill(menuBar()->addMenu(tr("&Edit")), {Id::Find, Id::GoToLine});
    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    fill(runMenu, {Id::Run, Id::Debug, Id::Stop, nullptr, Id::ToggleBreakpoint, Id::EditBreakpoint});
    fill(runMenu->addMenu(tr("&Pause on Exceptions")), {Id::PauseUncaught, Id::PauseRaised, Id::PauseNever});
    fill(runMenu, {nullptr, Id::Continue, Id::StepOver, Id::StepInto, Id::StepOut, nullptr, Id::FetchPackages});
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : std::as_const(m_docks))
        view->addAction(dock->toggleViewAction());
    fill(view->addMenu(tr("&Theme")), {Id::ThemeSystem, Id::ThemeLight, Id::ThemeDark});
    fill(menuBar()->addMenu(tr("&Help")), {Id::About, Id::AboutQt});

    QToolBar *toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("RunToolBar"));
    toolbar->addAction(m_actions->action(id(Id::Run)));
    toolbar->addAction(m_actions->action(id(Id::Debug)));
    toolbar->addAction(m_actions->action(id(Id::Stop)));
    toolbar->addSeparator();
    toolbar->addAction(m_actions->action(id(Id::SaveAll)));
}

void MainWindow::createDocks()
{
    m_projectDock = new ProjectDock(this);
    m_workersDock = new WorkersDock(this);
    m_callLogDock = new CallLogDock(this);
    m_consoleDock = new ConsoleDock(this);
    m_responsivenessDock = new ResponsivenessDock(this);
    m_devToolsDock = new DevToolsDock(this);
    m_problemsDock = new ProblemsDock(m_diagnostics, this);
    m_debugDock = new DebugDock(this);
    // Every dock, once: the View menu lists them in this order, bindSession hands each that shows
    // a run's models (a SessionView) every new session, and saveState keeps their places.
    m_docks = {m_projectDock,        m_workersDock,  m_callLogDock, m_consoleDock,
               m_responsivenessDock, m_problemsDock, m_debugDock,   m_devToolsDock};
    // Left: the files, and under them the light that must stay in sight. Bottom: the workers
    // beside the calls and the console.
    addDockWidget(Qt::LeftDockWidgetArea, m_projectDock);
    addDockWidget(Qt::LeftDockWidgetArea, m_responsivenessDock);
    splitDockWidget(m_projectDock, m_responsivenessDock, Qt::Vertical);
    addDockWidget(Qt::BottomDockWidgetArea, m_workersDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_callLogDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_consoleDock);
    splitDockWidget(m_workersDock, m_callLogDock, Qt::Horizontal);
    tabifyDockWidget(m_callLogDock, m_consoleDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    tabifyDockWidget(m_consoleDock, m_problemsDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_debugDock);
    tabifyDockWidget(m_problemsDock, m_debugDock);
    connect(m_debugDock, &DebugDock::openLocation, this, &MainWindow::openLocation);
    connect(m_debugDock, &DebugDock::continueRequested, m_actions->action(id(Id::Continue)), &QAction::trigger);
    connect(m_debugDock, &DebugDock::evaluateRequested, this,
            [this](quint64 paused, int frame, const QString &expression) {
                if (m_preview->debugger())
                    m_preview->debugger()->evaluate(paused, frame, expression);
            });
    addDockWidget(Qt::RightDockWidgetArea, m_devToolsDock);
    m_devToolsDock->hide();
    m_callLogDock->raise();
    m_devToolsDock->setInspectedPage(m_preview->page());
    connect(m_projectDock, &ProjectDock::openFile, this, [this](const QString &path) { m_editors->openFile(path); });
    connect(m_problemsDock, &ProblemsDock::fetchPackagesRequested, this, &MainWindow::fetchPackages);
    connect(m_preview, &PreviewPane::packageProgress, this, &MainWindow::showPackageProgress);
    connect(m_preview, &PreviewPane::serving, this, [this](quint16 port) {
        if (!m_project.isNull())
            m_settings->setProjectPort(m_project.root(), port);
    });
}

void MainWindow::showPackageProgress(const PackageProgress &progress)
{
    m_workersDock->showPackageProgress(progress);
    if (!progress.finished) {
        statusBar()->showMessage(m_workersDock->packageProgressText());
    } else if (progress.error.isEmpty()) {
        statusBar()->showMessage(
            tr("Fetched package %1 (%2, %3 MB) into Loom's package cache")
                .arg(progress.package, progress.fileName, QString::number(double(progress.received) / 1e6, 'f', 1)),
            8000);
    } else {
        statusBar()->showMessage(tr("Could not fetch package %1: see the console").arg(progress.package), 8000);
    }
}

void MainWindow::fetchPackages()
{
    if (m_project.isNull() || m_fetchingPackages)
        return;
    m_fetchingPackages = true;
    m_actions->action(id(Id::FetchPackages))->setEnabled(false);
    statusBar()->showMessage(tr("Looking up the packages the project asks for…"));
    // Reading the configs (embedded Python) and downloading: a pool thread. Its progress comes
    // back through the application object (a QPointer is read on this thread only).
    const QPointer<MainWindow> self(this);
    const auto report = [self](const PackageProgress &progress) {
        QMetaObject::invokeMethod(
            qApp,
            [self, progress] {
                if (self)
                    self->showPackageProgress(progress);
            },
            Qt::QueuedConnection);
    };
    QtConcurrent::run([project = m_project.root(), runtime = m_runtime, report]() -> Result<int> {
        auto packages = ProjectPackages::load(project, runtime);
        if (!packages)
            return failure(packages.error());
        const PackagePlan plan = (*packages)->plan();
        if (auto fetched = (*packages)->fetch(plan, report); !fetched)
            return failure(fetched.error());
        return int(plan.missing().size());
    }).then(this, [this](const Result<int> &result) {
        m_fetchingPackages = false;
        m_actions->action(id(Id::FetchPackages))->setEnabled(true);
        m_checker->checkNow(); // the offline-packages problems go
        if (!result)
            return showError(result.error());
        statusBar()->showMessage(*result == 0
                                     ? tr("The project's packages are all in Loom's package cache")
                                     : tr("Fetched %n package file(s) into Loom's package cache", nullptr, *result),
                                 8000);
    });
}

void MainWindow::openLocation(const QString &file, int line)
{
    m_editors->openFile(file, line);
    showDiagnosticsInEditors(); // a file just opened gets its markers too
}

void MainWindow::showDiagnosticsInEditors()
{
    const QDir project(m_project.root());
    DocumentStore *documents = m_editors->documents();
    for (const QString &path : documents->openPaths()) {
        const QString relative = project.relativeFilePath(path);
        QList<Diagnostic> mine;
        for (const Diagnostic &diagnostic : m_diagnostics->diagnostics()) {
            if (diagnostic.file == relative)
                mine.append(diagnostic);
        }
        // Markers and annotations live in the document: one editor of it is enough.
        if (const QList<CodeEditor *> editors = documents->editors(path); !editors.isEmpty())
            editors.first()->setDiagnostics(mine);
    }
}

void MainWindow::bindSession(PageSession *session)
{
    for (QDockWidget *dock : std::as_const(m_docks)) {
        if (auto *view = dynamic_cast<SessionView *>(dock))
            view->setSession(session);
    }
    if (session)
        connect(session, &PageSession::batchApplied, this, &MainWindow::updateStatus);
}

void MainWindow::updateStatus()
{
    const PageSession *session = m_preview->session();
    const bool running = m_preview->isRunning();
    if (!session || !session->isolated()) {
        m_isolationLabel->setText(running ? tr("Isolation: waiting for the page") : tr("Not running"));
        m_readyLabel->clear();
        return;
    }
    m_isolationLabel->setText(*session->isolated() ? tr("Cross-origin isolated")
                                                   : tr("NOT isolated: workers cannot use window or sync calls"));
    const double ready = session->firstWorkerReadyMs();
    m_readyLabel->setText(ready >= 0 ? tr("First worker ready in %1 s").arg(QString::number(ready / 1000.0, 'f', 2))
                          : running && !session->workers().workers().isEmpty() ? tr("Waiting for workers…")
                                                                               : QString());
}

// A sample's copy keeps its scenario: while the user plays its steps by hand, the status bar
// says how much of the expected outcome the page has shown, and the tooltip what is missing.
void MainWindow::showExpectations(qsizetype total, const QStringList &unmet)
{
    m_expectationsLabel->setVisible(total > 0);
    if (total == 0)
        return;
    const bool ran = m_preview->session() != nullptr;
    const QString color = unmet.isEmpty() ? StatusColors::good().name() : StatusColors::warning().name();
    const QString text = !ran ? tr("Scenario: %n expected outcome(s)", nullptr, int(total))
                         : unmet.isEmpty()
                             ? tr("Scenario: all %n expected outcome(s) met", nullptr, int(total))
                             : tr("Scenario: %1 of %2 expected outcomes not met yet").arg(unmet.size()).arg(total);
    m_expectationsLabel->setText(
        QStringLiteral("<span style=\"color:%1\">●</span> %2").arg(color, text.toHtmlEscaped()));
    QStringList tip;
    if (!ran)
        tip.append(tr("The project's sample.json says what the page should show once its steps are played. "
                      "Run the page and play them to check."));
    for (const QString &line : unmet)
        tip.append(u"• " + line.toHtmlEscaped());
    m_expectationsLabel->setToolTip(ran || unmet.isEmpty() ? tip.join(u"<br>") : tip.first());
}

Result<> MainWindow::openProject(const QString &dir)
{
    auto project = Project::open(dir);
    if (!project)
        return failure(project.error());
    if (!closeProject())
        return failure(tr("The open project still has unsaved changes."));
    m_project = *project;
    m_editors->openProject(m_project);
    QList<Breakpoint> breakpoints;
    for (const QString &stored : m_settings->projectBreakpoints(m_project.root())) {
        if (auto point = breakpointFromSetting(stored))
            breakpoints.append(*point);
    }
    m_editors->setBreakpoints(breakpoints);
    m_projectDock->setProjectDir(m_project.root());
    m_preview->setProject(m_project, m_settings->projectPort(m_project.root()));
    m_checker->setProject(m_project);
    m_settings->addRecentProject(m_project.root());
    showWorkspace();
    setWindowTitle(QStringLiteral("%1 — Loom").arg(QFileInfo(m_project.root()).fileName()));
    return {};
}

Result<QString> MainWindow::openSampleCopy(const QString &sampleName)
{
    auto sample = loadSample(sampleName);
    if (!sample)
        return failure(sample.error());
    auto copied = copyProject(sample->dir, m_settings->workspaceDir(), sampleName);
    if (!copied)
        return failure(copied.error());
    if (auto opened = openProject(*copied); !opened)
        return failure(opened.error());
    return *copied;
}

void MainWindow::showGallery()
{
    if (m_project.isNull()) {
        showStartPage(); // the start page is the gallery's home
        return;
    }
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("GalleryDialog"));
    dialog.setWindowTitle(tr("Sample Gallery"));
    auto *gallery = new SampleGallery(m_samples, m_thumbnails);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(gallery);
    QString chosen;
    connect(gallery, &SampleGallery::openSampleCopy, &dialog, [&dialog, &chosen](const QString &name) {
        chosen = name;
        dialog.accept();
    });
    dialog.resize(1240, 820);
    if (dialog.exec() != QDialog::Accepted || chosen.isEmpty())
        return;
    if (auto opened = openSampleCopy(chosen); !opened)
        showError(opened.error());
}

// The start page gets the whole window: the run's docks have nothing to show there. The
// workspace's layout is kept and comes back with the next project.
void MainWindow::showStartPage()
{
    if (m_stack->currentWidget() != m_startPage || m_workspaceState.isEmpty()) {
        m_workspaceState = saveState();
        for (QDockWidget *dock : findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly))
            dock->hide();
    }
    m_stack->setCurrentWidget(m_startPage);
}

void MainWindow::showWorkspace()
{
    if (m_stack->currentWidget() == m_startPage && !m_workspaceState.isEmpty())
        restoreState(m_workspaceState);
    m_stack->setCurrentWidget(m_workspace);
}

bool MainWindow::closeProject()
{
    if (m_project.isNull())
        return true;
    if (!m_editors->confirmDiscard())
        return false;
    m_preview->setProject(QString());
    bindSession(nullptr);
    m_editors->closeProject();
    m_checker->setProject(QString());
    m_project = {};
    m_startPage->refresh();
    showStartPage();
    setWindowTitle(QStringLiteral("Loom"));
    return true;
}

void MainWindow::run()
{
    m_lastRunDebugged = false;
    start(std::nullopt);
}

void MainWindow::debug()
{
    if (m_project.isNull())
        return;
    m_lastRunDebugged = true;
    m_debugDock->show();
    if (auto saved = m_editors->saveAll(); !saved)
        return showError(saved.error());
    // Breakpoints go where a thread can stop: the files are read and their line tables asked of
    // the embedded Python off the UI thread.
    QtConcurrent::run([project = m_project, breakpoints = m_editors->breakpoints()] {
        return placeWhereTheyStop(project, breakpoints);
    }).then(this, [this, project = m_project.root()](const PlacedBreakpoints &placed) {
        if (m_project.isNull() || m_project.root() != project)
            return; // another project since
        if (!placed.changes.isEmpty()) {
            m_editors->setBreakpoints(placed.breakpoints);
            saveBreakpoints();
            statusBar()->showMessage(placed.changes.join(u' '), 10000);
        }
        start(DebugOptions{placed.breakpoints, m_settings->exceptionBreak()});
    });
}

void MainWindow::start(std::optional<DebugOptions> debug)
{
    if (m_project.isNull())
        return;
    // Run saves first: the page is served from disk.
    if (auto saved = m_editors->saveAll(); !saved) {
        showError(saved.error());
        return;
    }
    m_checker->checkNow(); // the Problems dock says what may go wrong, while the page starts
    if (auto started = m_preview->run(std::move(debug)); !started)
        showError(started.error());
}

void MainWindow::stop()
{
    m_preview->stop();
}

// A thread paused, or went on: the dock lists the paused ones, the editor shows where the newest
// stands, the status bar says it.
void MainWindow::showPaused()
{
    const QList<DebugController::Paused> paused = m_preview->debugger() ? m_preview->debugger()->paused()
                                                                        : QList<DebugController::Paused>();
    m_debugDock->showPaused(paused);
    if (paused.isEmpty()) {
        m_editors->showPausedAt({}, 0);
        return;
    }
    const DebugHit &hit = paused.last().hit;
    m_debugDock->raise();
    m_editors->showPausedAt(hit.file, hit.line);
    statusBar()->showMessage(
        hit.exception.isEmpty()
            ? tr("Paused: %1 at %2:%3 in %4(). Continue: F8").arg(hit.thread, hit.file).arg(hit.line).arg(hit.function)
            : tr("Paused at an %1 exception: %2 (%3 at %4:%5). Continue: F8")
                  .arg(hit.exceptionKind, hit.exception, hit.thread, hit.file)
                  .arg(hit.line));
}

void MainWindow::saveBreakpoints()
{
    if (m_project.isNull())
        return;
    QStringList stored;
    for (const Breakpoint &point : m_editors->breakpoints())
        stored.append(breakpointToSetting(point));
    m_settings->setProjectBreakpoints(m_project.root(), stored);
}

void MainWindow::newProject()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("New project: choose an empty folder"),
                                                          m_settings->workspaceDir());
    if (dir.isEmpty())
        return;
    if (auto created = writeNewProject(dir); !created)
        return showError(created.error());
    if (auto opened = openProject(dir); !opened)
        showError(opened.error());
}

void MainWindow::openFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a PyScript project"));
    if (dir.isEmpty())
        return;
    if (auto opened = openProject(dir); !opened)
        showError(opened.error());
}

void MainWindow::exportSite()
{
    if (m_project.isNull())
        return;
    if (auto saved = m_editors->saveAll(); !saved)
        return showError(saved.error());
    const QString out = QFileDialog::getExistingDirectory(this, tr("Export the site into an empty folder"));
    if (out.isEmpty())
        return;
    const QStringList modes{tr("Bundled: the runtime ships with the site, it works with no internet"),
                            tr("CDN: the site loads PyScript %1 from jsDelivr").arg(m_runtime.version(u"pyscript"))};
    bool ok = false;
    const QString mode = QInputDialog::getItem(this, tr("Export Site"), tr("Runtime:"), modes, 0, false, &ok);
    if (!ok)
        return;
    ExportOptions options;
    options.projectDir = m_project.root();
    options.outPath = out;
    options.mode = mode == modes.first() ? ExportMode::Bundled : ExportMode::Cdn;
    options.runtime = &m_runtime;
    if (auto target = checkExportTarget(options); !target) {
        if (QMessageBox::question(this, tr("Export Site"), tr("%1\n\nWrite into it anyway?").arg(target.error()))
            != QMessageBox::Yes)
            return;
        options.force = true;
    }
    // Copying the runtime is file work: off the UI thread.
    statusBar()->showMessage(tr("Exporting to %1…").arg(QDir::toNativeSeparators(out)));
    QtConcurrent::run([options, runtime = m_runtime]() mutable {
        options.runtime = &runtime; // the task's own copy: the window may close meanwhile
        return Runtime::exportSite(options);
    }).then(this, [this](const Result<ExportReport> &report) {
        if (!report)
            return showError(report.error());
        statusBar()->showMessage(
            tr("Exported %1 files, %2 MB, to %3")
                .arg(report->files.size())
                .arg(QString::number(report->totalBytes / 1e6, 'f', 1), QDir::toNativeSeparators(report->outPath)),
            15000);
    });
}

void MainWindow::goToLine()
{
    CodeEditor *editor = m_editors->currentEditor();
    if (!editor)
        return;
    bool ok = false;
    const int line = QInputDialog::getInt(this, tr("Go to Line"), tr("Line:"), 1, 1, std::max(1, editor->lines()), 1,
                                          &ok);
    if (ok)
        editor->goToLine(line);
}

void MainWindow::showFind()
{
    CodeEditor *editor = m_editors->currentEditor();
    if (!editor)
        return;
    m_findBar->setEditor(editor);
    m_findBar->activate();
}

void MainWindow::showError(const QString &text)
{
    statusBar()->showMessage(text, 15000);
    if (m_presentError)
        m_presentError(this, text);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_editors->confirmDiscard()) {
        event->ignore();
        return;
    }
    m_preview->stop();
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(m_stack->currentWidget() == m_startPage ? m_workspaceState : saveState());
    event->accept();
}

} // namespace Loom::Ui
