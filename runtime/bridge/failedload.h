#pragma once

#include <QString>

#include <optional>

namespace Loom::Runtime {

// A module, script or other resource the page could not load. Chromium does not hand its
// "Failed to load resource" lines to QtWebEngine's console, so Loom learns of failures where it
// can see them: its network layer (a host that does not resolve: offline), its own server (a
// project file that is missing), and the console's errors for dynamic imports.
struct FailedLoad
{
    QString url;
    QString reason; // "unreachable: offline (…)", "HTTP 404", "the module could not be fetched"
    QString thread = QStringLiteral("page"); // "main", "worker", or "page" when the request does not say
    qint64 ms = 0;                           // since navigation started

    // "… Failed to fetch dynamically imported module: URL", the one failed load that reaches
    // QtWebEngine's console (as an error of the page, or inside a worker's failure). Chromium's
    // "Failed to load resource" lines never do (measured).
    static std::optional<FailedLoad> fromConsole(const QString &message);
};

} // namespace Loom::Runtime
