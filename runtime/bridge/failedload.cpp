#include "runtime/bridge/failedload.h"

#include <QRegularExpression>

namespace Loom::Runtime {

std::optional<FailedLoad> FailedLoad::fromConsole(const QString &message)
{
    // The URL ends at white space or where a Python repr quotes or closes it.
    static const QRegularExpression dynamicImport(
        QStringLiteral(R"re(Failed to fetch dynamically imported module: ([^\s'")]+))re"));
    const auto match = dynamicImport.match(message);
    if (!match.hasMatch())
        return std::nullopt;
    FailedLoad load;
    load.url = match.captured(1);
    load.reason = QStringLiteral("the module could not be fetched");
    return load;
}

} // namespace Loom::Runtime
