#include "samples.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

QString samplesDir()
{
    const QString fromEnv = qEnvironmentVariable("LOOM_SAMPLES_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../share/loom/samples"));
}

Result<SampleInfo> loadSample(const QString &name)
{
    const QDir dir(QDir(samplesDir()).filePath(name));
    QFile manifest(dir.filePath(QStringLiteral("sample.json")));
    if (name.contains(u'/') || !manifest.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("There is no sample \"%1\" (try: loom samples).").arg(name));

    SampleInfo info;
    info.name = name;
    info.dir = dir.absolutePath();
    info.title = name;
    const QByteArray bytes = manifest.readAll();
    try {
        const auto json = nlohmann::json::parse(bytes.toStdString());
        info.title = QString::fromStdString(json.value("title", name.toStdString()));
        info.description = QString::fromStdString(json.value("description", std::string()));
        for (const auto &tag : json.value("tags", nlohmann::json::array()))
            info.tags.append(QString::fromStdString(tag.get<std::string>()));
        info.needsNetwork = json.value("network", false);
        if (json.contains("scenario")) {
            auto scenario = parseScenario(QByteArray::fromStdString(json.at("scenario").dump()));
            if (!scenario)
                return failure(QStringLiteral("%1: %2").arg(manifest.fileName(), scenario.error()));
            info.scenario = *scenario;
        }
    } catch (const nlohmann::json::exception &error) {
        return failure(QStringLiteral("%1 is not valid: %2").arg(manifest.fileName(), QString::fromUtf8(error.what())));
    }
    return info;
}

QList<SampleInfo> listSamples()
{
    QList<SampleInfo> samples;
    const QStringList names = QDir(samplesDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : names) {
        if (auto sample = loadSample(name))
            samples.append(*sample);
    }
    return samples;
}

} // namespace Loom::App
