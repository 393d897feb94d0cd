#include "tests/support/rates.h"

namespace Loom::TestSupport {

Runtime::Result<QList<int>> parseRates(const QString &text)
{
    QList<int> rates;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int rate = part.trimmed().toInt(&ok);
        if (!ok || rate < 0)
            return Runtime::failure(QStringLiteral("bad rate ") + part);
        rates.append(rate);
    }
    return rates;
}

} // namespace Loom::TestSupport
