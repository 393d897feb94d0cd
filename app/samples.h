#pragma once

#include "runtime/result.h"
#include "runtime/scenario.h"

#include <QList>
#include <QString>

namespace Loom::App {

// A sample shipped with Loom: a project folder with a sample.json manifest.
struct SampleInfo
{
    QString name; // folder name
    QString dir;
    QString title;
    Runtime::Scenario scenario;
};

// $LOOM_SAMPLES_DIR, else <exe>/../share/loom/samples.
QString samplesDir();
Runtime::Result<SampleInfo> loadSample(const QString &name);
QList<SampleInfo> listSamples();

} // namespace Loom::App
