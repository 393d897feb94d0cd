#pragma once

#include "runtime/result.h"

namespace Loom::Runtime {

// Call before the QGuiApplication exists: picks the offscreen platform when headless or when
// there is no display, and the Chromium flags Loom needs (no sandbox as root, no GPU offscreen);
// offscreen, QtWebEngine's warnings that it found no GPU are not printed.
void prepareWebEngineEnvironment(bool headless);

// QtWebEngine before 6.8 (Chromium < 111) lacks growable SharedArrayBuffer, which PyScript's
// worker channel needs: say so in plain words instead of showing a page that never finishes.
Result<> checkWebEngineVersion();

} // namespace Loom::Runtime
