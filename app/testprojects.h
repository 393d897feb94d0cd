#pragma once

#include "runtime/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Loom::App {

// `loom test` runs the projects that say what a passing run is: a folder with a scenario
// (docs/loom-test.md). A sample (or a copy of one) has it in sample.json; any other project in
// ScenarioFileName, the format `loom run --scenario FILE` reads.
inline constexpr char ScenarioFileName[] = "loom.scenario.json";

struct TestProject
{
    QString dir = {};          // absolute
    QString root = {};         // the PATH it was found under, as given (cleaned): the JUnit classname
    QString key = {};          // its path relative to root, with "/"; its folder's name when root is the project
    QString name = {};         // root and key as one path, as the user would write it
    QString scenarioFile = {}; // DIR/loom.scenario.json, played with --scenario; empty: sample.json's
};

struct TestDiscovery
{
    QList<TestProject> projects = {}; // by PATH as given, then by key; each folder once
    int pagesWithoutScenario = 0;     // folders with an index.html and no scenario, left out
};

// Walks each PATH (a folder; a project itself or a tree of them). A folder with a scenario is a
// project and is not walked further (its subfolders are its own files); hidden folders,
// node_modules and __pycache__ are skipped, and links to folders are not followed.
Runtime::Result<TestDiscovery> findTestProjects(const QStringList &paths);

// The stable shard rule: a project is in shard 1 + FNV-1a-64(UTF-8 of its key) mod N. Hashing the
// key, not its rank in a sorted list, keeps every other project in its shard when one is added or
// removed, and needs nothing but the key: every CI machine computes the same split on its own.
quint64 shardHash(const QString &key);
bool isInShard(const TestProject &project, int index, int count);

} // namespace Loom::App
