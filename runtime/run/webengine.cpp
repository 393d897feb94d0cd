#include "runtime/run/webengine.h"

#include <QByteArray>
#include <QVersionNumber>
#include <QtWebEngineCore/qtwebenginecoreglobal.h>

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
} // namespace

void prepareWebEngineEnvironment(bool headless)
{
    const bool hasDisplay = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && (headless || !hasDisplay))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Chromium refuses to start its sandbox as root (containers, CI).
    if (geteuid() == 0)
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
    // Loom's pages come from loopback only; nothing else should go out.
    appendChromiumFlags("--disable-background-networking --disable-component-update");
    // Offscreen pages count as hidden or occluded; Chromium would then clamp their timers to one
    // a second and the page (and Loom's measurement of it) would not run as a user sees it.
    appendChromiumFlags("--disable-background-timer-throttling --disable-renderer-backgrounding "
                        "--disable-backgrounding-occluded-windows");
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen")
        appendChromiumFlags("--disable-gpu");
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
