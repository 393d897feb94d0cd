#include "runtime/run/webengine.h"

#include <QByteArray>
#include <QLatin1StringView>
#include <QVersionNumber>
#include <QtWebEngineCore/qtwebenginecoreglobal.h>

#include <algorithm>

#include <unistd.h>

namespace Loom::Runtime {

namespace {
void appendChromiumFlags(const QByteArray &flags)
{
    QByteArray current = qgetenv("QTWEBENGINE_CHROMIUM_FLAGS");
    for (const QByteArray &flag : flags.split(' ')) {
        if (!current.contains(flag))
            current += (current.isEmpty() ? "" : " ") + flag;
    }
    qputenv("QTWEBENGINE_CHROMIUM_FLAGS", current);
}

// QtWebEngine's messages as it starts, said right (as qutebrowser filters QtWebEngine's known
// noise); every other message passes on. It looks for a GPU (through QRhi: OpenGL, then Vulkan)
// and warns when the offscreen platform has none, where Chromium runs with --disable-gpu anyway:
// on every headless run they read as failures in a CI log, and they are not, so they go. And it
// says "Sandboxing disabled by user." when Loom turned the sandbox off because it runs as root.
constexpr QLatin1StringView GpuProbeWarnings[] = {
    QLatin1StringView("QRhiGles2: Failed to create temporary context"),
    QLatin1StringView("QRhiGles2: Failed to create context"),
    QLatin1StringView("This plugin does not support createPlatformVulkanInstance"),
    QLatin1StringView("QVulkanInstance: Failed to initialize Vulkan"),
    QLatin1StringView("Unable to detect GPU vendor."),
};
QtMessageHandler previousHandler = nullptr;
bool dropGpuProbe = false;
bool sandboxOffAsRoot = false;

void startupMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (dropGpuProbe && type == QtWarningMsg
        && std::any_of(std::begin(GpuProbeWarnings), std::end(GpuProbeWarnings),
                       [&message](QLatin1StringView known) { return message == known; }))
        return;
    if (sandboxOffAsRoot && message == QLatin1StringView("Sandboxing disabled by user.")) {
        previousHandler(type, context,
                        QStringLiteral("Chromium's sandbox is off: Loom runs as root, and Chromium cannot start its "
                                       "sandbox as root."));
        return;
    }
    previousHandler(type, context, message);
}
} // namespace

void prepareWebEngineEnvironment(bool headless)
{
    const bool hasDisplay = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && (headless || !hasDisplay))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Chromium refuses to start its sandbox as root (containers, CI).
    if (geteuid() == 0 && !qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX")) {
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
        sandboxOffAsRoot = true;
    }
    // Loom's pages come from loopback only; nothing else should go out.
    appendChromiumFlags("--disable-background-networking --disable-component-update");
    // Offscreen pages count as hidden or occluded; Chromium would then clamp their timers to one
    // a second and the page (and Loom's measurement of it) would not run as a user sees it.
    appendChromiumFlags("--disable-background-timer-throttling --disable-renderer-backgrounding "
                        "--disable-backgrounding-occluded-windows");
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen") {
        appendChromiumFlags("--disable-gpu");
        dropGpuProbe = true;
    }
    if (!previousHandler)
        previousHandler = qInstallMessageHandler(startupMessages);
}

Result<> checkWebEngineVersion()
{
    const QVersionNumber version = QVersionNumber::fromString(QString::fromLatin1(qWebEngineVersion()));
    if (version < QVersionNumber(6, 8)) {
        return failure(QStringLiteral("Loom needs QtWebEngine 6.8 or newer; this one is %1 (Chromium %2). Its Chromium "
                                      "lacks growable SharedArrayBuffer, so PyScript workers never start. "
                                      "Use the build environment of ./dev.sh, or a distribution with Qt 6.8.")
                           .arg(version.toString(), QString::fromLatin1(qWebEngineChromiumVersion())));
    }
    return {};
}

} // namespace Loom::Runtime
