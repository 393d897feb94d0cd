#pragma once

#include "runtime/bridge/responsiveness.h"
#include "runtime/bridge/workerregistry.h"

#include <QColor>

// The IDE's colours for states, in one place: a worker's light, the responsiveness graph, errors
// and warnings in the console and the editor. They read on light and dark palettes alike.
namespace Loom::Ui::StatusColors {

QColor good();
QColor warning();
QColor error();
QColor starting();
QColor inactive();

QColor forLevel(Runtime::Responsiveness::Level level);
QColor forWorker(Runtime::WorkerState state);

} // namespace Loom::Ui::StatusColors
