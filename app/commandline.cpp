#include "commandline.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace Loom::App {

using namespace Qt::StringLiterals;

namespace {
const char Usage[] = R"(Usage:
  loom [DIR]                            open the IDE (on a project folder: one with an index.html)
  loom run DIR                          open the IDE on DIR and run its page
  loom run DIR --headless [options]     run a project's page in an offscreen QtWebEngine (with the
                                        scenario of DIR/loom.scenario.json or DIR/sample.json, if
                                        it has one)
  loom run --sample NAME                open a copy of one of Loom's samples in the IDE and run it
  loom run --sample NAME --headless     run a sample's scenario and check its expected outcome
  loom run --url URL --headless         run a page served elsewhere (a deployed site, an export)
  loom serve DIR [--port N] [--reload]  serve a project for any browser, with isolation headers;
                                        --reload: open pages reload when a project file changes
  loom export DIR OUT [options]         write a deployable static site of a project to OUT
  loom check DIR [--online]             check a project before it runs: syntax, __export__, worker
                                        names, configs, packages (exit code 1 if there are errors)
  loom packages DIR [--fetch] [--json]  the Pyodide packages the project's configs ask for, with
                                        their dependencies: which are in Loom's package cache, their
                                        sizes, what is missing; --fetch downloads what is missing
  loom packages [DIR] --clear           empty Loom's package cache (Pyodide's packages for the version
                                        Loom ships, and the PyPI index pages and wheels it kept)
  loom samples                          list the samples (exit code 1 if a manifest is refused)
  loom test [PATH...] [options]         run every project with a scenario under the PATHs (default:
                                        the current folder) headless, and report (docs/loom-test.md)
  loom --version                        print "loom VERSION" (loom version does the same)

Run options:
  --timeout S          give up after S seconds (default 120), exit code 3
  --page PATH[?QUERY]  open this page of the project instead of index.html, with an optional query
                       string (--page sub/page.html?x=1); the page must be a file inside DIR.
                       A sample's scenario is played on its index.html only: give --step or
                       --scenario for another page
  --scenario FILE      JSON scenario: {"steps": [...], "expect": {...}} (samples/README.md)
  --step SPEC          one step, repeatable, in order; these replace any other scenario:
                         click:SEL                    click the element (once it is enabled)
                         fill:SEL=VALUE               type VALUE into the field
                         wait-for:SEL                 wait until the element exists
                         wait-visible:SEL             ... exists and is rendered (no display:
                                                      none, no visibility: hidden)
                         wait-gone:SEL                wait until no element matches
                         wait-hidden:SEL              ... or the element is not visible
                         wait-text:SEL=TEXT           wait until its text contains TEXT
                         wait-text-equals:SEL=TEXT    ... is TEXT (leading and trailing white space
                                                      ignored)
                         wait-text-matches:SEL=RE     ... matches the JavaScript regular expression RE
                         wait-text-not:SEL=TEXT       wait until its text does not contain TEXT
                         wait-text-not-equals:SEL=TEXT, wait-text-not-matches:SEL=RE: likewise
                         reload                       reload the page and wait until it has loaded
                       Text is the element's innerText, as rendered (never the source of a script);
                       a negative check waits for the element and passes once the text stops
                       matching. SEL ends at the first "=" outside its [...], (...) and quotes:
                       wait-text:html[lang=en]=Hello. A selector whose brackets do not close is
                       refused: write such a step in a --scenario file.
  --allow-errors       uncaught errors in the page's console do not fail the run (as the
                       scenario's "allowErrors": true); steps and expected outcome still decide
  --report FILE        write the run report as JSON
  --port N             serve on this port (default: any free port)
  --no-isolation       serve without COOP/COEP/CORP, as a host without header control would
  --no-bridge          run the page bare: no page bridge (no workers, calls or Python console in the
                       report), the runtime still answered locally; to compare with a bridged run
  --upstream-stdlib    serve Pyodide's standard library as npm ships it, source only, instead of
                       Loom's copy with each module compiled (the same modules; a Pyodide interpreter
                       starts about 1.4 s later, and stdlib modules' __file__ ends in .py, not .pyc);
                       also for loom serve
  --break FILE:LINE[:CONDITION]
                       a debug run: each time a Python thread (main or worker) reaches LINE of FILE
                       (a .py file, or index.html for an inline script) and CONDITION, if given, is
                       true there, record the thread, the stack and the locals, and go on;
                       repeatable. Printed, and in the report's "breakpoints"
  --log FILE:LINE:EXPRESSION
                       a log point: record EXPRESSION's value at that line, and go on; repeatable
  --exceptions uncaught|raised|none
                       in a debug run, also record where an exception leaves the project's code
                       uncaught (the default), or wherever it raises one, or neither; Pyodide's
                       threads only. --exceptions uncaught alone makes a debug run without breakpoints

