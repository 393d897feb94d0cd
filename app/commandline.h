#pragma once

#include "runtime/debug/breakpoint.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Loom::App {

// Exit codes, documented in the README. Distinct so CI scripts can tell them apart.
enum class ExitCode : int {
    Success = 0,
    PageError = 1, // a Python error, a failed scenario step, a crashed page
    Usage = 2,     // bad arguments or a bad scenario file
    Timeout = 3,
    Environment = 4, // runtime missing, QtWebEngine too old, port taken, project unusable
};

struct CommandLine
{
    enum class Command { Help, Version, Run, Serve, Samples, Open, Export, Check, Packages, Test };
    Command command = Command::Help;
    QString projectDir;
    QString sample; // run --sample NAME
    QString url;    // run --url URL: a page served by someone else
    bool headless = false;
    bool runOnOpen = false; // run DIR without --headless: open the window and run the page
    int timeoutSeconds = 120;
    QString scenarioFile;
    QStringList steps;        // --step, in order
    QString page;             // run --page PATH[?QUERY]: PATH, relative to the project; empty: index.html
    QString pageQuery;        // the QUERY of --page, without its "?"
    bool allowErrors = false; // run --allow-errors: as the scenario's expect.allowErrors
    QString reportFile;
    quint16 port = 0;
    bool isolationHeaders = true;
    bool reload = false;                    // serve --reload: open pages reload when a project file changes
    bool bridge = true;                     // run --no-bridge: the page runs bare (for comparing with a bridged run)
    bool precompiledStdlib = true;          // run, serve --upstream-stdlib: npm's python_stdlib.zip
    QList<Runtime::Breakpoint> breakpoints; // run --break / --log: a debug run recording its hits
    std::optional<Runtime::ExceptionBreak> exceptions = {}; // run --exceptions (debug runs: uncaught)
    QString outPath;                                        // export DIR OUT
    QString exportMode = QStringLiteral("bundled");         // export --mode bundled|cdn
    bool zip = false;                                       // export --zip: OUT is an archive
    bool compiledStdlib = false; // export --compiled-stdlib: Pyodide's stdlib as Loom serves it
    bool force = false;          // export --force: write into a non-empty OUT
    bool online = false;         // check --online: the page will have the network (packages load)
    bool fetch = false;          // packages --fetch: download what the cache misses
    bool clear = false;          // packages --clear: empty the package cache
    bool json = false;           // packages --json: the listing as JSON
    // loom test (app/testcommand.h); timeoutSeconds is each project's
    QStringList testPaths = {}; // the folders to look for projects in; none: the current one
    int jobs = 0;               // -j N: projects run at once; 0: half the CPUs, at least 1
    int shardIndex = 0;         // --shard I/N: run shard I (1..N) of N; 0: every project
    int shardCount = 0;
    QString junitFile = {}; // --junit FILE
    QString reportDir = {}; // --report-dir DIR: each project's run report, kept
    bool list = false;      // --list: name the projects (of the shard), run none
    QString helpText;
};

struct ParseResult
{
    std::optional<CommandLine> commandLine;
    QString error;
};

ParseResult parseCommandLine(const QStringList &arguments);

} // namespace Loom::App
