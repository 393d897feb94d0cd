#include "runtime/project/samples.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

QString samplesDir()
{
    const QString fromEnv = qEnvironmentVariable("LOOM_SAMPLES_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../share/loom/samples"));
}

namespace {
using Json = nlohmann::json;
using namespace Qt::StringLiterals;

constexpr qsizetype MaxTitleLength = 60;

struct Invalid
{
    QString message;
};

QStringList stringList(const Json &manifest, const char *key, const QString &what)
{
    const auto it = manifest.find(key);
    if (it == manifest.end() || !it->is_array() || it->empty())
        throw Invalid{u"\"%1\" must be a list of %2, with at least one."_s.arg(QString::fromLatin1(key), what)};
    QStringList list;
    for (const Json &item : *it) {
        if (!item.is_string() || item.get_ref<const std::string &>().empty())
            throw Invalid{u"\"%1\" must be a list of %2; %3 is not one."_s.arg(QString::fromLatin1(key), what,
                                                                               QString::fromStdString(item.dump()))};
        list.append(QString::fromStdString(item.get<std::string>()));
    }
    return list;
}

QString requiredString(const Json &manifest, const char *key)
{
    const auto it = manifest.find(key);
    if (it == manifest.end() || !it->is_string() || it->get_ref<const std::string &>().empty())
        throw Invalid{u"\"%1\" must be a non-empty string."_s.arg(QString::fromLatin1(key))};
    return QString::fromStdString(it->get<std::string>());
}
} // namespace

Result<std::optional<Scenario>> projectScenario(const Project &project)
{
    // A project's own scenario file first, as `loom test` reads the project (docs/loom-test.md).
    if (QFile own(project.filePath(QStringLiteral("loom.scenario.json"))); !project.isNull() && own.exists()) {
        if (!own.open(QIODevice::ReadOnly))
            return failure(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(own.fileName()), own.errorString()));
        auto scenario = parseScenario(own.readAll());
        if (!scenario)
            return failure(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(own.fileName()), scenario.error()));
        return std::optional<Scenario>(*scenario);
    }
    QFile manifest(project.filePath(QStringLiteral("sample.json")));
    if (project.isNull() || !manifest.exists())
        return std::optional<Scenario>();
    if (!manifest.open(QIODevice::ReadOnly))
        return failure(
            QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(manifest.fileName()), manifest.errorString()));
    auto sample = parseSampleManifest(manifest.readAll());
    if (!sample)
        return failure(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(manifest.fileName()), sample.error()));
    return std::optional<Scenario>(sample->scenario);
}

Result<SampleInfo> parseSampleManifest(const QByteArray &json)
{
    Json manifest;
    try {
        manifest = Json::parse(json.toStdString());
    } catch (const Json::parse_error &error) {
        return failure(u"not valid JSON (%1): %2"_s.arg(parseErrorPosition(json, error.byte).toString(),
                                                        QString::fromUtf8(error.what())));
    }
    try {
        if (!manifest.is_object())
            throw Invalid{u"the manifest must be a JSON object."_s};
        static const QStringList known = {u"title"_s,   u"description"_s, u"tags"_s,    u"features"_s,
                                          u"network"_s, u"order"_s,       u"scenario"_s};
        for (const auto &[key, value] : manifest.items()) {
            if (!known.contains(QString::fromStdString(key)))
                throw Invalid{u"unknown key \"%1\" (known: %2)."_s.arg(QString::fromStdString(key), known.join(u", "))};
        }
        SampleInfo info;
        info.title = requiredString(manifest, "title");
        if (info.title.size() > MaxTitleLength)
            throw Invalid{
                u"\"title\" has %1 characters; a card holds %2."_s.arg(info.title.size()).arg(MaxTitleLength)};
        info.description = requiredString(manifest, "description");
        if (info.description.contains(u"\n\n"))
            throw Invalid{u"\"description\" must be one paragraph (it has a blank line)."_s};
        info.tags = stringList(manifest, "tags", u"lowercase words"_s);
        static const QRegularExpression tagPattern(u"^[a-z0-9]+(-[a-z0-9]+)*$"_s);
        for (const QString &tag : std::as_const(info.tags)) {
            if (!tagPattern.match(tag).hasMatch())
                throw Invalid{u"tag \"%1\" must be a lowercase word (a-z, 0-9 and inner dashes)."_s.arg(tag)};
        }
        info.features = stringList(manifest, "features", u"strings"_s);
        const auto network = manifest.find("network");
        if (network == manifest.end() || !network->is_boolean())
            throw Invalid{u"\"network\" must be true or false: does the sample need the network?"_s};
        info.needsNetwork = network->get<bool>();
        if (const auto order = manifest.find("order"); order != manifest.end()) {
            if (!order->is_number_integer() || order->get<long long>() < 0 || order->get<long long>() > 100000)
                throw Invalid{u"\"order\" must be a whole number from 0 to 100000."_s};
            info.order = int(order->get<long long>());
        }
        const auto scenario = manifest.find("scenario");
        if (scenario == manifest.end())
            throw Invalid{u"\"scenario\" is missing: every sample says how a headless run checks it."_s};
        auto parsed = parseScenario(*scenario, u"\"scenario\""_s);
        if (!parsed)
            throw Invalid{parsed.error()};
        if (parsed->steps.isEmpty())
            throw Invalid{u"\"scenario\" needs at least one step."_s};
        info.scenario = *parsed;
        return info;
    } catch (const Invalid &invalid) {
        return failure(invalid.message);
    }
}

Result<SampleInfo> loadSample(const QString &name)
{
    const QDir dir(QDir(samplesDir()).filePath(name));
    QFile manifest(dir.filePath(QStringLiteral("sample.json")));
    if (name.isEmpty() || name.contains(u'/') || name.contains(u'\\') || name.startsWith(u'.')
        || !manifest.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("There is no sample \"%1\" (try: loom samples).").arg(name));
    auto info = parseSampleManifest(manifest.readAll());
    if (!info)
        return failure(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(manifest.fileName()), info.error()));
    info->name = name;
    info->dir = dir.absolutePath();
    return info;
}

SampleListing scanSamples()
{
    SampleListing listing;
    const QDir root(samplesDir());
    for (const QString &name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (!QFileInfo::exists(root.filePath(name + QStringLiteral("/sample.json"))))
            continue; // not a sample (README's neighbours)
        if (auto sample = loadSample(name))
            listing.samples.append(*sample);
        else
            listing.errors.append(sample.error());
    }
    std::stable_sort(listing.samples.begin(), listing.samples.end(),
                     [](const SampleInfo &a, const SampleInfo &b) { return a.order < b.order; });
    return listing;
}

QList<SampleInfo> listSamples()
{
    return scanSamples().samples;
}

} // namespace Loom::Runtime
