#include "runtime/vendor/vendorfiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <nlohmann/json.hpp>

namespace Loom::Runtime {

QStringList VendorComponent::folderFiles() const
{
    QStringList all = files;
    for (const QString &extra : {precompiledStdlib, notices}) {
        if (!extra.isEmpty())
            all.append(extra);
    }
    return all;
}

Q_LOGGING_CATEGORY(lcVendorFiles, "loom.runtime.vendor", QtWarningMsg)

namespace {
const char *const RequiredComponents[] = {"pyscript", "pyodide", "micropython", "mini-coi"};
}

Result<VendorFiles> VendorFiles::load(const QString &runtimeDir)
{
    const QString manifestPath = QDir(runtimeDir).filePath(QStringLiteral("runtime.json"));
    QFile manifest(manifestPath);
    if (!manifest.open(QIODevice::ReadOnly)) {
        return failure(QStringLiteral("The PyScript runtime is missing: %1 cannot be read. "
                                      "Rebuild Loom (./dev.sh build) or set LOOM_RUNTIME_DIR.")
                           .arg(QDir::toNativeSeparators(manifestPath)));
    }

    VendorFiles files;
    files.m_rootDir = QFileInfo(runtimeDir).absoluteFilePath();
    try {
        const auto json = nlohmann::json::parse(manifest.readAll().toStdString());
        for (const char *key : RequiredComponents) {
            if (!json.contains(key))
                return failure(QStringLiteral("%1 does not describe %2.").arg(manifestPath, QLatin1StringView(key)));
            const auto &entry = json.at(key);
            VendorComponent component;
            component.key = QString::fromLatin1(key);
            component.dir = QString::fromStdString(entry.at("dir").get<std::string>());
            component.version = QString::fromStdString(entry.at("version").get<std::string>());
            component.release = QString::fromStdString(entry.value("release", std::string()));
            for (const auto &file : entry.at("files"))
                component.files.append(QString::fromStdString(file.get<std::string>()));
            component.precompiledStdlib = QString::fromStdString(entry.value("precompiledStdlib", std::string()));
            component.notices = QString::fromStdString(entry.value("notices", std::string()));
            files.m_components.append(component);
        }
    } catch (const nlohmann::json::exception &error) {
        return failure(QStringLiteral("%1 is damaged: %2").arg(manifestPath, QString::fromUtf8(error.what())));
    }

    for (const VendorComponent &component : std::as_const(files.m_components)) {
        for (const QString &file : component.folderFiles()) {
            const QString path = QDir(files.m_rootDir).filePath(component.dir + u'/' + file);
            if (!QFileInfo::exists(path)) {
                return failure(QStringLiteral("The PyScript runtime is incomplete: %1 is missing. "
                                              "Rebuild Loom (./dev.sh build).")
                                   .arg(QDir::toNativeSeparators(path)));
            }
        }
    }
    qCDebug(lcVendorFiles) << "runtime loaded from" << files.m_rootDir;
    return files;
}

QString VendorFiles::defaultDir()
{
    const QString fromEnv = qEnvironmentVariable("LOOM_RUNTIME_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../share/loom/runtime"));
}

const VendorComponent *VendorFiles::component(QStringView key) const
{
    for (const VendorComponent &component : m_components) {
        if (component.key == key)
            return &component;
    }
    return nullptr;
}

QString VendorFiles::version(QStringView key) const
{
    const VendorComponent *c = component(key);
    return c ? c->version : QString();
}

QString VendorFiles::urlPath(QStringView key, QStringView file) const
{
    const VendorComponent *c = component(key);
    Q_ASSERT(c);
    return UrlPrefix + c->dir + u'/' + file;
}

QString VendorFiles::localFile(QStringView pathBelowPrefix) const
{
    const qsizetype slash = pathBelowPrefix.indexOf(u'/');
    if (slash <= 0)
        return {};
    const QStringView dir = pathBelowPrefix.left(slash);
    const QStringView file = pathBelowPrefix.mid(slash + 1);
    for (const VendorComponent &component : m_components) {
        if (component.dir == dir && component.files.contains(file))
            return m_rootDir + u'/' + component.dir + u'/' + file;
    }
    return {};
}

QString VendorFiles::precompiledStdlib(QStringView pathBelowPrefix) const
{
    const VendorComponent *pyodide = component(u"pyodide");
    if (!pyodide || pyodide->precompiledStdlib.isEmpty()
        || pathBelowPrefix != QString(pyodide->dir + u"/python_stdlib.zip"))
        return {};
    return m_rootDir + u'/' + pyodide->dir + u'/' + pyodide->precompiledStdlib;
}

} // namespace Loom::Runtime
