// Loom's entry point only wires: parse the command line, find the runtime, run the command.
#include "checkcommand.h"
#include "commandline.h"
#include "exportcommand.h"
#include "headlessrun.h"
#include "packagescommand.h"
#include "testcommand.h"

#include "runtime/project/samples.h"
#include "runtime/run/webengine.h"
#include "runtime/vendor/vendorfiles.h"

#include "ui/mainwindow.h"
#include "ui/settings.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <memory>

#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace Loom;

namespace {
int fail(App::ExitCode code, const QString &message)
{
    std::fprintf(stderr, "loom: %s\n", qPrintable(message));
    return int(code);
}
} // namespace

int main(int argc, char *argv[])
{
#ifdef __GLIBC__
    // glibc gives threads arenas of their own, up to 8 a core, and frees pages inside an arena
    // only at its top. The server's threads build the page's events, which outlive the batches
    // they came in: under a bridge flood Loom grew to 416 MB after 2 GB posted, bounded models
    // notwithstanding. Two arenas hold it at 189 MB with the same throughput (BENCHMARKS.md).
    mallopt(M_ARENA_MAX, 2);
#endif
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const App::ParseResult parsed = App::parseCommandLine(arguments);
    if (!parsed.commandLine)
        return fail(App::ExitCode::Usage, parsed.error + QStringLiteral("\n(loom --help shows the usage)"));
    const App::CommandLine &cl = *parsed.commandLine;

    using Command = App::CommandLine::Command;
    const bool needsPage = cl.command == Command::Run;
    std::unique_ptr<QCoreApplication> app;
    if (cl.command == Command::Open) {
        const bool hasDisplay = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
                                || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
        if (!hasDisplay)
            return fail(App::ExitCode::Environment,
                        QStringLiteral("Loom's window needs a display (DISPLAY or WAYLAND_DISPLAY); "
                                       "without one, use: loom run DIR --headless"));
        Runtime::prepareWebEngineEnvironment(false);
        QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
        app = std::make_unique<QApplication>(argc, argv);
    } else if (needsPage) {
        Runtime::prepareWebEngineEnvironment(cl.headless);
        QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("Loom"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LOOM_VERSION));

    switch (cl.command) {
    case Command::Help:
        std::fputs(qPrintable(cl.helpText), stdout);
        return 0;
    case Command::Version:
        std::printf("loom %s\n", LOOM_VERSION);
        return 0;
    case Command::Samples: {
        const Runtime::SampleListing listing = Runtime::scanSamples();
        for (const Runtime::SampleInfo &sample : listing.samples) {
            std::printf("%-20s %-8s %s\n", qPrintable(sample.name), sample.needsNetwork ? "online" : "offline",
                        qPrintable(sample.title));
        }
        for (const QString &error : listing.errors)
            std::fprintf(stderr, "error: %s\n", qPrintable(error));
        return listing.errors.isEmpty() ? 0 : int(App::ExitCode::PageError);
    }
    case Command::Check:
        return int(App::checkCommand(cl));
    case Command::Run:
    case Command::Serve:
    case Command::Open:
    case Command::Export:
    case Command::Packages:
    case Command::Test:
        break;
    }

    // The runtime is needed to serve, not to visit a page served elsewhere (run --url).
    auto runtime = Runtime::VendorFiles::load(Runtime::VendorFiles::defaultDir());
    if (!runtime)
        return fail(App::ExitCode::Environment, runtime.error());

    if (cl.command == Command::Serve)
        return int(App::serve(cl, *runtime));
    if (cl.command == Command::Export)
        return int(App::exportProject(cl, *runtime));
    if (cl.command == Command::Packages)
        return int(App::packagesCommand(cl, *runtime));

    if (auto version = Runtime::checkWebEngineVersion(); !version)
        return fail(App::ExitCode::Environment, version.error());
    // Each project runs in a `loom run` process of its own: checked here once, not per project.
    if (cl.command == Command::Test)
        return int(App::testCommand(cl));

    if (cl.command == Command::Open) {
        Ui::Settings settings;
        Ui::applyTheme(settings.theme());
        Ui::MainWindow window(*runtime, &settings);
        window.setErrorPresenter(
            [](QWidget *parent, const QString &text) { QMessageBox::warning(parent, QStringLiteral("Loom"), text); });
        window.show();
        if (!cl.sample.isEmpty()) {
            // The installed sample is never edited: the window opens a copy in the workspace.
            if (auto opened = window.openSampleCopy(cl.sample); !opened)
                return fail(App::ExitCode::Usage, opened.error());
        } else if (!cl.projectDir.isEmpty()) {
            if (auto opened = window.openProject(cl.projectDir); !opened)
                return fail(App::ExitCode::Environment, opened.error());
        }
        if (cl.runOnOpen)
            QTimer::singleShot(0, &window, &Ui::MainWindow::run);
        return QApplication::exec();
    }

    QString projectDir = cl.projectDir;
    Runtime::Scenario scenario;
    if (!cl.sample.isEmpty()) {
        auto sample = Runtime::loadSample(cl.sample);
        if (!sample)
            return fail(App::ExitCode::Usage, sample.error());
        projectDir = sample->dir;
        if (cl.page.isEmpty()) // a sample's scenario is written for its index.html
            scenario = sample->scenario;
    } else if (!projectDir.isEmpty() && cl.page.isEmpty() && cl.scenarioFile.isEmpty() && cl.steps.isEmpty()) {
        // A sample's copy keeps its manifest: its scenario checks the copy too.
        auto own = Runtime::projectScenario(Runtime::Project(projectDir));
        if (!own)
            return fail(App::ExitCode::Usage, own.error());
        if (*own)
            scenario = **own;
    }
    if (!cl.scenarioFile.isEmpty()) {
        QFile file(cl.scenarioFile);
        if (!file.open(QIODevice::ReadOnly))
            return fail(App::ExitCode::Usage, QStringLiteral("cannot read the scenario %1").arg(cl.scenarioFile));
        auto parsedScenario = Runtime::parseScenario(file.readAll());
        if (!parsedScenario)
            return fail(App::ExitCode::Usage, parsedScenario.error());
        scenario = *parsedScenario;
    }
    if (!cl.steps.isEmpty()) {
        scenario = {}; // steps of one's own replace the sample's scenario, expected outcome included
        for (const QString &spec : cl.steps) {
            auto step = Runtime::parseStepSpec(spec);
            if (!step)
                return fail(App::ExitCode::Usage, step.error());
            scenario.steps.append(*step);
        }
    }
    if (cl.allowErrors)
        scenario.expect.allowErrors = true;
    return int(App::runHeadless(cl, *runtime, projectDir, scenario));
}
