#include "tests/support/report.h"

#include <QJsonArray>

namespace Loom::TestSupport {

QString lastStepText(const QJsonObject &report)
{
    const QJsonArray steps = report.value(u"steps").toArray();
    return steps.isEmpty() ? QString() : steps.last().toObject().value(u"text").toString();
}

QJsonObject workerNamed(const QJsonObject &report, const QString &name)
{
    for (const QJsonValue &worker : report.value(u"workers").toArray()) {
        if (worker.toObject().value(u"name").toString() == name)
            return worker.toObject();
    }
    return {};
}

} // namespace Loom::TestSupport