Export options:
  --mode bundled|cdn   bundled (default): ship the runtime the project uses, works offline;
                       cdn: load PyScript from jsDelivr, pinned to the version Loom runs
  --zip                write OUT as a single .zip archive
  --compiled-stdlib    ship Pyodide's standard library with each module compiled, as Loom serves it:
                       7.1 MB instead of 2.6, and Pyodide starts about 1.4 s sooner at every visit
                       (bundled mode)
  --force              write into a non-empty OUT (or replace an existing archive)

Test options:
  -j N, --jobs N       run N projects at once (default: half the CPUs, at least 1), each in a
                       loom run process of its own
  --shard I/N          run shard I of N only (1 <= I <= N), for N CI machines: a project's shard
                       is 1 + (FNV-1a hash of its path under PATH) mod N, so it stays in its shard
                       when other projects come and go
  --junit FILE         write a JUnit XML report: a test case per project, with its steps and
                       unmet expectations when it failed, and what the run printed
  --report-dir DIR     keep each project's run report (JSON, as --report writes) in DIR
  --timeout S          each project's time-out (default 120)
  --list               print the projects (of the shard) and run none
  A project is a folder with a sample.json (a sample, or a copy of one) or a loom.scenario.json
  (a scenario, as --scenario reads); its subfolders are its own. Exit codes: 0 every project
  passed, 1 one or more did not, 2 usage or no project found, 4 environment.

Packages: fetched once (from Pyodide's CDN folder, or $LOOM_PYODIDE_PACKAGES_URL; PyPI's index and
wheels from $LOOM_PYPI_INDEX_URL and $LOOM_PYPI_FILES_URL), checked against Pyodide's lock or the
index's sha256, and kept in $LOOM_CACHE_DIR, else $XDG_CACHE_HOME/loom (~/.cache/loom); every run,
the IDE and exports use them from there, offline.

Exit codes: 0 passed, 1 page error or failed step, 2 usage, 3 time-out, 4 environment.
)";

// What is wrong with the PATH of --page before looking at the disk, or nothing. The headless run
// checks then that the project has that file, by the dev server's own rules.
std::optional<QString> pageProblem(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("name a page of the project, relative to its folder: --page sub/page.html?x=1");
    if (QDir::isAbsolutePath(path) || path.startsWith(u'/'))
        return QStringLiteral("the page must be relative to the project folder (sub/page.html), not an absolute path");
    if (path.contains(u'\\'))
        return QStringLiteral("write the path with / between folders");
    if (path.split(u'/').contains(u".."))
        return QStringLiteral("the page must be inside the project folder (no \"..\")");
    return std::nullopt;
}

// --shard I/N, or what is wrong with it.
std::optional<QString> parseShard(const QString &value, int &index, int &count)
{
    const QStringList parts = value.split(u'/');
    bool indexOk = false;
    bool countOk = false;
    if (parts.size() == 2) {
        index = parts.at(0).toInt(&indexOk);
        count = parts.at(1).toInt(&countOk);
    }
    if (!indexOk || !countOk || count < 1 || index < 1 || index > count)
        return QStringLiteral("--shard takes I/N, with 1 <= I <= N: --shard 1/4");
    return std::nullopt;
}
} // namespace

