#pragma once
// The benches' command line.
#include "runtime/result.h"

#include <QList>
#include <QString>

namespace Loom::TestSupport {

// --rates "0,1000,10000": events per second, each a whole number >= 0 (0: the idle baseline), or
// "bad rate X" for the first part that is not.
Runtime::Result<QList<int>> parseRates(const QString &text);

} // namespace Loom::TestSupport
