#pragma once
// The JSON report `loom run --report FILE` writes (runtime/run/runreport.h), read by the tests.
#include <QJsonObject>
#include <QString>

namespace Loom::TestSupport {

// The text of the last wait-text step, as the page showed it; empty without steps.
QString lastStepText(const QJsonObject &report);

// The worker named `name` in the report's "workers", or an empty object.
QJsonObject workerNamed(const QJsonObject &report, const QString &name);

} // namespace Loom::TestSupport