ParseResult parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("help"));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("version"));
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("headless"));
    const QCommandLineOption sample(QStringLiteral("sample"), QStringLiteral("sample"), QStringLiteral("NAME"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("timeout"), QStringLiteral("S"));
    const QCommandLineOption scenario(QStringLiteral("scenario"), QStringLiteral("scenario"), QStringLiteral("FILE"));
    const QCommandLineOption step(QStringLiteral("step"), QStringLiteral("step"), QStringLiteral("SPEC"));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("report"), QStringLiteral("FILE"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("port"), QStringLiteral("N"));
    const QCommandLineOption noIsolation(QStringLiteral("no-isolation"), QStringLiteral("no-isolation"));
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("url"), QStringLiteral("URL"));
    const QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("mode"), QStringLiteral("MODE"));
    const QCommandLineOption zip(QStringLiteral("zip"), QStringLiteral("zip"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("force"));
    const QCommandLineOption online(QStringLiteral("online"), QStringLiteral("online"));
    const QCommandLineOption page(QStringLiteral("page"), QStringLiteral("page"), QStringLiteral("PATH"));
    const QCommandLineOption allowErrors(QStringLiteral("allow-errors"), QStringLiteral("allow-errors"));
    const QCommandLineOption noBridge(QStringLiteral("no-bridge"), QStringLiteral("no-bridge"));
    const QCommandLineOption upstreamStdlib(QStringLiteral("upstream-stdlib"), QStringLiteral("upstream-stdlib"));
    const QCommandLineOption compiledStdlib(QStringLiteral("compiled-stdlib"), QStringLiteral("compiled-stdlib"));
    const QCommandLineOption fetch(QStringLiteral("fetch"), QStringLiteral("fetch"));
    const QCommandLineOption clear(QStringLiteral("clear"), QStringLiteral("clear"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("json"));
    const QCommandLineOption breakAt(QStringLiteral("break"), QStringLiteral("break"),
                                     QStringLiteral("FILE:LINE[:CONDITION]"));
    const QCommandLineOption logAt(QStringLiteral("log"), QStringLiteral("log"),
                                   QStringLiteral("FILE:LINE:EXPRESSION"));
    const QCommandLineOption exceptions(QStringLiteral("exceptions"), QStringLiteral("exceptions"),
                                        QStringLiteral("uncaught|raised|none"));
    const QCommandLineOption jobs({QStringLiteral("j"), QStringLiteral("jobs")}, QStringLiteral("jobs"),
                                  QStringLiteral("N"));
    const QCommandLineOption shard(QStringLiteral("shard"), QStringLiteral("shard"), QStringLiteral("I/N"));
    const QCommandLineOption junit(QStringLiteral("junit"), QStringLiteral("junit"), QStringLiteral("FILE"));
    const QCommandLineOption reportDir(QStringLiteral("report-dir"), QStringLiteral("report-dir"),
                                       QStringLiteral("DIR"));
    const QCommandLineOption list(QStringLiteral("list"), QStringLiteral("list"));
    parser.addOptions({help,        version,     headless, sample, timeout, scenario, step,   report,
                       port,        noIsolation, url,      mode,   zip,     force,    online, page,
                       allowErrors, noBridge,    fetch,    clear,  json,    breakAt,  logAt});
    parser.addOptions({jobs, shard, junit, reportDir, list, exceptions});
    const QCommandLineOption reload(QStringLiteral("reload"), QStringLiteral("reload"));
    parser.addOption(reload);
    parser.addOption(upstreamStdlib);
    parser.addOption(compiledStdlib);
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("command"));

    CommandLine cl;
    cl.helpText = QString::fromLatin1(Usage);
    // -jN as make and ctest take it (the parser reads single-dash words as long options).
    QStringList expanded;
    for (const QString &argument : arguments) {
        if (argument.size() > 2 && argument.startsWith(u"-j") && argument.at(2).isDigit())
            expanded << QStringLiteral("-j") << argument.mid(2);
        else
            expanded << argument;
    }
    if (!parser.parse(expanded))
        return {std::nullopt, parser.errorText()};
    if (parser.isSet(help))
        return {cl, {}};
    if (parser.isSet(version)) {
        cl.command = CommandLine::Command::Version;
        return {cl, {}};
    }

    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0);
    const QString upstreamStdlibUse = QStringLiteral(
        "--upstream-stdlib is for the pages Loom serves: loom run DIR --headless, or loom serve DIR");
    if (parser.isSet(upstreamStdlib) && command != u"run" && command != u"serve")
        return {std::nullopt, upstreamStdlibUse};
    if (parser.isSet(compiledStdlib) && command != u"export")
        return {std::nullopt, QStringLiteral("--compiled-stdlib is for loom export: Loom's own runs serve the compiled "
                                             "standard library unless --upstream-stdlib")};
    if (parser.isSet(reload) && command != u"serve")
        return {std::nullopt, QStringLiteral("--reload is for loom serve: loom serve DIR --reload")};
    if (command.isEmpty()) {
        cl.command = CommandLine::Command::Open;
        return {cl, {}};
    }
    if (command == u"version") {
        cl.command = CommandLine::Command::Version;
    } else if (command == u"samples") {
        cl.command = CommandLine::Command::Samples;
    } else if (command == u"run") {
        cl.command = CommandLine::Command::Run;
    } else if (command == u"serve") {
        cl.command = CommandLine::Command::Serve;
    } else if (command == u"check") {
        cl.command = CommandLine::Command::Check;
        if (positional.size() != 2)
            return {std::nullopt, QStringLiteral("check takes a project folder: loom check DIR")};
        cl.projectDir = positional.at(1);
        cl.online = parser.isSet(online);
        return {cl, {}};
    } else if (command == u"packages") {
        cl.command = CommandLine::Command::Packages;
        cl.fetch = parser.isSet(fetch);
        cl.clear = parser.isSet(clear);
        cl.json = parser.isSet(json);
        if (positional.size() > 2)
            return {std::nullopt,
                    QStringLiteral("packages takes one project folder: loom packages DIR [--fetch] [--json]")};
        cl.projectDir = positional.value(1);
        if (cl.clear && (cl.fetch || cl.json))
            return {std::nullopt, QStringLiteral("--clear empties the cache: give it alone (loom packages --clear)")};
        if (!cl.clear && cl.projectDir.isEmpty())
            return {std::nullopt,
                    QStringLiteral("packages takes a project folder: loom packages DIR [--fetch] [--json]")};
        return {cl, {}};
    } else if (command == u"export") {
        cl.command = CommandLine::Command::Export;
        if (positional.size() != 3)
            return {std::nullopt,
                    QStringLiteral("export takes a project folder and an output path: loom export DIR OUT")};
        cl.projectDir = positional.at(1);
        cl.outPath = positional.at(2);
        if (parser.isSet(mode))
            cl.exportMode = parser.value(mode);
        if (cl.exportMode != u"bundled" && cl.exportMode != u"cdn")
            return {std::nullopt, QStringLiteral("--mode takes bundled or cdn")};
        cl.zip = parser.isSet(zip);
        cl.force = parser.isSet(force);
        cl.compiledStdlib = parser.isSet(compiledStdlib);
        if (cl.compiledStdlib && cl.exportMode == u"cdn")
            return {std::nullopt, QStringLiteral("--compiled-stdlib ships a file of the runtime: it needs the bundled "
                                                 "mode (a cdn export loads Pyodide from its CDN)")};
        return {cl, {}};
    } else if (command == u"test") {
        cl.command = CommandLine::Command::Test;
        if (parser.isSet(report))
            return {std::nullopt, QStringLiteral("loom test writes a report per project: --report-dir DIR")};
        for (const QCommandLineOption *option : {&scenario, &step, &page, &sample, &url, &breakAt, &logAt}) {
            if (parser.isSet(*option))
                return {std::nullopt, QStringLiteral("--%1 is for loom run: loom test plays each project's own "
                                                     "scenario (sample.json or loom.scenario.json)")
                                          .arg(option->names().constLast())};
        }
        cl.testPaths = positional.mid(1);
        if (parser.isSet(jobs)) {
            bool ok = false;
            cl.jobs = parser.value(jobs).toInt(&ok);
            if (!ok || cl.jobs < 1)
                return {std::nullopt, QStringLiteral("-j takes a number of projects to run at once, 1 or more")};
        }
        if (parser.isSet(shard)) {
            if (auto problem = parseShard(parser.value(shard), cl.shardIndex, cl.shardCount))
                return {std::nullopt, *problem};
        }
        if (parser.isSet(timeout)) {
            bool ok = false;
            cl.timeoutSeconds = parser.value(timeout).toInt(&ok);
            if (!ok || cl.timeoutSeconds <= 0)
                return {std::nullopt, QStringLiteral("--timeout takes a positive number of seconds")};
        }
        cl.junitFile = parser.value(junit);
        cl.reportDir = parser.value(reportDir);
        cl.list = parser.isSet(list);
        return {cl, {}};
    } else if (positional.size() == 1 && QFileInfo(command).isDir()) {
        cl.command = CommandLine::Command::Open;
        cl.projectDir = command;
        return {cl, {}};
    } else {
        return {std::nullopt, QStringLiteral("unknown command \"%1\", and no folder of that name").arg(command)};
    }
    if (positional.size() > 2)
        return {std::nullopt, QStringLiteral("too many arguments: %1").arg(positional.mid(2).join(u' '))};

    cl.projectDir = positional.value(1);
    cl.sample = parser.value(sample);
    cl.url = parser.value(url);
    cl.headless = parser.isSet(headless);
    cl.scenarioFile = parser.value(scenario);
    cl.steps = parser.values(step);
    cl.reportFile = parser.value(report);
    cl.isolationHeaders = !parser.isSet(noIsolation);
    cl.allowErrors = parser.isSet(allowErrors);
    cl.bridge = !parser.isSet(noBridge);
    cl.precompiledStdlib = !parser.isSet(upstreamStdlib);
    for (const auto &[option, logPoint] : {std::pair{&breakAt, false}, std::pair{&logAt, true}}) {
        for (const QString &spec : parser.values(*option)) {
            auto point = Runtime::parseBreakpointSpec(spec, logPoint);
            if (!point)
                return {std::nullopt, point.error()};
            cl.breakpoints.append(*point);
        }
    }
    if (parser.isSet(exceptions)) {
        const QString mode = parser.value(exceptions);
        if (mode == u"uncaught")
            cl.exceptions = Runtime::ExceptionBreak::Uncaught;
        else if (mode == u"raised")
            cl.exceptions = Runtime::ExceptionBreak::Raised;
        else if (mode == u"none")
            cl.exceptions = Runtime::ExceptionBreak::Never;
        else
            return {std::nullopt, QStringLiteral("--exceptions takes uncaught, raised or none, not \"%1\"").arg(mode)};
    }
    if (parser.isSet(page)) {
        const QString value = parser.value(page);
        const qsizetype question = value.indexOf(u'?');
        cl.page = question < 0 ? value : value.left(question);
        cl.pageQuery = question < 0 ? QString() : value.mid(question + 1);
        if (auto problem = pageProblem(cl.page))
            return {std::nullopt, QStringLiteral("--page %1: %2").arg(value, *problem)};
    }
    if (parser.isSet(timeout)) {
        bool ok = false;
        cl.timeoutSeconds = parser.value(timeout).toInt(&ok);
        if (!ok || cl.timeoutSeconds <= 0)
            return {std::nullopt, QStringLiteral("--timeout takes a positive number of seconds")};
    }
    if (parser.isSet(port)) {
        bool ok = false;
        const uint value = parser.value(port).toUInt(&ok);
        if (!ok || value == 0 || value > 65535)
            return {std::nullopt, QStringLiteral("--port takes a port number from 1 to 65535")};
        cl.port = quint16(value);
    }

    if (cl.command == CommandLine::Command::Run) {
        if (int(!cl.projectDir.isEmpty()) + int(!cl.sample.isEmpty()) + int(!cl.url.isEmpty()) != 1)
            return {std::nullopt,
                    QStringLiteral("run takes a project folder, --sample NAME or --url URL (one of them)")};
        if (!cl.url.isEmpty() && parser.isSet(page))
            return {std::nullopt,
                    QStringLiteral("--page opens a page of a project folder or sample; with --url, put the "
                                   "page and its query in the URL")};
        if ((!cl.breakpoints.isEmpty() || cl.exceptions) && (!cl.headless || !cl.bridge || !cl.url.isEmpty()))
            return {std::nullopt,
                    QStringLiteral("--break, --log and --exceptions need --headless and a page Loom serves with its "
                                   "bridge (not --url, not --no-bridge)")};
        if (parser.isSet(upstreamStdlib) && (!cl.headless || !cl.url.isEmpty()))
            return {std::nullopt, upstreamStdlibUse};
        if (!cl.headless) {
            if (!cl.url.isEmpty())
                return {std::nullopt, QStringLiteral("--url needs --headless: the IDE runs the projects it serves")};
            if (parser.isSet(page) || cl.allowErrors)
                return {std::nullopt, QStringLiteral("--%1 needs --headless: the IDE runs the project's index.html")
                                          .arg(parser.isSet(page) ? u"page"_s : u"allow-errors"_s)};
            cl.command = CommandLine::Command::Open;
            cl.runOnOpen = true;
        }
    }
    if (cl.command == CommandLine::Command::Serve && cl.projectDir.isEmpty())
        return {std::nullopt, QStringLiteral("serve takes a project folder")};
    cl.reload = parser.isSet(reload);
    return {cl, {}};
}

} // namespace Loom::App
