#pragma once

#include "result.h"
#include "scenario.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Loom::Runtime {

// A sample shipped with Loom: a project folder with a sample.json manifest.
struct SampleInfo
{
    QString name; // folder name
    QString dir;
    QString title;
    QString description;
    QStringList tags;
    bool needsNetwork = false;
    Scenario scenario;
};

// $LOOM_SAMPLES_DIR, else <exe>/../share/loom/samples.
QString samplesDir();
Result<SampleInfo> loadSample(const QString &name);
QList<SampleInfo> listSamples();

} // namespace Loom::App
