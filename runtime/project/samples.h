#pragma once

#include "runtime/project/project.h"
#include "runtime/result.h"
#include "runtime/run/scenario.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Loom::Runtime {

// A sample shipped with Loom: a project folder with a sample.json manifest (samples/README.md).
struct SampleInfo
{
    QString name; // folder name
    QString dir;
    QString title;
    QString description;
    QStringList tags;
    QStringList features; // the workers-guide features it shows
    bool needsNetwork = false;
    int order = 100; // gallery position, lowest first
    Scenario scenario;
};

// Validates a manifest's text; errors name the key at fault and what it should be. The result's
// name and dir are left empty.
Result<SampleInfo> parseSampleManifest(const QByteArray &json);

// A project's own scenario: loom.scenario.json (a `--scenario` file, as `loom test` finds it), else
// the one of a sample's manifest it keeps (sample.json: a sample, or a copy of one). Its steps and
// expected outcome check the project, headless and in the IDE. None when it has neither; an error
// names the file and the key at fault.
Result<std::optional<Scenario>> projectScenario(const Project &project);

// $LOOM_SAMPLES_DIR, else <exe>/../share/loom/samples.
QString samplesDir();
Result<SampleInfo> loadSample(const QString &name);

struct SampleListing
{
    QList<SampleInfo> samples; // by order, then name
    QStringList errors;        // one per folder whose manifest was refused
};
SampleListing scanSamples();
QList<SampleInfo> listSamples(); // the valid ones of scanSamples()

} // namespace Loom::Runtime
