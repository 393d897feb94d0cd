#pragma once

#include "runtime/debug/breakpoint.h"
#include "runtime/project/project.h"
#include "runtime/result.h"
#include "runtime/vendor/vendorfiles.h"

#include <QList>
#include <QMainWindow>

#include <functional>

class QLabel;
class QSplitter;
class QStackedWidget;

class QDockWidget;

namespace Loom::Runtime {
class DiagnosticModel;
class SampleListModel;
class PageSession;
struct PackageProgress;
} // namespace Loom::Runtime

namespace Loom::Ui {

class ActionRegistry;
class CallLogDock;
class ConsoleDock;
class DevToolsDock;
class EditorArea;
class FindBar;
class PreviewPane;
class DebugDock;
class ProblemsDock;
class ProjectChecker;
class ProjectDock;
class ResponsivenessDock;
class Settings;
class SampleGallery;
class StartPage;
class ThumbnailRenderer;
class WorkersDock;

// Loom's window: wires the start page, the editors, the preview and the docks. It holds no
// state of its own beyond the open project; the page's state lives in the run's PageSession.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(Runtime::VendorFiles runtime, Settings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    // How an error the user must see is shown besides the status bar: the application passes a
    // message box; without one (tests, benches) the status bar alone tells.
    using ErrorPresenter = std::function<void(QWidget *parent, const QString &text)>;
    void setErrorPresenter(ErrorPresenter presenter) { m_presentError = std::move(presenter); }

    Runtime::Result<> openProject(const QString &dir);
    // Copies the sample into the workspace (the installed sample is never edited) and opens it.
    Runtime::Result<QString> openSampleCopy(const QString &sampleName);
    bool closeProject();
    void run();
    // Run > Debug: a run whose threads pause at the editors' breakpoints.
    void debug();
    void stop();

    QString projectDir() const { return m_project.root(); }
    // Tests and benches reach the window's parts (docks, preview, editors, checker, models) as
    // children in the object tree, by type (tests/support/window.h): no accessors for them here.
    // File > Sample Gallery: the gallery in a dialog, over the open project.
    void showGallery();
    // Run > Fetch Packages: what the project's configs ask for, into Loom's package cache.
    void fetchPackages();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void loadSamples();
    void showStartPage();
    void showWorkspace();
    void createMenus();
    QString aboutText() const;
    void createDocks();
    void bindSession(Runtime::PageSession *session);
    void openLocation(const QString &file, int line);
    void showDiagnosticsInEditors();
    void updateStatus();
    void showExpectations(qsizetype total, const QStringList &unmet);
    void showPaused();
    // Run and Debug: save, check, and run the page (with breakpoints: a debug run).
    void start(std::optional<Runtime::DebugOptions> debug);
    void saveBreakpoints();
    void showError(const QString &text);
    void newProject();
    void openFolder();
    void goToLine();
    void exportSite();
    void showFind();
    void showPackageProgress(const Runtime::PackageProgress &progress);

    Runtime::VendorFiles m_runtime;
    Settings *m_settings = nullptr;
    ActionRegistry *m_actions = nullptr;
    QStackedWidget *m_stack = nullptr;
    Runtime::DiagnosticModel *m_diagnostics = nullptr;
    Runtime::SampleListModel *m_samples = nullptr;
    ThumbnailRenderer *m_thumbnails = nullptr;
    StartPage *m_startPage = nullptr;
    QSplitter *m_workspace = nullptr;
    EditorArea *m_editors = nullptr;
    FindBar *m_findBar = nullptr;
    PreviewPane *m_preview = nullptr;
    ProjectDock *m_projectDock = nullptr;
    WorkersDock *m_workersDock = nullptr;
    CallLogDock *m_callLogDock = nullptr;
    ConsoleDock *m_consoleDock = nullptr;
    ResponsivenessDock *m_responsivenessDock = nullptr;
    DevToolsDock *m_devToolsDock = nullptr;
    QList<QDockWidget *> m_docks; // every dock above, in the View menu's order
    ErrorPresenter m_presentError;
    ProblemsDock *m_problemsDock = nullptr;
    DebugDock *m_debugDock = nullptr;
    ProjectChecker *m_checker = nullptr;
    QLabel *m_isolationLabel = nullptr;
    QLabel *m_runtimeLabel = nullptr;
    QLabel *m_readyLabel = nullptr;
    QLabel *m_expectationsLabel = nullptr; // the scenario's expected outcome, as the running page shows it
    Runtime::Project m_project;
    bool m_fetchingPackages = false;
    bool m_lastRunDebugged = false; // Run on Save runs the page the way it last ran
    QByteArray m_workspaceState;    // the docks' layout while the start page hides them
};

} // namespace Loom::Ui
