#pragma once

#include "scenario.h"

#include <QStringList>

namespace Loom::Runtime {

class PageSession;

// Checks a scenario's expected outcome against what the run's models saw. Returns one message
// in plain words per expectation not met (empty: all met).
QStringList unmetExpectations(const Expectations &expect, const PageSession &session);

} // namespace Loom::Runtime
